{#- Rows of the raw marketing.email_events that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        email_event_id,
        campaign_id,
        message_id,
        lead_id,
        event_type,
        occurred_at,
        loaded_at,
        quarantine_reason

    from {{ ref('base_marketing__email_events') }}
    where quarantine_reason is not null

)

select * from quarantined
