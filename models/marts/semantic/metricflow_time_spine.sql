{#-
    MetricFlow's time spine: one row per day over the data's own range, from the first day of the
    month of the earliest stage entry, opportunity or spend day to the last day of the month of
    the data's as-of (int_as_of_dates_resolved). Data from any year gets its days; never the wall
    clock. var kpi_max_days caps its length.
-#}
with

{{ import_refs({
    'transitions': 'fct_lead_stage_transitions',
    'opportunities': 'int_opportunities_converted',
    'ad_spend': 'stg_marketing__ad_spend',
    'as_of': 'int_as_of_dates_resolved',
}) }},

day_numbers as (

    {{ dbt.generate_series(var('kpi_max_days')) }}

),

earliest as (

    select cast(min(entered_at) as date) as first_date from transitions
    union all
    select cast(min(created_at) as date) as first_date from opportunities
    union all
    select cast(min(closed_at) as date) as first_date from opportunities
    union all
    select min(spend_date) as first_date from ad_spend

),

bounds as (

    select
        cast({{ dbt.date_trunc('month', 'min(earliest.first_date)') }} as date) as first_day,
        cast({{ dbt.dateadd('month', 1, dbt.date_trunc('month', 'max(as_of.as_of_date)')) }} as date)
            as day_after_last

    from earliest
    cross join as_of

),

final as (

    select
        cast({{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'bounds.first_day') }} as date)
            as date_day

    from day_numbers
    cross join bounds
    where
        {{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'bounds.first_day') }}
        < bounds.day_after_last

)

select * from final
