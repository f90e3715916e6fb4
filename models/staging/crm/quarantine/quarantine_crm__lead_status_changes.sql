{#- Rows of the raw crm.lead_status_changes that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        status_change_id,
        lead_id,
        old_source_status,
        new_source_status,
        changed_at,
        changed_by,
        loaded_at,
        quarantine_reason

    from {{ ref('base_crm__lead_status_changes') }}
    where quarantine_reason is not null

)

select * from quarantined
