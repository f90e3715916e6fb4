{#-
    Page views from the website tracker, one row per event id: the clean rows of base_marketing__web_events (renamed, cast,
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
        unique_key='web_event_id',
        on_schema_change='fail',
    )
}}

with

web_events as (

    select * from {{ ref('base_marketing__web_events') }}

),

loaded as (

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
        loaded_at

    from web_events
    where
        quarantine_reason is null
        and {{ loaded_since_watermark('loaded_at') }}

),

deduplicated as (

    {{ keep_latest_loaded('loaded', 'web_event_id') }}

)

select * from deduplicated
