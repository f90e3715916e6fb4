{#-
    incremental_by_key_config(unique_key, post_hook=none, one_row_per_key=false): the config of every
    incremental model here, called where the model would call config(). A run replaces the
    stored rows of the keys it re-computes (`unique_key`: a column or a list), on Spark through
    the key buckets (incremental_partition_by); a changed schema fails the run (docs/incremental.md).
      one_row_per_key: false (the fingerprint models of incremental_fingerprints.sql, several rows
        per key): all rows of a key replaced together (delete+insert); true: rows upserted (merge
        where the engine has it). The strategy: incremental_strategy (dispatched).
      post_hook: a string (or a list of them) rendered at run time, or none: what the strategy
        cannot do (insert the other scoring batches, delete keys gone from the inputs, record a
        copy mark).
-#}
{% macro incremental_by_key_config(unique_key, post_hook=none, one_row_per_key=false) -%}
    {{ config(
        materialized='incremental',
        incremental_strategy=incremental_strategy(one_row_per_key),
        unique_key=unique_key,
        partition_by=incremental_partition_by(),
        on_schema_change='fail',
        post_hook=(post_hook if post_hook is not string else [post_hook]) if post_hook else [],
    ) }}
{%- endmacro %}

{#- incremental_copy_config(unique_key, source_model): the config of an incremental copy of a raw
    table (the staged email events and page views, the deduplicated form fills): one row per
    `unique_key` (one_row_per_key), and after every run the copy mark of `source_model`
    (record_copy_mark), which the next run's late-row check reads (macros/incremental/late_rows.sql). -#}
{% macro incremental_copy_config(unique_key, source_model) -%}
    {{ incremental_by_key_config(
        unique_key,
        one_row_per_key=true,
        post_hook="{{ record_copy_mark(ref('" ~ source_model ~ "')) }}",
    ) }}
    {{ config(meta={'incremental_copy': true}) }}
{%- endmacro %}
