{#-
    Lead decay made visible: one row per day from the first MQL day to the last complete day
    before the data's as-of. At the end of each day (the next midnight, UTC): open_mqls = MQL
    entries handed to sales (fct_speed_to_lead.is_handed_to_sales) still in MQL (entered, not
    exited: an MQL nobody accepts is recycled after var mql_acceptance_days); stale_mqls = those
    of them not touched by sales since the MQL (no response yet) and older than var
    kpi_stale_mql_hours; open_unhanded_mqls = MQLs still open that were never handed to sales.
-#}
with

{{ import_refs({
    'handoffs': 'fct_speed_to_lead',
    'as_of': 'int_as_of_dates_resolved',
}) }},

day_numbers as (

    {{ dbt.generate_series(var('kpi_max_days')) }}

),

mqls as (

    select
        handoff_at,
        stage_exited_at,
        first_response_at,
        is_handed_to_sales,
        {{ dbt.dateadd('hour', var('kpi_stale_mql_hours'), 'handoff_at') }} as stale_from

    from handoffs
    where handoff_type = 'mql'

),

first_day as (

    select cast(min(handoff_at) as date) as first_day from mqls

),

days as (

    select
        cast({{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'first_day.first_day') }} as date)
            as activity_date,
        cast(
            {{ dbt.dateadd('day', 'day_numbers.generated_number', 'first_day.first_day') }}
            as {{ dbt.type_timestamp() }}
        ) as end_of_day_at

    from day_numbers
    cross join first_day
    cross join as_of
    where
        {{ dbt.dateadd('day', 'day_numbers.generated_number', 'first_day.first_day') }}
        <= as_of.as_of_at

),

open_counts as (

    select
        days.activity_date,
        sum(case when mqls.is_handed_to_sales then 1 else 0 end) as open_mqls,
        sum(case when mqls.is_handed_to_sales then 0 else 1 end) as open_unhanded_mqls,
        sum(
            case
                when
                    mqls.is_handed_to_sales
                    and mqls.stale_from <= days.end_of_day_at
                    and (mqls.first_response_at > days.end_of_day_at or mqls.first_response_at is null)
                    then 1
                else 0
            end
        ) as stale_mqls

    from days
    inner join mqls
        on
            days.end_of_day_at >= mqls.handoff_at
            and (days.end_of_day_at < mqls.stage_exited_at or mqls.stage_exited_at is null)
    group by days.activity_date

),

final as (

    select
        days.activity_date,
        cast(coalesce(open_counts.open_mqls, 0) as {{ dbt.type_bigint() }}) as open_mqls,
        cast(coalesce(open_counts.stale_mqls, 0) as {{ dbt.type_bigint() }}) as stale_mqls,
        cast(coalesce(open_counts.open_unhanded_mqls, 0) as {{ dbt.type_bigint() }}) as open_unhanded_mqls,
        {{ safe_divide('open_counts.stale_mqls', 'open_counts.open_mqls') }} as stale_share

    from days
    left join open_counts
        on days.activity_date = open_counts.activity_date

)

select * from final
