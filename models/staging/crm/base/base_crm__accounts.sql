{#-
    Base of stg_crm__accounts: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_crm__accounts keeps the clean rows; quarantine_crm__accounts holds the others.
-#}
with

source as (

    select * from {{ source('crm', 'accounts') }}

),

renamed as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        {{ map_unknown('industry', 'accounts') }} as industry,
        cast(employee_count as {{ dbt.type_bigint() }}) as employee_count,
        cast(annual_revenue as {{ type_double() }}) as annual_revenue,
        {{ map_unknown('upper(country)', 'accounts', 'country') }} as country_code,
        cast(is_target_account as {{ dbt.type_boolean() }}) as is_target_account,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at

    from source

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['account_id', 'account_name', 'is_target_account', 'created_at', 'updated_at']) }}
            {{- quarantine_when_out_of_range(['created_at', 'updated_at']) }}
            {{- quarantine_when_below('employee_count', 1) }}
            {{- quarantine_when_below('annual_revenue') }}
        end as quarantine_reason

    from renamed

)

select * from checked
