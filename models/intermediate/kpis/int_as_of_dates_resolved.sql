{#-
    The data's "now" for every KPI that depends on it (cohort maturity, open durations, stale
    MQLs): var kpi_as_of when set, otherwise the latest event in the data: stage entries, sales
    activities, opportunity creations, closes and stage changes, page views, email events, form fills,
    ad spend days (their start), whichever tables the delivery has. Never the wall clock, so two builds of the same data
    are identical. One row.
-#}
with

transitions as (

    select * from {{ ref('fct_lead_stage_transitions') }}

),

activities as (

    select * from {{ ref('stg_crm__activities') }}

),

opportunity_stage_changes as (

    select * from {{ ref('stg_crm__opportunity_stage_changes') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

web_events as (

    select * from {{ ref('stg_marketing__web_events') }}

),

email_events as (

    select * from {{ ref('stg_marketing__email_events') }}

),

form_submissions as (

    select * from {{ ref('stg_marketing__form_submissions') }}

),

ad_spend as (

    select * from {{ ref('stg_marketing__ad_spend') }}

),

event_times as (

    select max(entered_at) as event_at from transitions
    union all
    select max(occurred_at) as event_at from activities
    union all
    select max(changed_at) as event_at from opportunity_stage_changes
    union all
    select max(created_at) as event_at from opportunities
    union all
    -- a closed deal's close date (its stage changes, when exported, are counted above)
    select max(case when is_closed then cast(close_date as {{ dbt.type_timestamp() }}) end) as event_at
    from opportunities
    union all
    select max(occurred_at) as event_at from web_events
    union all
    select max(occurred_at) as event_at from email_events
    union all
    select max(submitted_at) as event_at from form_submissions
    union all
    select cast(max(spend_date) as {{ dbt.type_timestamp() }}) as event_at from ad_spend

),

resolved as (

    {% if var('kpi_as_of', none) is not none -%}
        select cast('{{ var("kpi_as_of") }}' as {{ dbt.type_timestamp() }}) as as_of_at
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
