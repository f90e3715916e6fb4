with

source as (

    select * from {{ source('crm', 'leads') }}

),

renamed as (

    select
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        {{ clean_email('email') }} as email,
        {{ email_domain('email') }} as email_domain,
        nullif(trim(cast(first_name as {{ dbt.type_string() }})), '') as first_name,
        nullif(trim(cast(last_name as {{ dbt.type_string() }})), '') as last_name,
        nullif(trim(cast(phone as {{ dbt.type_string() }})), '') as phone,
        nullif(trim(cast(title as {{ dbt.type_string() }})), '') as title,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        {{ map_unknown('lead_source', 'leads') }} as lead_source,
        trim(cast(status as {{ dbt.type_string() }})) as source_status,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at,
        coalesce(cast(is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,
        nullif(trim(cast(merged_into_lead_id as {{ dbt.type_string() }})), '') as merged_into_lead_id

    from source

)

select * from renamed
