{#-
    Marketing email events, one row per email_event_id: the clean rows of the export with
    re-delivered copies dropped (the latest loaded copy kept), as stg_marketing__email_events,
    but stored incrementally: a run reads only the rows loaded since the watermark
    (loaded_since_watermark, by load time), dedupes them and replaces those event ids.
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
