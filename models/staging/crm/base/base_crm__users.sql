{#-
    Base of stg_crm__users: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_crm__users keeps the clean rows; quarantine_crm__users holds the others.
-#}
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

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['user_id', 'full_name', 'email', 'team', 'is_active', 'created_at']) }}
            {{- quarantine_when_out_of_range(['created_at']) }}
        end as quarantine_reason

    from renamed

)

select * from checked
