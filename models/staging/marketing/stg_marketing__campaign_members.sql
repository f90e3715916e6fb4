with

source as (

    select * from {{ source('marketing', 'campaign_members') }}

),

renamed as (

    select
        cast(campaign_member_id as {{ dbt.type_string() }}) as campaign_member_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        {{ map_unknown('lower(status)', 'campaign_members', 'status') }} as member_status,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('first_responded_at') }} as first_responded_at

    from source

)

select * from renamed
