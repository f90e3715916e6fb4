with

source as (

    select * from {{ source('marketing', 'ad_spend') }}

),

renamed as (

    select
        cast(spend_date as date) as spend_date,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        {{ map_unknown('lower(channel)', 'ad_spend', 'channel') }} as channel,
        cast(spend as {{ dbt.type_float() }}) as spend,
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks

    from source

)

select * from renamed
