with

clean as (

    select
        email_event_id,
        campaign_id,
        message_id,
        lead_id,
        event_type,
        occurred_at,
        loaded_at

    from {{ ref('base_marketing__email_events') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ keep_latest_loaded('clean', 'email_event_id') }}

)

select * from deduplicated
