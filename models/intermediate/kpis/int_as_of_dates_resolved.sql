{#-
    The data's "now" for every KPI that depends on it (cohort maturity, open durations, stale
    MQLs): var kpi_as_of when set, otherwise the latest event in the data (stage entries, sales
    activities, opportunity stage changes). Never the wall clock, so two builds of the same data
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

event_times as (

    select max(entered_at) as event_at from transitions
    union all
    select max(occurred_at) as event_at from activities
    union all
    select max(changed_at) as event_at from opportunity_stage_changes

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
