{#-
    The data's "now" for every KPI and lifecycle model that depends on it (cohort maturity, open
    durations, stale MQLs, MQL expiry): var kpi_as_of when set (staging then holds only what was
    known by that instant), otherwise the latest event of the delivery, whichever tables it has:
    lead creations and updates, status changes, browser identifications, opportunity creations,
    closes and stage changes, sales activities, page views, email events, form fills, campaign
    memberships and responses, ad spend days (their start). Read from staging only (never from
    the lifecycle, which depends on it). Never the wall clock, so two builds of the same data are
    identical. One row.
-#}
with

{{ import_refs({
    'leads': 'stg_crm__leads',
    'status_changes': 'stg_crm__lead_status_changes',
    'identities': 'stg_marketing__identities',
    'opportunities': 'stg_crm__opportunities',
    'opportunity_stage_changes': 'stg_crm__opportunity_stage_changes',
    'activities': 'stg_crm__activities',
    'web_events': 'stg_marketing__web_events',
    'email_events': 'stg_marketing__email_events',
}) }},

form_submissions as (

    -- the stored copy of the clean form fills (the same rows as the staging view, without
    -- re-deduplicating the raw file)
    select * from {{ ref('int_form_submissions_deduplicated') }}

),

campaign_members as (

    select * from {{ ref('stg_marketing__campaign_members') }}

),

ad_spend as (

    select * from {{ ref('stg_marketing__ad_spend') }}

),

event_times as (

    select max(created_at) as event_at from leads
    union all
    select max(updated_at) as event_at from leads
    union all
    select max(changed_at) as event_at from status_changes
    union all
    select max(identified_at) as event_at from identities
    union all
    select max(created_at) as event_at from opportunities
    union all
    -- a closed deal's close date (its stage changes, when exported, are counted below)
    select max(case when is_closed then cast(close_date as {{ dbt.type_timestamp() }}) end) as event_at
    from opportunities
    union all
    select max(changed_at) as event_at from opportunity_stage_changes
    union all
    select max(occurred_at) as event_at from activities
    union all
    select max(occurred_at) as event_at from web_events
    union all
    select max(occurred_at) as event_at from email_events
    union all
    select max(submitted_at) as event_at from form_submissions
    union all
    select max(created_at) as event_at from campaign_members
    union all
    select max(first_responded_at) as event_at from campaign_members
    union all
    select cast(max(spend_date) as {{ dbt.type_timestamp() }}) as event_at from ad_spend

),

resolved as (

    {% if kpi_as_of_literal() is not none -%}
        select {{ kpi_as_of_literal() }} as as_of_at
    {%- else -%}
        select max(event_at) as as_of_at

        from event_times
    {%- endif %}

),

final as (

    select
        as_of_at,
        cast(as_of_at as date) as as_of_date

    from resolved

)

select * from final
