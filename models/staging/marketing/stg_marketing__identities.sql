with

source as (

    select * from {{ source('marketing', 'identities') }}

),

renamed as (

    select
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        {{ to_utc_timestamp('identified_at') }} as identified_at

    from source

)

select * from renamed
