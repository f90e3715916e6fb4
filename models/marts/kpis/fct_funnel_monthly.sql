{#-
    Funnel volume: one row per month x KPI channel x fit grade (int_leads_fit_graded; 'ungraded'
    when the lead has none), for the combinations with any activity. Every count is a PERIOD
    count: what happened in the month, whichever month the lead came from. new_leads by lead
    creation; first_time_mqls / re_mqls: MQL entries with entry_number 1 / > 1 (a re-MQL is
    counted once as a re-MQL, never again as first-time); sals, sqls, opportunity_entries: stage
    entries in the month; opportunities_created / won / lost / won_amount_usd from the
    opportunities (created or closed in the month; won deals whose currency has no USD rate are
    counted in won_amount_unconverted_count and left out of won_amount_usd, never as 0). Period
    rates divide counts of the same month (not a cohort conversion: see fct_mql_cohorts).
-#}
with

{{ import_refs({
    'leads': 'dim_leads',
    'transitions': 'fct_lead_stage_transitions',
    'channels': 'int_leads_channels_assigned',
    'fit_grades': 'int_leads_fit_graded',
    'opportunities': 'int_opportunities_converted',
}) }},

lead_dimensions as (

    select
        leads.lead_id,
        channels.kpi_channel as channel,
        coalesce(fit_grades.fit_grade, 'ungraded') as fit_grade

    from leads
    {{- left_join_on_key('leads', ['channels', 'fit_grades']) }}

),

events as (

    select
        lead_id,
        created_at as event_at,
        'new_lead' as event_type,
        {{ money('0') }} as amount_usd,
        false as is_amount_unconverted

    from leads

    union all

    select
        lead_id,
        entered_at as event_at,
        case
            when stage = 'mql' and entry_number = 1 then 'first_time_mql'
            when stage = 'mql' then 're_mql'
            else stage
        end as event_type,
        {{ money('0') }} as amount_usd,
        false as is_amount_unconverted

    from transitions
    where stage in ('mql', 'sal', 'sql', 'opportunity')

    union all

    select
        lead_id,
        created_at as event_at,
        'opportunity_created' as event_type,
        {{ money('0') }} as amount_usd,
        false as is_amount_unconverted

    from opportunities
    where created_at is not null

    union all

    select
        lead_id,
        closed_at as event_at,
        case when is_won then 'won' else 'lost' end as event_type,
        case when is_won then amount_usd else {{ money('0') }} end as amount_usd,
        is_amount_unconverted

    from opportunities
    where is_closed

),

aggregated as (

    select
        cast({{ dbt.date_trunc('month', 'events.event_at') }} as date) as funnel_month,
        -- a deal whose primary lead is missing or deleted still counts, under channel no_lead
        case when events.lead_id is null then 'no_lead' else lead_dimensions.channel end as channel,
        coalesce(lead_dimensions.fit_grade, 'ungraded') as fit_grade,
        sum(case when events.event_type = 'new_lead' then 1 else 0 end) as new_leads,
        sum(case when events.event_type = 'first_time_mql' then 1 else 0 end) as first_time_mqls,
        sum(case when events.event_type = 're_mql' then 1 else 0 end) as re_mqls,
        sum(case when events.event_type = 'sal' then 1 else 0 end) as sals,
        sum(case when events.event_type = 'sql' then 1 else 0 end) as sqls,
        sum(case when events.event_type = 'opportunity' then 1 else 0 end) as opportunity_entries,
        sum(case when events.event_type = 'opportunity_created' then 1 else 0 end) as opportunities_created,
        sum(case when events.event_type = 'won' then 1 else 0 end) as won,
        sum(case when events.event_type = 'lost' then 1 else 0 end) as lost,
        sum(events.amount_usd) as won_amount_usd,
        sum(
            case when events.event_type = 'won' and events.is_amount_unconverted then 1 else 0 end
        ) as won_amount_unconverted_count

    from events
    left join lead_dimensions
        on events.lead_id = lead_dimensions.lead_id
    group by
        cast({{ dbt.date_trunc('month', 'events.event_at') }} as date),
        case when events.lead_id is null then 'no_lead' else lead_dimensions.channel end,
        coalesce(lead_dimensions.fit_grade, 'ungraded')

),

final as (

    select
        funnel_month,
        channel,
        fit_grade,
        {{ bigint_counts(['new_leads', 'first_time_mqls', 're_mqls']) }},
        cast(first_time_mqls + re_mqls as {{ dbt.type_bigint() }}) as mqls,
        {{ bigint_counts(['sals', 'sqls', 'opportunity_entries', 'opportunities_created', 'won', 'lost']) }},
        {{ money('won_amount_usd') }} as won_amount_usd,
        cast(won_amount_unconverted_count as {{ dbt.type_bigint() }}) as won_amount_unconverted_count,
        {{ safe_divide('first_time_mqls', 'new_leads') }} as period_lead_to_mql_rate,
        {{ safe_divide('sqls', 'first_time_mqls + re_mqls') }} as period_mql_to_sql_rate,
        {{ safe_divide('opportunities_created', 'sqls') }} as period_sql_to_opportunity_rate,
        {{ safe_divide('won', 'won + lost') }} as period_win_rate

    from aggregated

)

select * from final
