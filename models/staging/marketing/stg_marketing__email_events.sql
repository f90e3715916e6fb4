{#-
    Marketing email events. One row per event on one email to one lead. Stored incrementally, the staging exception (docs/incremental.md): an
    incremental run reads only the rows loaded since the watermark, and late rows (found and
    recorded when it is compiled: macros/incremental/late_rows.sql), and replaces their event ids.
-#}
{{ incremental_copy_config('email_event_id', 'base_marketing__email_events') }}
{#- Built after the page views, never beside them: the two largest dedupes would share DuckDB's
    memory_limit and both spill to disk (BENCHMARKS.md); one after the other each gets all of it. -#}
-- depends_on: {{ ref('stg_marketing__web_events') }}
{{ staged_rows('email_events', incremental=true, copies_from_raw=true) }}
