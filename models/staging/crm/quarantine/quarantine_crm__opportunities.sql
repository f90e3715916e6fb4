{#- Rows of the raw crm.opportunities that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        opportunity_id,
        account_id,
        primary_lead_id,
        owner_id,
        amount,
        currency_code,
        stage_name,
        created_at,
        close_date,
        is_closed,
        is_won,
        updated_at,
        quarantine_reason

    from {{ ref('base_crm__opportunities') }}
    where quarantine_reason is not null

)

select * from quarantined
