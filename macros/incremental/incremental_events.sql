{#-
    Incremental machinery for the event models (docs/incremental.md).

    * incremental_strategy(): the strategy behind a dispatch. DuckDB: delete+insert (delete the
      target rows whose unique_key is in the new batch, insert the batch). Spark: insert_overwrite
      of key buckets (macros/incremental/spark_key_buckets.sql), or merge on Delta / Iceberg /
      Hudi tables. Elsewhere: merge. All replace whole keys, so a model that re-computes a key
      writes its complete new rows.
    * loaded_since_watermark(column, watermark_column): the incremental filter. New rows are
      found by their load time (loaded_at), never by event time, so an event that happened days
      ago but landed today is still picked up. The watermark is the latest load time already
      in the target minus var('incremental_lookback_hours'): rows stamped before the latest
      load but landing afterwards (an extract still in flight) are re-read within that window.
      Re-reading is harmless: every incremental model dedupes on its key and replaces whole keys.
    * On a first run or with --full-refresh the filter is a no-op and the model reads everything.
-#}

{% macro incremental_strategy() -%}
    {{ return(adapter.dispatch('incremental_strategy', 'lead_funnel')()) }}
{%- endmacro %}

{% macro default__incremental_strategy() -%}
    {{ return('merge') }}
{%- endmacro %}

{% macro duckdb__incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__incremental_strategy() -%}
    {{ return('merge' if spark_table_format_has_merge() else 'insert_overwrite') }}
{%- endmacro %}

{#- The lookback in hours, validated (an integer >= 0). -#}
{% macro incremental_lookback_hours() -%}
    {%- set hours = var('incremental_lookback_hours') -%}
    {%- if (hours | string | trim) != (hours | int | string) or (hours | int) < 0 -%}
        {{ exceptions.raise_compiler_error(
            "var incremental_lookback_hours must be a whole number of hours >= 0; got " ~ hours
        ) }}
    {%- endif -%}
    {{ return(hours | int) }}
{%- endmacro %}

{#- The earliest load time an incremental run re-reads: max(watermark_column) in the target
    minus the lookback (the epoch when the target is empty). -#}
{% macro incremental_watermark(watermark_column='loaded_at') -%}
    {%- set relation = load_relation(this) if execute and this is not string else none -%}
    {%- if relation is not none -%}
        {#- A relation built before the model was incremental lacks the column: say what to do. -#}
        {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- if watermark_column.split('.')[-1] | lower not in existing -%}
            {{ exceptions.raise_compiler_error(
                this ~ " was built without its watermark column " ~ watermark_column
                ~ " (it predates the incremental model): rebuild it once with"
                ~ " dbt build --full-refresh --select " ~ this.identifier
            ) }}
        {%- endif -%}
    {%- endif -%}
    (
        select
            coalesce(
                {{ dbt.dateadd('hour', -1 * incremental_lookback_hours(), 'max(' ~ watermark_column ~ ')') }},
                cast('1970-01-01' as {{ dbt.type_timestamp() }})
            )
        from {{ this }}
    )
{%- endmacro %}

{#- A where-clause condition: true for rows loaded at or after the watermark on an incremental
    run; always true on a first run or a --full-refresh. -#}
{% macro loaded_since_watermark(column='loaded_at', watermark_column='loaded_at') -%}
    {%- if is_incremental() -%}
        {{ column }} >= {{ incremental_watermark(watermark_column) }}
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- For models that aggregate per key (a session, a message, a lead, a day): a where-clause
    condition keeping every row of the keys touched by rows loaded since the watermark, so each
    touched key is re-computed from all its rows; always true on a first run or a --full-refresh.
    `watermark_column` is the model's own column holding the latest load time it has seen. -#}
{% macro touched_keys(key_column, relation, loaded_at='loaded_at', watermark_column='last_loaded_at') -%}
    {%- if is_incremental() -%}
        {{ key_column }} in (
            select touched.{{ key_column }}
            from {{ relation }} as touched
            where {{ loaded_since_watermark('touched.' ~ loaded_at, watermark_column) }}
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- Strategy for models whose unique_key is coarser than their grain (all rows of a lead are
    replaced together): delete+insert, which DuckDB, Postgres, Snowflake, Redshift and Databricks
    support (merge would need the key to be unique per row); Spark: key buckets. -#}
{% macro incremental_key_strategy() -%}
    {{ return(adapter.dispatch('incremental_key_strategy', 'lead_funnel')()) }}
{%- endmacro %}

{% macro default__incremental_key_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{#- Spark has no delete+insert: the key buckets' insert_overwrite replaces whole keys too (every
    row of a key in the batch, whatever its grain). Delta / Iceberg / Hudi have no unique key
    per row here either, so they take the same path. -#}
{% macro spark__incremental_key_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{#- `column in (select key_column from relation)` on an incremental run (relation: a CTE of the
    keys to re-compute); always true on a first run or a --full-refresh. -#}
{% macro incremental_keys_in(column, relation, key_column='lead_id') -%}
    {%- if is_incremental() -%}
        {{ column }} in (select {{ relation }}.{{ key_column }} from {{ relation }})
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}
