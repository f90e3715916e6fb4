{#-
    Marketing cost and return: one row per month x channel x campaign (campaign_id null: not
    attributable to a campaign). Spend, impressions and clicks from the ad spend (spend_date
    month; a spend row without a channel takes its campaign's); null where no spend is recorded
    (organic, referral... are not free, just untracked). Leads, MQLs (first-time only: a re-MQL is
    not a newly acquired MQL) and SQLs (the first) count in the month each happened, under the
    lead's KPI channel and the campaign behind it (int_leads_channels_assigned, var
    kpi_channel_model). Won deals and won USD are attributed: the credit of the touches before
    each deal (fct_opportunity_attribution, var kpi_attribution_model), at the touch's channel,
    campaign and month (credit_month), so credit sits beside the spend that bought the touch;
    deals without touches at their lead's KPI channel in their creation month, deals without a
    live lead at no_lead, so every won deal and dollar is counted once. Cost per X =
    spend / X, return_on_spend = attributed won USD / spend; a zero or missing denominator (or
    missing spend) gives null. Attributed deals whose currency has no USD rate are counted in
    won_amount_unconverted_deals and left out of won_amount_usd (never as 0).
-#}
{%- set attribution_model = var('kpi_attribution_model') -%}
with

{{ import_refs({
    'ad_spend': 'stg_marketing__ad_spend',
    'leads': 'dim_leads',
    'channels': 'int_leads_channels_assigned',
    'attribution': 'fct_opportunity_attribution',
    'campaigns': 'stg_marketing__campaigns',
}) }},

spend_rows as (

    select
        cast({{ dbt.date_trunc('month', 'ad_spend.spend_date') }} as date) as cost_month,
        coalesce(ad_spend.channel, campaigns.channel) as channel,
        ad_spend.campaign_id,
        ad_spend.spend,
        ad_spend.impressions,
        ad_spend.clicks

    from ad_spend
    left join campaigns
        on ad_spend.campaign_id = campaigns.campaign_id

),

spend as (

    select
        cost_month,
        channel,
        campaign_id,
        {{ money('sum(spend)') }} as spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        0 as leads,
        0 as mqls,
        0 as sqls,
        cast(0 as {{ type_exact_decimal() }}) as won_deals,
        {{ money('0') }} as won_amount_usd,
        cast(0 as {{ type_exact_decimal() }}) as won_amount_unconverted

    from spend_rows
    group by cost_month, channel, campaign_id

),

-- One row per lead event: its creation (every lead), its first MQL and first SQL (when reached).
lead_events as (
    {%- for event, event_at in [('lead', 'created_at'), ('mql', 'first_mql_at'), ('sql', 'first_sql_at')] %}

        select
            leads.{{ event_at }} as event_at,
            {{ 1 if event == 'lead' else 0 }} as is_lead,
            {{ 1 if event == 'mql' else 0 }} as is_mql,
            {{ 1 if event == 'sql' else 0 }} as is_sql,
            channels.kpi_channel,
            channels.kpi_campaign_id

        from leads
        inner join channels
            on leads.lead_id = channels.lead_id
        {%- if not loop.first %}
            where leads.{{ event_at }} is not null
        {%- endif %}
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

lead_outcomes as (

    select
        cast({{ dbt.date_trunc('month', 'event_at') }} as date) as cost_month,
        kpi_channel as channel,
        kpi_campaign_id as campaign_id,
        {{ money('null') }} as spend,
        cast(null as {{ dbt.type_bigint() }}) as impressions,
        cast(null as {{ dbt.type_bigint() }}) as clicks,
        sum(is_lead) as leads,
        sum(is_mql) as mqls,
        sum(is_sql) as sqls,
        cast(0 as {{ type_exact_decimal() }}) as won_deals,
        {{ money('0') }} as won_amount_usd,
        cast(0 as {{ type_exact_decimal() }}) as won_amount_unconverted

    from lead_events
    group by
        cast({{ dbt.date_trunc('month', 'event_at') }} as date),
        kpi_channel,
        kpi_campaign_id

),

-- Won deals and won USD credited to the touches before each deal (fct_opportunity_attribution,
-- var kpi_attribution_model), in the month of the touch.
won_credits as (

    select
        credit_month as cost_month,
        channel,
        campaign_id,
        {{ money('null') }} as spend,
        cast(null as {{ dbt.type_bigint() }}) as impressions,
        cast(null as {{ dbt.type_bigint() }}) as clicks,
        0 as leads,
        0 as mqls,
        0 as sqls,
        {{ exact_sum(attribution_model ~ '_credit') }} as won_deals,
        {{ money('sum(' ~ attribution_model ~ '_amount_usd)') }} as won_amount_usd,
        {{ exact_sum('case when is_amount_unconverted then ' ~ attribution_model ~ '_credit else 0 end') }}
            as won_amount_unconverted

    from attribution
    where is_won
    group by credit_month, channel, campaign_id

),

unioned as (

    select * from spend
    union all
    select * from lead_outcomes
    union all
    select * from won_credits

),

aggregated as (

    select
        cost_month,
        channel,
        campaign_id,
        sum(spend) as spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(leads) as leads,
        sum(mqls) as mqls,
        sum(sqls) as sqls,
        sum(won_deals) as won_deals,
        sum(won_amount_usd) as won_amount_usd,
        sum(won_amount_unconverted) as won_amount_unconverted

    from unioned
    group by cost_month, channel, campaign_id

),

final as (

    select
        cost_month,
        channel,
        campaign_id,
        {{ money('spend') }} as spend,
        {{ bigint_counts(['impressions', 'clicks', 'leads', 'mqls', 'sqls']) }},
        cast(won_deals as {{ type_double() }}) as won_deals,
        {{ money('won_amount_usd') }} as won_amount_usd,
        cast(won_amount_unconverted as {{ type_double() }}) as won_amount_unconverted_deals,
        {{ safe_divide('spend', 'leads') }} as cost_per_lead,
        {{ safe_divide('spend', 'mqls') }} as cost_per_mql,
        {{ safe_divide('spend', 'sqls') }} as cost_per_sql,
        {{ safe_divide('spend', 'won_deals') }} as cost_per_won_deal,
        {{ safe_divide('won_amount_usd', 'spend') }} as return_on_spend

    from aggregated

)

select * from final
