{#-
    Funnel velocity: one row per MQL cohort month x KPI channel. Median and 75th percentile of
    the elapsed days MQL -> SQL, SQL -> opportunity, opportunity -> close and MQL -> won, each over the
    cohort's MQL cycles that made the step (so a young cohort's figures cover only its fast
    converters: read them with the counts beside them). Percentiles interpolate linearly.
-#}
{#- The steps: the cycles' elapsed-days column and the name of the count of cycles that made it. -#}
{%- set steps = [
    ('days_mql_to_sql', 'mqls_reaching_sql'),
    ('days_sql_to_opportunity', 'sqls_reaching_opportunity'),
    ('days_mql_to_won', 'mqls_reaching_won'),
    ('days_opportunity_to_close', 'opportunities_closed'),
] -%}
with

cycles as (

    select * from {{ ref('int_mql_cycles_measured') }}

),

cohorts as (

    select
        mql_month as cohort_month,
        kpi_channel as channel,
        count(*) as mqls,
    {%- for days, reached in steps %}
        count({{ days }}) as {{ reached }},
        {{ percentile_cont(days, 0.5) }} as median_{{ days }},
        {{ percentile_cont(days, 0.75) }} as p75_{{ days }}
        {{- ',' if not loop.last }}
    {%- endfor %}

    from cycles
    group by mql_month, kpi_channel

),

final as (

    select
        cohort_month,
        channel,
        cast(mqls as {{ dbt.type_bigint() }}) as mqls,
    {%- for days, reached in steps %}
        cast({{ reached }} as {{ dbt.type_bigint() }}) as {{ reached }},
        {{ cast_columns(['median_' ~ days, 'p75_' ~ days], type_double()) }}
        {{- ',' if not loop.last }}
    {%- endfor %}

    from cohorts

)

select * from final
