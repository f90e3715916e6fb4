{#-
    One row per opportunity: amount in USD (null, flagged is_amount_unconverted, when its
    currency has no rate for the month), dates, sales cycle, segment and the live lead's KPI
    channel. The base of the opportunity KPIs and of the semantic layer's win rate, deal size and
    cycle metrics.
-#}
with

{{ import_refs({
    'opportunities': 'int_opportunities_converted',
    'channels': 'int_leads_channels_assigned',
}) }},

final as (

    select
        opportunities.opportunity_id,
        opportunities.lead_id,
        opportunities.account_id,
        opportunities.owner_id,
        opportunities.segment,
        -- a deal whose primary lead is missing or deleted still counts, under channel no_lead
        case when opportunities.lead_id is null then 'no_lead' else channels.kpi_channel end as channel,
        opportunities.stage_name,
        opportunities.stage_category,
        opportunities.currency_code_raw,
        opportunities.currency_code,
        opportunities.amount_usd,
        opportunities.is_amount_unconverted,
        case when opportunities.is_won then opportunities.amount_usd end as won_amount_usd,
        opportunities.created_at,
        cast({{ dbt.date_trunc('month', 'opportunities.created_at') }} as date) as created_month,
        opportunities.closed_at,
        cast({{ dbt.date_trunc('month', 'opportunities.closed_at') }} as date) as closed_month,
        opportunities.is_closed,
        opportunities.is_won,
        opportunities.is_closed and not opportunities.is_won as is_lost,
        opportunities.sales_cycle_days

    from opportunities
    left join channels
        on opportunities.lead_id = channels.lead_id

)

select * from final
