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
{#- The instants each staged table holds (import CTE, expression of an event time); a closed
    deal's close date counts (its stage changes, when exported, are counted too). -#}
{%- set event_instants = [
    ('leads', 'created_at'),
    ('leads', 'updated_at'),
    ('status_changes', 'changed_at'),
    ('identities', 'identified_at'),
    ('opportunities', 'created_at'),
    ('opportunities', 'case when is_closed then cast(close_date as ' ~ dbt.type_timestamp() ~ ') end'),
    ('opportunity_stage_changes', 'changed_at'),
    ('activities', 'occurred_at'),
    ('web_events', 'occurred_at'),
    ('email_events', 'occurred_at'),
    ('form_submissions', 'submitted_at'),
    ('campaign_members', 'created_at'),
    ('campaign_members', 'first_responded_at'),
    ('ad_spend', 'cast(spend_date as ' ~ dbt.type_timestamp() ~ ')'),
] -%}
{#- form_submissions: the stored copy of the clean form fills (the same rows as the staging view,
    without re-deduplicating the raw file). -#}
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
    'form_submissions': 'int_form_submissions_deduplicated',
    'campaign_members': 'stg_marketing__campaign_members',
    'ad_spend': 'stg_marketing__ad_spend',
}) }},

event_times as (
    {%- for relation, expression in event_instants %}

        select max({{ expression }}) as event_at from {{ relation }}
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

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
