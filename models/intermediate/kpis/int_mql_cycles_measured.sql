{#-
    One row per MQL entry (first-time MQL or re-MQL) of a live lead: its cycle and what the
    cycle reached. A cycle runs from the MQL entry to the lead's next MQL entry (in entry order),
    so each SQL, opportunity and customer entry belongs to exactly one MQL: a re-MQL never
    counts the previous cycle's conversions again.
      sql_at / opportunity_at / won_at: first sql / opportunity / customer entry of the cycle.
      opportunity_id: first opportunity of the lead created in [mql_at, next MQL).
      days_*: elapsed days between the steps (null when a step is missing).
      days_since_mql: mql_at -> the data's as-of (int_as_of_dates_resolved).
-#}
with

{{ import_refs({
    'transitions': 'fct_lead_stage_transitions',
    'channels': 'int_leads_channels_assigned',
    'opportunities': 'int_opportunities_converted',
    'as_of': 'int_as_of_dates_resolved',
}) }},

mql_entries as (

    select
        stage_entry_id as mql_entry_id,
        lead_id,
        entry_number as mql_number,
        lead_entry_number,
        entered_at as mql_at,
        lead(lead_entry_number) over (
            partition by lead_id
            order by lead_entry_number
        ) as next_mql_entry_number,
        lead(entered_at) over (
            partition by lead_id
            order by lead_entry_number
        ) as next_mql_at,
        lag(entered_at) over (
            partition by lead_id
            order by lead_entry_number
        ) as previous_mql_at

    from transitions
    where stage = 'mql'

),

cycle_steps as (

    select
        mql_entries.mql_entry_id,
        min(case when transitions.stage = 'sql' then transitions.entered_at end) as sql_at,
        min(case when transitions.stage = 'opportunity' then transitions.entered_at end) as opportunity_at,
        min(case when transitions.stage = 'customer' then transitions.entered_at end) as won_at

    from mql_entries
    inner join transitions
        on
            mql_entries.lead_id = transitions.lead_id
            and mql_entries.lead_entry_number < transitions.lead_entry_number
            and (
                mql_entries.next_mql_entry_number > transitions.lead_entry_number
                or mql_entries.next_mql_entry_number is null
            )
    where transitions.stage in ('sql', 'opportunity', 'customer')
    group by mql_entries.mql_entry_id

),

cycle_opportunities as (

    select
        mql_entries.mql_entry_id,
        opportunities.opportunity_id,
        opportunities.created_at,
        opportunities.closed_at,
        opportunities.is_won,
        opportunities.sales_cycle_days,
        row_number() over (
            partition by mql_entries.mql_entry_id
            order by opportunities.created_at, opportunities.opportunity_id
        ) as opportunity_rank

    from mql_entries
    inner join opportunities
        on
            mql_entries.lead_id = opportunities.lead_id
            and mql_entries.mql_at <= opportunities.created_at
            and (mql_entries.next_mql_at > opportunities.created_at or mql_entries.next_mql_at is null)

),

final as (

    select
        mql_entries.mql_entry_id,
        mql_entries.lead_id,
        mql_entries.mql_number,
        mql_entries.mql_number = 1 as is_first_mql,
        mql_entries.mql_at,
        cast({{ dbt.date_trunc('month', 'mql_entries.mql_at') }} as date) as mql_month,
        mql_entries.next_mql_at,
        mql_entries.previous_mql_at,
        channels.kpi_channel,
        channels.lead_source_channel,
        channels.acquisition_campaign_id,
        cycle_steps.sql_at,
        cycle_steps.opportunity_at,
        cycle_steps.won_at,
        cycle_opportunities.opportunity_id,
        cycle_opportunities.closed_at as opportunity_closed_at,
        cycle_opportunities.is_won as is_opportunity_won,
        {{ elapsed_days('mql_entries.mql_at', 'cycle_steps.sql_at') }} as days_mql_to_sql,
        {{ elapsed_days('cycle_steps.sql_at', 'cycle_steps.opportunity_at') }} as days_sql_to_opportunity,
        cycle_opportunities.sales_cycle_days as days_opportunity_to_close,
        {{ elapsed_days('mql_entries.mql_at', 'cycle_steps.won_at') }} as days_mql_to_won,
        {{ elapsed_days('mql_entries.mql_at', 'as_of.as_of_at') }} as days_since_mql

    from mql_entries
    cross join as_of
    left join channels
        on mql_entries.lead_id = channels.lead_id
    left join cycle_steps
        on mql_entries.mql_entry_id = cycle_steps.mql_entry_id
    left join cycle_opportunities
        on
            mql_entries.mql_entry_id = cycle_opportunities.mql_entry_id
            and cycle_opportunities.opportunity_rank = 1

)

select * from final
