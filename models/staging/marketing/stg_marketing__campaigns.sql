with

source as (

    select * from {{ source('marketing', 'campaigns') }}

),

renamed as (

    select
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
        {{ map_unknown('lower(channel)', 'campaigns', 'channel') }} as channel,
        {{ map_unknown('lower(campaign_type)', 'campaigns', 'campaign_type') }} as campaign_type,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date

    from source

)

select * from renamed
