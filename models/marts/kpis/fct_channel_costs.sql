{#-
    Marketing cost and return: one row per month x channel x campaign (campaign_id null: leads
    with no acquisition campaign, e.g. direct traffic). Spend, impressions and clicks from the
    ad spend (spend_date month). Leads and their outcomes are credited to the lead's acquisition
    campaign and channel (int_leads_channels_assigned: the creating form's campaign) in the month
    each happened: leads by creation, MQLs by first MQL (first-time MQLs only: a re-MQL is not a
    newly acquired MQL), SQLs by first SQL, won deals and won USD by close. Spend, impressions
    and clicks are null where no ad spend is recorded (organic, referral... are not free, just
    untracked). Cost per X = spend / X, return_on_spend = won USD / spend; a zero or missing
    denominator (or missing spend) gives null. Won deals whose amount has no USD rate are
    counted in won_amount_unconverted_count and left out of won_amount_usd (never as 0). A spend
    row without a channel takes its campaign's.
-#}
with

ad_spend as (

    select * from {{ ref('stg_marketing__ad_spend') }}

),

leads as (

    select * from {{ ref('dim_leads') }}

),

channels as (

    select * from {{ ref('int_leads_channels_assigned') }}

),

opportunities as (

    select * from {{ ref('int_opportunities_converted') }}

),

campaigns as (

    select * from {{ ref('stg_marketing__campaigns') }}

),

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
        sum(spend) as spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        0 as leads,
        0 as mqls,
        0 as sqls,
        0 as won_deals,
        cast(0 as {{ type_double() }}) as won_amount_usd,
        0 as won_amount_unconverted

    from spend_rows
    group by cost_month, channel, campaign_id

),

lead_events as (

    select
        leads.created_at as event_at,
        1 as is_lead,
        0 as is_mql,
        0 as is_sql,
        0 as is_won,
        cast(0 as {{ type_double() }}) as won_amount_usd,
        0 as is_won_unconverted,
        channels.acquisition_channel,
        channels.acquisition_campaign_id

    from leads
    inner join channels
        on leads.lead_id = channels.lead_id

    union all

    select
        leads.first_mql_at as event_at,
        0 as is_lead,
        1 as is_mql,
        0 as is_sql,
        0 as is_won,
        cast(0 as {{ type_double() }}) as won_amount_usd,
        0 as is_won_unconverted,
        channels.acquisition_channel,
        channels.acquisition_campaign_id

    from leads
    inner join channels
        on leads.lead_id = channels.lead_id
    where leads.first_mql_at is not null

    union all

    select
        leads.first_sql_at as event_at,
        0 as is_lead,
        0 as is_mql,
        1 as is_sql,
        0 as is_won,
        cast(0 as {{ type_double() }}) as won_amount_usd,
        0 as is_won_unconverted,
        channels.acquisition_channel,
        channels.acquisition_campaign_id

    from leads
    inner join channels
        on leads.lead_id = channels.lead_id
    where leads.first_sql_at is not null

    union all

    select
        opportunities.closed_at as event_at,
        0 as is_lead,
        0 as is_mql,
        0 as is_sql,
        1 as is_won,
        opportunities.amount_usd as won_amount_usd,
        case when opportunities.is_amount_unconverted then 1 else 0 end as is_won_unconverted,
        channels.acquisition_channel,
        channels.acquisition_campaign_id

    from opportunities
    inner join channels
        on opportunities.lead_id = channels.lead_id
    where opportunities.is_won

),

outcomes as (

    select
        cast({{ dbt.date_trunc('month', 'event_at') }} as date) as cost_month,
        acquisition_channel as channel,
        acquisition_campaign_id as campaign_id,
        cast(null as {{ type_double() }}) as spend,
        cast(null as {{ dbt.type_bigint() }}) as impressions,
        cast(null as {{ dbt.type_bigint() }}) as clicks,
        sum(is_lead) as leads,
        sum(is_mql) as mqls,
        sum(is_sql) as sqls,
        sum(is_won) as won_deals,
        sum(won_amount_usd) as won_amount_usd,
        sum(is_won_unconverted) as won_amount_unconverted

    from lead_events
    group by
        cast({{ dbt.date_trunc('month', 'event_at') }} as date),
        acquisition_channel,
        acquisition_campaign_id

),

unioned as (

    select * from spend
    union all
    select * from outcomes

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
        cast(spend as {{ type_double() }}) as spend,
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(leads as {{ dbt.type_bigint() }}) as leads,
        cast(mqls as {{ dbt.type_bigint() }}) as mqls,
        cast(sqls as {{ dbt.type_bigint() }}) as sqls,
        cast(won_deals as {{ dbt.type_bigint() }}) as won_deals,
        cast(won_amount_usd as {{ type_double() }}) as won_amount_usd,
        cast(won_amount_unconverted as {{ dbt.type_bigint() }}) as won_amount_unconverted_count,
        {{ safe_divide('spend', 'leads') }} as cost_per_lead,
        {{ safe_divide('spend', 'mqls') }} as cost_per_mql,
        {{ safe_divide('spend', 'sqls') }} as cost_per_sql,
        {{ safe_divide('spend', 'won_deals') }} as cost_per_won_deal,
        {{ safe_divide('won_amount_usd', 'spend') }} as return_on_spend

    from aggregated

)

select * from final
