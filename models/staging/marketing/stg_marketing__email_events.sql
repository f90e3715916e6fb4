{#-
    Marketing email events, one row per event id: the clean rows of base_marketing__email_events (renamed, cast,
    UTC; quarantined rows set aside) with re-delivered copies dropped, the latest loaded copy
    kept (keep_latest_loaded).

    Stored incrementally rather than as a view, the one staging exception (docs/incremental.md):
    this is the largest raw table, every build reads it and every data test on it would otherwise
    re-read and re-deduplicate the raw file. An incremental run reads only the rows loaded since
    the watermark (loaded_since_watermark: by load time, so late events are picked up), dedupes
    them and replaces those event ids; --full-refresh rebuilds it from every raw row.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy(),
        unique_key='email_event_id',
        on_schema_change='fail',
    )
}}

with

email_events as (

    select * from {{ ref('base_marketing__email_events') }}

),

loaded as (

    select
        email_event_id,
        campaign_id,
        message_id,
        lead_id,
        event_type,
        occurred_at,
        loaded_at

    from email_events
    where
        quarantine_reason is null
        and {{ loaded_since_watermark('loaded_at') }}

),

deduplicated as (

    {{ keep_latest_loaded('loaded', 'email_event_id') }}

)

select * from deduplicated
