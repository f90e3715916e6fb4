{#-
    MQL cohort conversion: one row per MQL cohort month x KPI channel x window (seed
    kpi_cohort_windows). Members are MQL entries (first-time and re-MQL: each cycle is one
    handoff to sales). A member is mature for a window of N days when mql_at + N days <= the
    data's as-of; converted within N days when its cycle reached the stage at most N days after
    mql_at. Rates are reported only for mature cohorts (every member mature), else null: an
    immature cohort is never shown as a low rate.
-#}
with

cycles as (

    select * from {{ ref('int_mql_cycles_measured') }}

),

windows as (

    select * from {{ ref('kpi_cohort_windows') }}

),

member_windows as (

    select
        cycles.mql_month as cohort_month,
        cycles.kpi_channel as channel,
        windows.window_days,
        case when cycles.is_first_mql then 1 else 0 end as is_first_mql,
        case when cycles.days_since_mql >= windows.window_days then 1 else 0 end as is_mature,
        case
            when
                cycles.days_since_mql >= windows.window_days
                and cycles.days_mql_to_sql <= windows.window_days
                then 1
            else 0
        end as is_sql_within_window,
        case
            when
                cycles.days_since_mql >= windows.window_days
                and {{ elapsed_days('cycles.mql_at', 'cycles.opportunity_at') }} <= windows.window_days
                then 1
            else 0
        end as is_opportunity_within_window,
        case
            when
                cycles.days_since_mql >= windows.window_days
                and cycles.days_mql_to_won <= windows.window_days
                then 1
            else 0
        end as is_won_within_window

    from cycles
    cross join windows

),

cohorts as (

    select
        cohort_month,
        channel,
        window_days,
        count(*) as members,
        sum(is_first_mql) as first_time_mql_members,
        sum(is_mature) as mature_members,
        sum(is_sql_within_window) as sqls_within_window,
        sum(is_opportunity_within_window) as opportunities_within_window,
        sum(is_won_within_window) as won_within_window

    from member_windows
    group by cohort_month, channel, window_days

),

final as (

    select
        cohort_month,
        channel,
        cast(window_days as {{ dbt.type_int() }}) as window_days,
        cast(members as {{ dbt.type_bigint() }}) as members,
        cast(first_time_mql_members as {{ dbt.type_bigint() }}) as first_time_mql_members,
        cast(members - first_time_mql_members as {{ dbt.type_bigint() }}) as re_mql_members,
        cast(mature_members as {{ dbt.type_bigint() }}) as mature_members,
        mature_members = members as is_mature_cohort,
        cast(sqls_within_window as {{ dbt.type_bigint() }}) as sqls_within_window,
        cast(opportunities_within_window as {{ dbt.type_bigint() }}) as opportunities_within_window,
        cast(won_within_window as {{ dbt.type_bigint() }}) as won_within_window,
        case
            when mature_members = members then {{ safe_divide('sqls_within_window', 'members') }}
        end as mql_to_sql_rate,
        case
            when mature_members = members then {{ safe_divide('opportunities_within_window', 'members') }}
        end as mql_to_opportunity_rate,
        case
            when mature_members = members then {{ safe_divide('won_within_window', 'members') }}
        end as mql_to_won_rate

    from cohorts

)

select * from final
