{#-
    Page views from the website tracker. One row per page view. Stored incrementally, the staging exception (docs/incremental.md): an
    incremental run reads only the rows loaded since the watermark, and late rows (found and
    recorded when it is compiled: macros/incremental/late_rows.sql), and replaces their event ids.
-#}
{{ incremental_copy_config('web_event_id', 'base_marketing__web_events') }}
{{ staged_rows('web_events', incremental=true, copies_from_raw=true) }}
