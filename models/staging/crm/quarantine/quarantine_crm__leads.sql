{#- Rows of the raw crm.leads that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        lead_id,
        email,
        email_domain,
        first_name,
        last_name,
        phone,
        title,
        account_id,
        owner_id,
        lead_source,
        source_status,
        created_at,
        updated_at,
        is_deleted,
        merged_into_lead_id,
        quarantine_reason

    from {{ ref('base_crm__leads') }}
    where quarantine_reason is not null

)

select * from quarantined
