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

{#- `one_row_per_key`: the unique_key is the row's own (staged events, rollups), so merge can
    upsert rows; false: it is coarser than the grain (all rows of a lead are replaced together),
    which needs delete+insert (DuckDB, Postgres, Snowflake, Redshift and Databricks have it; merge
    would need the key to be unique per row). -#}
{% macro incremental_strategy(one_row_per_key=true) -%}
    {{ return(adapter.dispatch('incremental_strategy', 'lead_funnel')(one_row_per_key)) }}
{%- endmacro %}

{% macro default__incremental_strategy(one_row_per_key) -%}
    {{ return('merge' if one_row_per_key else 'delete+insert') }}
{%- endmacro %}

{% macro duckdb__incremental_strategy(one_row_per_key) -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{#- Spark: merge on Delta / Iceberg / Hudi tables for one row per key; otherwise (Spark has no
    delete+insert) insert_overwrite of the key buckets, which replaces whole keys too (every row
    of a key in the batch, whatever its grain). -#}
{% macro spark__incremental_strategy(one_row_per_key) -%}
    {{ return('merge' if one_row_per_key and spark_table_format_has_merge() else 'insert_overwrite') }}
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
{#- A relation built before the model was incremental lacks the column its incremental path
    reads: say what to do instead of failing on a missing column. -#}
{% macro require_stored_column(column, role='watermark column') -%}
    {%- set relation = load_relation(this) if execute and this is not string else none -%}
    {%- if relation is not none -%}
        {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- if column.split('.')[-1] | lower not in existing -%}
            {{ exceptions.raise_compiler_error(
                this ~ " was built without its " ~ role ~ " " ~ column
                ~ " (an earlier version of the model built it): rebuild it once with"
                ~ " dbt build --full-refresh --select " ~ this.identifier
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- A timestamp computed now, as a literal: `sql` (a scalar subquery) is run when the model is
    compiled, right before it runs, so the database gets a constant it can push down into its
    scans (a filter against a subquery is applied only after every row of a view was computed).
    none when that cannot be done: while dbt parses, or in a unit test (`this` is a fixture). -#}
{% macro incremental_literal(sql) -%}
    {%- if not execute or this is string or load_relation(this) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set value = run_query("select cast((" ~ sql ~ ") as " ~ dbt.type_string() ~ ")").columns[0].values()[0] -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ value ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}

{#- `late_models`: incremental copies whose late rows (quality.incremental_late_rows, written
    by find_late_rows when each copy is compiled) this model must re-read: the watermark is lowered to the
    load time of the earliest late row recorded since it (docs/incremental.md, "Late rows").
    `late_source` / `late_key` / `late_table` (an incremental copy's own source, key and raw
    table): its late rows are searched for and recorded first (find_late_rows, late_rows.sql), so
    the copy's own entry lowers its watermark in the same run. -#}
{% macro incremental_watermark(watermark_column='loaded_at', late_models=[], late_source=none, late_key=none,
                               late_table=none) -%}
    {{- require_stored_column(watermark_column) -}}
    {%- set lookback_watermark -%}
        coalesce(
            {{ dbt.dateadd('hour', -1 * incremental_lookback_hours(), 'max(' ~ watermark_column ~ ')') }},
            cast('1970-01-01' as {{ dbt.type_timestamp() }})
        )
    {%- endset -%}
    {%- if late_source is not none -%}
        {#- a copy: find (and record) its own late rows first; the log then lowers its watermark -#}
        {%- do find_late_rows(late_source, late_key, late_table, watermark_column) -%}
    {%- endif -%}
    {%- set watermark_sql -%}
    {%- if late_models and this is not string and late_rows_log_exists() -%}
    (
        select
            least(
                stored.watermark,
                coalesce(
                    (
                        select min(late.first_loaded_at)
                        from {{ late_rows_log() }} as late
                        where
                            late.model_name in ('{{ late_models | join("', '") }}')
                            and late.upstream_loaded_at >= stored.watermark
                    ),
                    stored.watermark
                )
            )
        from (select {{ lookback_watermark }} as watermark from {{ this }}) as stored
    )
    {%- else -%}
    (select {{ lookback_watermark }} from {{ this }})
    {%- endif -%}
    {%- endset -%}
    {%- set literal = incremental_literal(watermark_sql) -%}
    {{ return(literal if literal is not none else watermark_sql) }}
{%- endmacro %}

{#- A where-clause condition: true for rows loaded at or after the watermark on an incremental
    run; always true on a first run or a --full-refresh. `raw_base`: `column` is the loaded_at of
    that base model's rows, and the condition takes its cheapest exact form
    (base_loaded_at_condition, macros/staging/raw_loaded_at.sql). -#}
{% macro loaded_since_watermark(column='loaded_at', watermark_column='loaded_at', late_models=[],
                                late_source=none, late_key=none, late_table=none, raw_base=none) -%}
    {%- if is_incremental() and raw_base is not none -%}
        {#- the rows of a base model (`column`: its loaded_at): the same condition, on the raw column where cheaper -#}
        {{ base_loaded_at_condition(
            raw_base, '>=', incremental_watermark(watermark_column, late_models, late_source, late_key, late_table),
            column.split('.')[0] if '.' in column else none, column.split('.')[-1],
        ) }}
    {%- elif is_incremental() -%}
        {{ column }} >= {{ incremental_watermark(watermark_column, late_models, late_source, late_key, late_table) }}
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- For models that aggregate per key (a session, a message, a lead, a day): a where-clause
    condition keeping every row of the keys touched by rows loaded since the watermark, so each
    touched key is re-computed from all its rows; always true on a first run or a --full-refresh.
    `watermark_column` is the model's own column holding the latest load time it has seen. -#}
{% macro touched_keys(key_column, relation, loaded_at='loaded_at', watermark_column='last_loaded_at', late_models=[]) -%}
    {%- if is_incremental() -%}
        {{ key_column }} in (
            select touched.{{ key_column }}
            from {{ relation }} as touched
            where {{ loaded_since_watermark('touched.' ~ loaded_at, watermark_column, late_models) }}
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- A select of the rows of `model` (a ref name) of the keys touched by its rows loaded since the
    watermark (touched_keys above, the late rows of `model` included): every row of each such key;
    every row on a first run or a --full-refresh. The import CTE of a model re-computing each
    touched key from all its rows. -#}
{% macro touched_key_rows(model, key_column) -%}
    select * from {{ ref(model) }}
    where {{ touched_keys(key_column, ref(model), late_models=[model]) }}
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
