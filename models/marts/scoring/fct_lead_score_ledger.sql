{#-
    The scoring audit trail: one row per point award (docs/scoring.md). Fit awards: one per lead
    and matching fit rule version, awarded when the person became known or when the version
    starts, whichever is later. Engagement awards: one per matching staged event (page view of
    one of the lead's browsers, email event, form submission) under the rule version valid at
    the award, after the rule's cap. An event is awarded when the lead's scoring learns of it:
    at the event, or for a page view made before its browser was identified, at the
    identification. Points here are undecayed; decay is applied at read time (as-of scores).
    The rule's attributes (dimension, signal, points, cap, decay, validity) are not repeated on
    every award: join seed scoring_rules on (rule_id, rule_version), as int_score_awards_scheduled
    does.

    Incremental per lead (docs/incremental.md): a run re-computes every award of the leads
    touched since the last build (events loaded since the watermark, by signal_loaded_at, or a
    changed fingerprint of the lead's current-state inputs, int_leads_score_inputs_fingerprinted)
    and replaces all rows of those leads (delete+insert on lead_id; key buckets on Spark); the
    post-hook (macro prune_score_ledger, clone-safe) drops the rows of leads that are gone
    (merged away, deleted) or whose fingerprint no longer matches.
    A point-in-time build (var kpi_as_of, a full refresh): no award after the as-of.
-#}
{{ incremental_by_key_config(
    'lead_id',
    post_hook="{{ prune_score_ledger() }}",
) }}

{{ as_of_needs_full_refresh() }}

with

{{ import_refs({
    'lead_records': 'int_leads_merges_resolved',
    'profiles': 'int_leads_profiled',
    'web_events': 'stg_marketing__web_events',
    'identities': 'stg_marketing__identities',
    'email_events': 'stg_marketing__email_events',
    'form_submissions': 'int_form_submissions_deduplicated',
    'rules': 'scoring_rules',
    'score_inputs': 'int_leads_score_inputs_fingerprinted',
}) }},

{% if is_incremental() -%}
-- Leads to re-compute: a changed (or new) input fingerprint, or events loaded since the watermark.
touched_leads as (

    select score_inputs.lead_id

    from score_inputs
    left join (select distinct lead_id, lead_inputs_hash from {{ this }}) as stored
        on
            score_inputs.lead_id = stored.lead_id
            and score_inputs.inputs_hash = stored.lead_inputs_hash
    where stored.lead_id is null

    union

    select lead_records.surviving_lead_id as lead_id

    from web_events
    inner join identities
        on web_events.anonymous_id = identities.anonymous_id
    inner join lead_records
        on identities.lead_id = lead_records.lead_id
    where
        lead_records.is_history_kept
        and {{ loaded_since_watermark('web_events.loaded_at', 'signal_loaded_at', late_models=['stg_marketing__web_events']) }}

    union

    {#- the signals keyed by the lead record: CTE -> the model its watermark reads -#}
    {%- for signals, model in [('email_events', 'stg_marketing__email_events'),
                               ('form_submissions', 'int_form_submissions_deduplicated')] %}
    select lead_records.surviving_lead_id as lead_id

    from {{ signals }}
    inner join lead_records
        on {{ signals }}.lead_id = lead_records.lead_id
    where
        lead_records.is_history_kept
        and {{ loaded_since_watermark(signals ~ '.loaded_at', 'signal_loaded_at', late_models=[model]) }}
    {%- if not loop.last %}

    union
    {% endif %}
    {%- endfor %}

),

{% endif -%}
-- Each kept record with its surviving lead and that lead's input fingerprint (stored on every
-- award: joined here, on a million records, not on the 30M awards at 1M leads).
kept_records as (

    select
        lead_records.lead_id as source_lead_id,
        lead_records.surviving_lead_id as lead_id,
        score_inputs.inputs_hash as lead_inputs_hash

    from lead_records
    left join score_inputs
        on lead_records.surviving_lead_id = score_inputs.lead_id
    where
        lead_records.is_history_kept
        and {{ incremental_keys_in('lead_records.surviving_lead_id', 'touched_leads') }}

),

-- Fit: the profile attributes, one row per lead and attribute.
profile_attributes as (

    {% for attribute in ['title_seniority', 'industry', 'employee_band', 'country_code',
                         'is_target_account', 'email_domain_type'] %}
        select
            lead_id,
            known_at,
            '{{ attribute }}' as attribute_name,
            cast({{ attribute }} as {{ dbt.type_string() }}) as attribute_value

        from profiles
        where {{ incremental_keys_in('lead_id', 'touched_leads') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

fit_awards as (

    select
        profile_attributes.lead_id,
        profile_attributes.lead_id as source_lead_id,
        rules.rule_id,
        rules.rule_version,
        profile_attributes.lead_id as signal_id,
        profile_attributes.attribute_value,
        profile_attributes.known_at as signal_occurred_at,
        case
            when rules.valid_from > profile_attributes.known_at then rules.valid_from
            else profile_attributes.known_at
        end as awarded_at,
        rules.points as rule_points,
        rules.points,
        1 as occurrence_number,
        cast(null as {{ dbt.type_timestamp() }}) as signal_loaded_at,
        score_inputs.inputs_hash as lead_inputs_hash

    from profile_attributes
    left join score_inputs
        on profile_attributes.lead_id = score_inputs.lead_id
    inner join rules
        on
            rules.dimension = 'fit'
            and rules.signal_type = 'lead_profile'
            and profile_attributes.attribute_name = rules.attribute_name
            and (
                profile_attributes.attribute_value = rules.attribute_value
                or (rules.attribute_value = '*' and profile_attributes.attribute_value is not null)
            )
    -- A version that ended before the person was known never applied to it.
    where rules.valid_to is null or rules.valid_to > profile_attributes.known_at

),

-- Engagement signals of the lead's records, keyed to the surviving lead.
signals as (

    select
        kept_records.lead_id,
        kept_records.source_lead_id,
        'page_view' as signal_type,
        web_events.web_event_id as signal_id,
        'page_category' as attribute_name,
        web_events.page_category as attribute_value,
        web_events.occurred_at as signal_occurred_at,
        case
            when identities.identified_at > web_events.occurred_at then identities.identified_at
            else web_events.occurred_at
        end as awarded_at,
        web_events.loaded_at as signal_loaded_at,
        kept_records.lead_inputs_hash

    from web_events
    inner join identities
        on web_events.anonymous_id = identities.anonymous_id
    inner join kept_records
        on identities.lead_id = kept_records.source_lead_id

    union all

    select
        kept_records.lead_id,
        kept_records.source_lead_id,
        'email_event' as signal_type,
        email_events.email_event_id as signal_id,
        'event_type' as attribute_name,
        email_events.event_type as attribute_value,
        email_events.occurred_at as signal_occurred_at,
        email_events.occurred_at as awarded_at,
        email_events.loaded_at as signal_loaded_at,
        kept_records.lead_inputs_hash

    from email_events
    inner join kept_records
        on email_events.lead_id = kept_records.source_lead_id

    union all

    {% for attribute in ['form_type', 'asset_funnel_stage'] %}
        select
            kept_records.lead_id,
            kept_records.source_lead_id,
            'form_submission' as signal_type,
            form_submissions.form_submission_id as signal_id,
            '{{ attribute }}' as attribute_name,
            form_submissions.{{ attribute }} as attribute_value,
            form_submissions.submitted_at as signal_occurred_at,
            form_submissions.submitted_at as awarded_at,
            form_submissions.loaded_at as signal_loaded_at,
            kept_records.lead_inputs_hash

        from form_submissions
        inner join kept_records
            on form_submissions.lead_id = kept_records.source_lead_id
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

matched as (

    -- The signal matched to the rule version in force when it is awarded (the rule's other
    -- attributes are joined in `capped`, after the window).
    select
        signals.lead_id,
        signals.source_lead_id,
        rules.rule_id,
        rules.rule_version,
        signals.signal_id,
        signals.attribute_value,
        signals.signal_occurred_at,
        signals.awarded_at,
        signals.signal_loaded_at,
        signals.lead_inputs_hash,
        -- Caps count per calendar period of the behaviour itself (signal_occurred_at): a browsing
        -- history learnt at identification keeps one cap per day it happened on.
        case rules.cap_period
            when 'day' then {{ dbt.date_trunc('day', 'signals.signal_occurred_at') }}
            when 'week' then {{ dbt.date_trunc('week', 'signals.signal_occurred_at') }}
            when 'month' then {{ dbt.date_trunc('month', 'signals.signal_occurred_at') }}
        end as cap_period_start

    from signals
    inner join rules
        on
            rules.dimension = 'engagement'
            and signals.signal_type = rules.signal_type
            and signals.attribute_name = rules.attribute_name
            and (
                signals.attribute_value = rules.attribute_value
                or (rules.attribute_value = '*' and signals.attribute_value is not null)
            )
            and signals.awarded_at >= rules.valid_from
            and (rules.valid_to is null or signals.awarded_at < rules.valid_to)

),

-- n-th award of the rule version for the lead within the cap period (lifetime: one period).
-- The window sorts (and at scale spills) every column it carries: only the award's own columns
-- pass through it; the rule's attributes are joined back from the seed after it.
numbered as (

    select
        matched.lead_id,
        matched.source_lead_id,
        matched.rule_id,
        matched.rule_version,
        matched.signal_id,
        matched.attribute_value,
        matched.signal_occurred_at,
        matched.awarded_at,
        matched.signal_loaded_at,
        matched.lead_inputs_hash,
        row_number() over (
            partition by matched.lead_id, matched.rule_id, matched.rule_version, matched.cap_period_start
            order by matched.awarded_at, matched.signal_occurred_at, matched.signal_id
        ) as occurrence_number

    from matched

),

capped as (

    select
        numbered.lead_id,
        numbered.source_lead_id,
        numbered.rule_id,
        numbered.rule_version,
        numbered.signal_id,
        numbered.attribute_value,
        numbered.signal_occurred_at,
        numbered.awarded_at,
        rules.points as rule_points,
        case
            when rules.cap_type = 'max_occurrences' and numbered.occurrence_number > rules.cap_value then 0
            -- max_points: the award that reaches the cap is partial, later ones get nothing.
            when rules.cap_type = 'max_points'
                then
                    (case when rules.points < 0 then -1 else 1 end)
                    * greatest(
                        0,
                        least(
                            abs(rules.points),
                            rules.cap_value - (numbered.occurrence_number - 1) * abs(rules.points)
                        )
                    )
            else rules.points
        end as points,
        numbered.occurrence_number,
        numbered.signal_loaded_at,
        numbered.lead_inputs_hash

    from numbered
    inner join rules
        on
            numbered.rule_id = rules.rule_id
            and numbered.rule_version = rules.rule_version

),

-- Fit and capped engagement awards, in the columns of the ledger (`final`).
awards as (

    select * from fit_awards
    union all
    select * from capped
    where points <> 0

),

final as (

    select
        {{ dbt.concat(['rule_id', "'|'", 'cast(rule_version as ' ~ dbt.type_string() ~ ')', "'|'", 'signal_id']) }}
            as award_id,
        lead_id,
        source_lead_id,
        rule_id,
        rule_version,
        signal_id,
        attribute_value,
        signal_occurred_at,
        awarded_at,
        cast(points as {{ type_double() }}) as points,
        points <> rule_points as is_capped,
        cast(occurrence_number as {{ dbt.type_int() }}) as occurrence_number,
        signal_loaded_at,
        lead_inputs_hash

    from awards
    -- a point-in-time build: nothing awarded after it (a rule version starting later)
    where {{ within_as_of('awarded_at') }}

)

select *{{ incremental_key_bucket('lead_id') }} from final
