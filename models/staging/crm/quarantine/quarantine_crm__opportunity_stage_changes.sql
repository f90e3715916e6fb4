{#- Rows of the raw crm.opportunity_stage_changes that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        stage_change_id,
        opportunity_id,
        old_stage_name,
        new_stage_name,
        changed_at,
        loaded_at,
        quarantine_reason

    from {{ ref('base_crm__opportunity_stage_changes') }}
    where quarantine_reason is not null

)

select * from quarantined
