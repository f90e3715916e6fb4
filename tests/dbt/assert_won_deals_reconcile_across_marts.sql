{#-
    One count of every deal (docs/kpis.md, "One count of every deal"): the won deals and their USD
    amount are the same in every mart that reports them: fct_opportunities (the reference),
    fct_funnel_monthly, fct_opportunity_kpis_monthly, fct_channel_costs and
    fct_opportunity_attribution (attributed credit), dim_leads (won deals of live leads) plus the
    deals without a live lead; and every lead with a won deal is a customer in the lifecycle. One
    row per mart that disagrees.
-#}
with

opportunities as (

    select * from {{ ref('fct_opportunities') }}

),

funnel as (

    select * from {{ ref('fct_funnel_monthly') }}

),

opportunity_kpis as (

    select * from {{ ref('fct_opportunity_kpis_monthly') }}

),

channel_costs as (

    select * from {{ ref('fct_channel_costs') }}

),

attribution as (

    select * from {{ ref('fct_opportunity_attribution') }}

),

leads as (

    select * from {{ ref('dim_leads') }}

),

transitions as (

    select * from {{ ref('fct_lead_stage_transitions') }}

),

reference as (

    select
        cast(count(*) as {{ type_double() }}) as won_deals,
        coalesce(sum(won_amount_usd), 0) as won_amount_usd,
        count(distinct lead_id) as won_leads

    from opportunities
    where is_won

),

without_lead as (

    select
        cast(count(*) as {{ type_double() }}) as won_deals,
        coalesce(sum(won_amount_usd), 0) as won_amount_usd

    from opportunities
    where is_won and lead_id is null

),

reported as (

    select
        'fct_funnel_monthly' as mart,
        cast(sum(won) as {{ type_double() }}) as won_deals,
        coalesce(sum(won_amount_usd), 0) as won_amount_usd
    from funnel

    union all

    select
        'fct_opportunity_kpis_monthly' as mart,
        cast(sum(opportunities_won) as {{ type_double() }}) as won_deals,
        coalesce(sum(won_amount_usd), 0) as won_amount_usd
    from opportunity_kpis

    union all

    select
        'fct_channel_costs' as mart,
        sum(won_deals) as won_deals,
        coalesce(sum(won_amount_usd), 0) as won_amount_usd
    from channel_costs

    union all

    select
        'fct_opportunity_attribution' as mart,
        sum(case when is_won then linear_credit else 0 end) as won_deals,
        coalesce(sum(case when is_won then linear_amount_usd end), 0) as won_amount_usd
    from attribution

    union all

    select
        'dim_leads + deals without a live lead' as mart,
        cast(sum(leads.won_deals) as {{ type_double() }}) + max(without_lead.won_deals) as won_deals,
        sum(leads.won_amount_usd) + max(without_lead.won_amount_usd) as won_amount_usd
    from leads
    cross join without_lead

),

disagreements as (

    select
        reported.mart,
        reported.won_deals,
        reference.won_deals as reference_won_deals,
        reported.won_amount_usd,
        reference.won_amount_usd as reference_won_amount_usd

    from reported
    cross join reference
    where
        abs(reported.won_deals - reference.won_deals) > 1e-6
        or abs(reported.won_amount_usd - reference.won_amount_usd) > 1e-6 * greatest(1, abs(reference.won_amount_usd))

    union all

    select
        'fct_lead_stage_transitions (leads with a customer entry)' as mart,
        cast(count(distinct transitions.lead_id) as {{ type_double() }}) as won_deals,
        cast(max(reference.won_leads) as {{ type_double() }}) as reference_won_deals,
        cast(null as {{ type_double() }}) as won_amount_usd,
        cast(null as {{ type_double() }}) as reference_won_amount_usd

    from transitions
    cross join reference
    where transitions.stage = 'customer'
    having count(distinct transitions.lead_id) <> max(reference.won_leads)

)

select * from disagreements
