{#- Rows of the raw crm.activities that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        activity_id,
        lead_id,
        user_id,
        activity_type,
        occurred_at,
        loaded_at,
        quarantine_reason

    from {{ ref('base_crm__activities') }}
    where quarantine_reason is not null

)

select * from quarantined
