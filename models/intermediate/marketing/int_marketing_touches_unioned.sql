{#-
    Every marketing touch attributable to a known lead: campaign responses, form fills and
    web sessions that landed with utm data (sessions before identification included, via
    the identity stitching). The channel is the campaign's channel when utm_campaign names a
    known campaign, else the utm_channels seed mapping (exact source first, then '*').
-#}
with

{{ import_refs({
    'campaign_members': 'stg_marketing__campaign_members',
    'form_submissions': 'int_form_submissions_deduplicated',
    'web_sessions': 'int_web_sessions_rolled_up',
    'identities': 'stg_marketing__identities',
    'campaigns': 'stg_marketing__campaigns',
    'utm_channels': 'utm_channels',
}) }},

campaign_responses as (

    select
        campaign_members.campaign_member_id as touch_id,
        'campaign_response' as touch_type,
        campaign_members.lead_id,
        campaign_members.first_responded_at as touched_at,
        campaign_members.campaign_id,
        cast(null as {{ dbt.type_string() }}) as utm_source,
        cast(null as {{ dbt.type_string() }}) as utm_medium

    from campaign_members
    where
        campaign_members.first_responded_at is not null
        -- a point-in-time build (var kpi_as_of): a response after it has not happened yet
        and {{ within_as_of('campaign_members.first_responded_at') }}

),

form_fills as (

    select
        form_submission_id as touch_id,
        'form_fill' as touch_type,
        lead_id,
        submitted_at as touched_at,
        utm_campaign as campaign_id,
        utm_source,
        utm_medium

    from form_submissions

),

-- Sessions that landed with utm data (int_web_sessions_rolled_up: one row per session, whose key
-- is the browser and the tracker's session id: a session id alone is unique per browser only).
session_touches as (

    select
        {{ dbt.concat(['web_sessions.anonymous_id', "':'", 'web_sessions.session_id']) }} as touch_id,
        'web_session' as touch_type,
        identities.lead_id,
        web_sessions.utm_first_viewed_at as touched_at,
        web_sessions.utm_campaign as campaign_id,
        web_sessions.utm_source,
        web_sessions.utm_medium

    from web_sessions
    inner join identities
        on web_sessions.anonymous_id = identities.anonymous_id
    where web_sessions.utm_medium is not null

),

touches as (

    select * from campaign_responses
    union all
    select * from form_fills
    union all
    select * from session_touches

),

-- The channel of each distinct (utm_source, utm_medium) pair: an exact utm_source rule wins over
-- the medium's '*' rule. Resolved per pair, not per touch, so the ranking runs over a few
-- hundred pairs rather than every touch.
utm_pairs as (

    select distinct
        utm_source,
        utm_medium

    from touches
    where utm_medium is not null

),

pair_channels as (

    select
        utm_pairs.utm_source,
        utm_pairs.utm_medium,
        utm_channels.channel,
        row_number() over (
            partition by utm_pairs.utm_source, utm_pairs.utm_medium
            order by case when utm_channels.utm_source = '*' then 1 else 0 end
        ) as match_rank

    from utm_pairs
    inner join utm_channels
        on
            utm_pairs.utm_medium = utm_channels.utm_medium
            and (utm_pairs.utm_source = utm_channels.utm_source or utm_channels.utm_source = '*')

),

final as (

    select
        touches.touch_type,
        touches.touch_id,
        touches.lead_id,
        touches.touched_at,
        touches.campaign_id,
        touches.utm_source,
        touches.utm_medium,
        -- a utm pair seed utm_channels does not map is 'unmapped'; no campaign and no utm: null
        coalesce(
            campaigns.channel,
            pair_channels.channel,
            case when touches.utm_medium is not null then 'unmapped' end
        ) as channel

    from touches
    left join campaigns
        on touches.campaign_id = campaigns.campaign_id
    left join pair_channels
        on
            touches.utm_medium = pair_channels.utm_medium
            and (
                touches.utm_source = pair_channels.utm_source
                or (touches.utm_source is null and pair_channels.utm_source is null)
            )
            and pair_channels.match_rank = 1

)

select * from final
