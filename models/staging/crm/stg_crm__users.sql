with

source as (

    select * from {{ source('crm', 'users') }}

),

renamed as (

    select
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast(full_name as {{ dbt.type_string() }}) as full_name,
        {{ clean_email('email') }} as email,
        {{ map_unknown('lower(role)', 'users', 'role') }} as user_role,
        lower(trim(cast(team as {{ dbt.type_string() }}))) as team,
        cast(is_active as {{ dbt.type_boolean() }}) as is_active,
        {{ to_utc_timestamp('created_at') }} as created_at

    from source

)

select * from renamed
