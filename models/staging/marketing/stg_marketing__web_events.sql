{#-
    Page views from the website tracker. One row per page view. Stored incrementally, the staging exception (docs/incremental.md): an
    incremental run reads only the rows loaded since the watermark, and late rows (their pre-hook
    records them: macros/incremental/late_rows.sql), and replaces their event ids.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy(),
        unique_key='web_event_id',
        on_schema_change='fail',
        pre_hook="{{ record_late_rows(ref('base_marketing__web_events'), 'web_event_id') }}",
    )
}}
{{ staged_rows('web_events', incremental=true) }}
