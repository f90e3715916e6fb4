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
        cast(annual_revenue as {{ dbt.type_float() }}) as annual_revenue,
        {{ map_unknown('upper(country)', 'accounts', 'country') }} as country_code,
        cast(is_target_account as {{ dbt.type_boolean() }}) as is_target_account,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at

    from source

)

select * from renamed
