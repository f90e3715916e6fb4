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
        cast(amount as {{ dbt.type_float() }}) as amount,
        {{ map_unknown('upper(currency)', 'opportunities', 'currency') }} as currency_code,
        {{ map_unknown('stage_name', 'opportunities') }} as stage_name,
        {{ to_utc_timestamp('created_at') }} as created_at,
        cast(close_date as date) as close_date,
        cast(is_closed as {{ dbt.type_boolean() }}) as is_closed,
        cast(is_won as {{ dbt.type_boolean() }}) as is_won,
        {{ to_utc_timestamp('updated_at') }} as updated_at

    from source

)

select * from renamed
