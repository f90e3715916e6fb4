with

clean as (

    select
        account_id,
        account_name,
        industry,
        employee_count,
        annual_revenue,
        country_code,
        is_target_account,
        created_at,
        updated_at

    from {{ ref('base_crm__accounts') }}
    where quarantine_reason is null

)

select * from clean
