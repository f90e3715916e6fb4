{#- Rows of the raw marketing.web_events that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        web_event_id,
        anonymous_id,
        session_id,
        occurred_at,
        page_url,
        page_category,
        utm_source,
        utm_medium,
        utm_campaign,
        loaded_at,
        quarantine_reason

    from {{ ref('base_marketing__web_events') }}
    where quarantine_reason is not null

)

select * from quarantined
