{#-
    Funnel velocity: one row per MQL cohort month x KPI channel. Median and 75th percentile of
    the elapsed days MQL -> SQL, SQL -> opportunity, opportunity -> close and MQL -> won, each over the
    cohort's MQL cycles that made the step (so a young cohort's figures cover only its fast
    converters: read them with the counts beside them). Percentiles interpolate linearly.
-#}
with

cycles as (

    select * from {{ ref('int_mql_cycles_measured') }}

),

cohorts as (

    select
        mql_month as cohort_month,
        kpi_channel as channel,
        count(*) as mqls,
        count(days_mql_to_sql) as mqls_reaching_sql,
        {{ percentile_cont('days_mql_to_sql', 0.5) }} as median_days_mql_to_sql,
        {{ percentile_cont('days_mql_to_sql', 0.75) }} as p75_days_mql_to_sql,
        count(days_sql_to_opportunity) as sqls_reaching_opportunity,
        {{ percentile_cont('days_sql_to_opportunity', 0.5) }} as median_days_sql_to_opportunity,
        {{ percentile_cont('days_sql_to_opportunity', 0.75) }} as p75_days_sql_to_opportunity,
        count(days_mql_to_won) as mqls_reaching_won,
        {{ percentile_cont('days_mql_to_won', 0.5) }} as median_days_mql_to_won,
        {{ percentile_cont('days_mql_to_won', 0.75) }} as p75_days_mql_to_won,
        count(days_opportunity_to_close) as opportunities_closed,
        {{ percentile_cont('days_opportunity_to_close', 0.5) }} as median_days_opportunity_to_close,
        {{ percentile_cont('days_opportunity_to_close', 0.75) }} as p75_days_opportunity_to_close

    from cycles
    group by mql_month, kpi_channel

),

final as (

    select
        cohort_month,
        channel,
        cast(mqls as {{ dbt.type_bigint() }}) as mqls,
        cast(mqls_reaching_sql as {{ dbt.type_bigint() }}) as mqls_reaching_sql,
        cast(median_days_mql_to_sql as {{ type_double() }}) as median_days_mql_to_sql,
        cast(p75_days_mql_to_sql as {{ type_double() }}) as p75_days_mql_to_sql,
        cast(sqls_reaching_opportunity as {{ dbt.type_bigint() }}) as sqls_reaching_opportunity,
        cast(median_days_sql_to_opportunity as {{ type_double() }}) as median_days_sql_to_opportunity,
        cast(p75_days_sql_to_opportunity as {{ type_double() }}) as p75_days_sql_to_opportunity,
        cast(mqls_reaching_won as {{ dbt.type_bigint() }}) as mqls_reaching_won,
        cast(median_days_mql_to_won as {{ type_double() }}) as median_days_mql_to_won,
        cast(p75_days_mql_to_won as {{ type_double() }}) as p75_days_mql_to_won,
        cast(opportunities_closed as {{ dbt.type_bigint() }}) as opportunities_closed,
        cast(median_days_opportunity_to_close as {{ type_double() }}) as median_days_opportunity_to_close,
        cast(p75_days_opportunity_to_close as {{ type_double() }}) as p75_days_opportunity_to_close

    from cohorts

)

select * from final
