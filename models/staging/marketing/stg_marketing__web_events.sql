with

clean as (

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

    from {{ ref('base_marketing__web_events') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ keep_latest_loaded('clean', 'web_event_id') }}

)

select * from deduplicated
