{#-
    Base of stg_marketing__ad_spend: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_marketing__ad_spend keeps the clean rows; quarantine_marketing__ad_spend holds the others.
-#}
with

source as (

    select * from {{ source('marketing', 'ad_spend') }}

),

renamed as (

    select
        cast(spend_date as date) as spend_date,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        {{ map_unknown('lower(channel)', 'ad_spend', 'channel') }} as channel,
        cast(spend as {{ type_double() }}) as spend,
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks

    from source

),

parent_campaign_id as (

    select distinct campaign_id
    from {{ ref('stg_marketing__campaigns') }}

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['spend_date', 'campaign_id', 'spend', 'impressions', 'clicks']) }}
            {{- quarantine_when_orphan('campaign_id', 'parent_campaign_id', 'campaign_id') }}
            {{- quarantine_when_date_out_of_range(['spend_date']) }}
            {{- quarantine_when_below('spend') }}
            {{- quarantine_when_below('impressions') }}
            {{- quarantine_when_below('clicks') }}
        end as quarantine_reason

    from renamed
    left join parent_campaign_id
        on renamed.campaign_id = parent_campaign_id.campaign_id

)

select * from checked
