{#- Rows of the raw marketing.campaign_members that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        campaign_member_id,
        campaign_id,
        lead_id,
        member_status,
        created_at,
        first_responded_at,
        quarantine_reason

    from {{ ref('base_marketing__campaign_members') }}
    where quarantine_reason is not null

)

select * from quarantined
