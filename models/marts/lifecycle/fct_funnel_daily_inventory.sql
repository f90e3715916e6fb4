{#-
    Daily funnel inventory: one row per day x stage x KPI channel (var kpi_channel_model, as every
    mart that splits by channel; dense: every combination, zeros included). Built from the stage intervals without a lead x day
    expansion: entries and exits are counted per day, and the leads in a stage at the end of a
    day are the running sum of entries minus exits (plus the leads already in the stage when
    the range starts). Date range: lifecycle_inventory_date_bounds (vars or derived from data).
-#}
{%- set bounds = lifecycle_inventory_date_bounds(ref('fct_lead_stage_intervals')) -%}
{%- set first_day = "cast('" ~ bounds.start ~ "' as date)" -%}
{%- set day_after_last = dbt.dateadd('day', 1, "cast('" ~ bounds.end ~ "' as date)") -%}

with

{{ import_refs({
    'intervals': 'fct_lead_stage_intervals',
    'lead_channels': 'int_leads_channels_assigned',
    'canonical_stages': 'canonical_stages',
    'channel_seed': 'channels',
}) }},

day_spine as (

    {{ dbt.date_spine('day', first_day, day_after_last) }}

),

days as (

    select cast(date_day as date) as inventory_date

    from day_spine

),

stages as (

    select stage from canonical_stages
    union
    select 'unmapped' as stage

),

channels as (

    select channel from channel_seed
    union
    select 'unmapped' as channel
    union
    -- leads whose source nothing recorded
    select cast(null as {{ dbt.type_string() }}) as channel

),

grid as (

    select
        days.inventory_date,
        stages.stage,
        channels.channel

    from days
    cross join stages
    cross join channels
    -- no stage interval at all (a delivery without leads): no rows
    where {{ 'false' if bounds.empty else 'true' }}

),

lead_intervals as (

    select
        intervals.stage,
        intervals.valid_from,
        intervals.valid_to,
        intervals.is_recycle or intervals.is_reopen as is_recycle,
        lead_channels.kpi_channel as channel

    from intervals
    inner join lead_channels
        on intervals.lead_id = lead_channels.lead_id

),

-- Leads already in a stage when the range starts (0 when the range is derived from data).
opening_balance as (

    select
        stage,
        channel,
        count(*) as leads_in_stage

    from lead_intervals
    where
        valid_from < {{ first_day }}
        and (valid_to >= {{ first_day }} or valid_to is null)
    group by stage, channel

),

-- Each stage entry and each exit inside the range, on its day.
flows as (

    select
        cast(valid_from as date) as inventory_date,
        stage,
        channel,
        'entry' as flow,
        is_recycle

    from lead_intervals
    where
        valid_from >= {{ first_day }}
        and valid_from < {{ day_after_last }}

    union all

    select
        cast(valid_to as date) as inventory_date,
        stage,
        channel,
        'exit' as flow,
        false as is_recycle

    from lead_intervals
    where
        valid_to >= {{ first_day }}
        and valid_to < {{ day_after_last }}

),

daily_flows as (

    select
        inventory_date,
        stage,
        channel,
        count(case when flow = 'entry' then 1 end) as entries,
        count(case when flow = 'exit' then 1 end) as exits,
        sum(case when flow = 'entry' and is_recycle then 1 else 0 end) as recycles

    from flows
    group by inventory_date, stage, channel

),

daily as (

    select
        grid.inventory_date,
        grid.stage,
        grid.channel,
        coalesce(opening_balance.leads_in_stage, 0) as opening_leads,
        {{ zero_filled('daily_flows', ['entries', 'exits', 'recycles']) }}

    from grid
    left join opening_balance
        on
            grid.stage = opening_balance.stage
            and {{ null_safe_equals('grid.channel', 'opening_balance.channel') }}
    left join daily_flows
        on
            grid.inventory_date = daily_flows.inventory_date
            and grid.stage = daily_flows.stage
            and {{ null_safe_equals('grid.channel', 'daily_flows.channel') }}

),

final as (

    select
        inventory_date,
        stage,
        channel,
        cast(
            opening_leads
            + sum(entries - exits) over (
                partition by stage, channel
                order by inventory_date
                rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as leads_in_stage_end_of_day,
        entries,
        exits,
        cast(recycles as {{ dbt.type_bigint() }}) as recycles

    from daily

)

select * from final
