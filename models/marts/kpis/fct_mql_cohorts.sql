{#-
    MQL cohort conversion: one row per MQL cohort month x KPI channel x window (seed
    kpi_cohort_windows). Members are MQL entries (first-time and re-MQL: each cycle is one
    handoff to sales). A member is mature for a window of N days when mql_at + N days <= the
    data's as-of; converted within N days when its cycle reached the stage at most N days after
    mql_at. Rates are reported only for mature cohorts (every member mature), else null: an
    immature cohort is never shown as a low rate. The to_date window (window_days null) counts
    what each member reached by the as-of: every member is mature.
-#}
with

{{ import_refs({
    'cycles': 'int_mql_cycles_measured',
    'windows': 'kpi_cohort_windows',
}) }},

sized as (

    select
        cycles.mql_month as cohort_month,
        cycles.kpi_channel as channel,
        cycles.is_first_mql,
        cycles.mql_at,
        cycles.opportunity_at,
        cycles.days_since_mql,
        cycles.days_mql_to_sql,
        cycles.days_mql_to_won,
        windows.window_name,
        windows.window_days,
        coalesce(windows.window_days, cycles.days_since_mql) as effective_days

    from cycles
    cross join windows

),

member_windows as (

    select
        sized.cohort_month,
        sized.channel,
        sized.window_name,
        sized.window_days,
        case when sized.is_first_mql then 1 else 0 end as is_first_mql,
        case when sized.days_since_mql >= sized.effective_days then 1 else 0 end as is_mature,
        case
            when
                sized.days_since_mql >= sized.effective_days
                and sized.days_mql_to_sql <= sized.effective_days
                then 1
            else 0
        end as is_sql_within_window,
        case
            when
                sized.days_since_mql >= sized.effective_days
                and {{ elapsed_days('sized.mql_at', 'sized.opportunity_at') }} <= sized.effective_days
                then 1
            else 0
        end as is_opportunity_within_window,
        case
            when
                sized.days_since_mql >= sized.effective_days
                and sized.days_mql_to_won <= sized.effective_days
                then 1
            else 0
        end as is_won_within_window

    from sized

),

cohorts as (

    select
        cohort_month,
        channel,
        window_name,
        window_days,
        count(*) as members,
        sum(is_first_mql) as first_time_mql_members,
        sum(is_mature) as mature_members,
        sum(is_sql_within_window) as sqls_within_window,
        sum(is_opportunity_within_window) as opportunities_within_window,
        sum(is_won_within_window) as won_within_window

    from member_windows
    group by cohort_month, channel, window_name, window_days

),

final as (

    select
        cohort_month,
        channel,
        window_name,
        cast(window_days as {{ dbt.type_int() }}) as window_days,
        cast(members as {{ dbt.type_bigint() }}) as members,
        cast(first_time_mql_members as {{ dbt.type_bigint() }}) as first_time_mql_members,
        cast(members - first_time_mql_members as {{ dbt.type_bigint() }}) as re_mql_members,
        cast(mature_members as {{ dbt.type_bigint() }}) as mature_members,
        mature_members = members as is_mature_cohort,
        {{ bigint_counts(['sqls_within_window', 'opportunities_within_window', 'won_within_window']) }},
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
