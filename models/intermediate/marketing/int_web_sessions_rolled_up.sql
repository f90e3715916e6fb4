{#-
    Web sessions: one row per session_id and anonymous_id (a tracker session belongs to one
    browser) with its page views counted, its first and last page view, and its landing utm
    (from the page views that carry a utm_medium). Incremental by key: a run finds the sessions
    touched by page views loaded since the watermark and re-computes each of them from all its
    page views (delete+insert / merge on the session), so late and re-delivered page views
    update the session exactly as a full rebuild would.
-#}
{{ incremental_by_key_config(['session_id', 'anonymous_id'], one_row_per_key=true) }}

{{ as_of_needs_full_refresh() }}

with

-- The page views of the sessions touched since the watermark (every one on a full build).
session_events as (

    {{ touched_key_rows('stg_marketing__web_events', 'session_id') }}

),

final as (

    select
        session_id,
        anonymous_id,
        min(occurred_at) as first_viewed_at,
        max(occurred_at) as last_viewed_at,
        count(*) as page_views,
        min(case when utm_medium is not null then occurred_at end) as utm_first_viewed_at,
        min(case when utm_medium is not null then utm_campaign end) as utm_campaign,
        min(case when utm_medium is not null then utm_source end) as utm_source,
        min(utm_medium) as utm_medium,
        max(loaded_at) as last_loaded_at

    from session_events
    group by
        session_id,
        anonymous_id

)

select *{{ incremental_key_bucket(['session_id', 'anonymous_id']) }} from final
