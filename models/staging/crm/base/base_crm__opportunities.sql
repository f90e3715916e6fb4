{#-
    Base of stg_crm__opportunities: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_crm__opportunities keeps the clean rows; quarantine_crm__opportunities holds the others.
-#}
with

source as (

    select * from {{ source('crm', 'opportunities') }}

),

renamed as (

    select
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(primary_lead_id as {{ dbt.type_string() }}) as primary_lead_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(amount as {{ type_double() }}) as amount,
        {{ map_unknown('upper(currency)', 'opportunities', 'currency') }} as currency_code,
        {{ map_unknown('stage_name', 'opportunities') }} as stage_name,
        {{ to_utc_timestamp('created_at') }} as created_at,
        cast(close_date as date) as close_date,
        cast(is_closed as {{ dbt.type_boolean() }}) as is_closed,
        cast(is_won as {{ dbt.type_boolean() }}) as is_won,
        {{ to_utc_timestamp('updated_at') }} as updated_at

    from source

),

parent_account_id as (

    select distinct account_id
    from {{ ref('stg_crm__accounts') }}

),

parent_primary_lead_id as (

    select distinct lead_id
    from {{ ref('stg_crm__leads') }}

),

parent_owner_id as (

    select distinct user_id
    from {{ ref('stg_crm__users') }}

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['opportunity_id', 'account_id', 'owner_id', 'created_at', 'is_closed', 'is_won', 'updated_at']) }}
            {{- quarantine_when_orphan('account_id', 'parent_account_id', 'account_id') }}
            {{- quarantine_when_orphan('primary_lead_id', 'parent_primary_lead_id', 'lead_id') }}
            {{- quarantine_when_orphan('owner_id', 'parent_owner_id', 'user_id') }}
            {{- quarantine_when_out_of_range(['created_at', 'updated_at']) }}
            {{- quarantine_when_date_out_of_range(['close_date'], allow_future=true) }}
            {{- quarantine_when_below('amount') }}
            when renamed.close_date < cast(renamed.created_at as date)
                then 'close_date before created_at'
        end as quarantine_reason

    from renamed
    left join parent_account_id
        on renamed.account_id = parent_account_id.account_id
    left join parent_primary_lead_id
        on renamed.primary_lead_id = parent_primary_lead_id.lead_id
    left join parent_owner_id
        on renamed.owner_id = parent_owner_id.user_id

)

select * from checked
