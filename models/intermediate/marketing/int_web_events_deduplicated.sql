{#-
    Page views, one row per web_event_id: the clean rows of the tracker export with re-delivered
    copies dropped (the latest loaded copy kept), as stg_marketing__web_events, but stored
    incrementally. An incremental run reads only the rows loaded since the watermark
    (loaded_since_watermark: by load time, so late events are picked up), dedupes them and
    replaces those event ids. It reads the base model, not the staging view, so the load-time
    filter applies before the dedupe and a run scans only the new rows' work.
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
