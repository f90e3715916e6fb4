{#- Rows of the raw marketing.identities that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        anonymous_id,
        lead_id,
        identified_at,
        quarantine_reason

    from {{ ref('base_marketing__identities') }}
    where quarantine_reason is not null

)

select * from quarantined
