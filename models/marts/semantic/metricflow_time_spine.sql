{#-
    MetricFlow's time spine: one row per day from var metricflow_time_spine_start (inclusive) to
    metricflow_time_spine_end (exclusive). Literal bounds keep it independent of the data.
-#}
with

days as (

    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('metricflow_time_spine_start') ~ "' as date)",
        "cast('" ~ var('metricflow_time_spine_end') ~ "' as date)"
    ) }}

),

final as (

    select cast(date_day as date) as date_day

    from days

)

select * from final
