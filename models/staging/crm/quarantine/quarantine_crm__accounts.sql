{#- Rows of the raw crm.accounts that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        account_id,
        account_name,
        industry,
        employee_count,
        annual_revenue,
        country_code,
        is_target_account,
        created_at,
        updated_at,
        quarantine_reason

    from {{ ref('base_crm__accounts') }}
    where quarantine_reason is not null

)

select * from quarantined
