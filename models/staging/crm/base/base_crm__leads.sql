{#-
    Base of stg_crm__leads: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_crm__leads keeps the clean rows; quarantine_crm__leads holds the others.
-#}
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

),

parent_account_id as (

    select distinct account_id
    from {{ ref('stg_crm__accounts') }}

),

parent_owner_id as (

    select distinct user_id
    from {{ ref('stg_crm__users') }}

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['lead_id', 'email', 'source_status', 'created_at', 'updated_at']) }}
            {{- quarantine_when_orphan('account_id', 'parent_account_id', 'account_id') }}
            {{- quarantine_when_orphan('owner_id', 'parent_owner_id', 'user_id') }}
            {{- quarantine_when_out_of_range(['created_at', 'updated_at']) }}
        end as quarantine_reason

    from renamed
    left join parent_account_id
        on renamed.account_id = parent_account_id.account_id
    left join parent_owner_id
        on renamed.owner_id = parent_owner_id.user_id

)

select * from checked
