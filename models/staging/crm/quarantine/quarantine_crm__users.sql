{#- Rows of the raw crm.users that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        user_id,
        full_name,
        email,
        user_role,
        team,
        is_active,
        created_at,
        quarantine_reason

    from {{ ref('base_crm__users') }}
    where quarantine_reason is not null

)

select * from quarantined
