{#-
    Late rows are never lost (docs/incremental.md, "Late rows").

    An incremental copy of raw events (stg_marketing__web_events, stg_marketing__email_events,
    int_form_submissions_deduplicated) reads the rows loaded since its watermark (the latest
    loaded_at it holds minus var incremental_lookback_hours). A row that lands later still, with
    a loaded_at older than that (an extract stamped days before it arrived), is a late row.

    find_late_rows(source, key_column, table): run when the copy is compiled, right before it is
    updated (a run or build). It looks for clean rows of `source` loaded before the watermark but
    within the late window (var incremental_late_window_days before the latest loaded_at held)
    that the copy does not hold: no stored row of the same key loaded at the same time or later
    (an anti-join on the key). If there are any, it records them (record_late_rows) in
    quality.incremental_late_rows: model, rows, earliest and latest loaded_at, and the latest
    loaded_at of the source (the run's mark). The copy, and every incremental model reading it
    (late_models of incremental_watermark), then lowers its watermark to the earliest late row of
    an entry recorded since its own watermark, so the late rows, and the sessions, emails and
    leads they touch, are re-read. An entry keeps applying until the model has built past it.
    The cheap check first: the copy's post-hook (record_copy_mark) keeps, in
    quality.incremental_copy_marks, the latest loaded_at it holds and how many source rows
    were loaded by then; for a source without a foreign key (whose rows' quarantine cannot
    change), the same count now means no row landed late and the window is not searched.
    Rows older than the late window that the copy does not hold are not searched (that would
    read the whole history every day): row_reconciliation counts them and its test fails,
    naming the table and the number of rows (then: dbt build --full-refresh, or a wider window).

    create_late_rows_log(): the two tables (quality schema), created by on-run-start when a copy is
    selected (create_late_rows_log_if_copies_selected), so that copies built side by side never
    both create them (a catalog write-write conflict); a copy creates them only if still missing.
-#}

{#- The target's database, none where the adapter has none (Spark: a relation may not name one). -#}
{% macro _target_database() -%}
    {{ return(target.database if target.database is defined else none) }}
{%- endmacro %}

{% macro late_rows_log() -%}
    {{ return(api.Relation.create(database=_target_database(), schema='quality', identifier='incremental_late_rows')) }}
{%- endmacro %}

{% macro incremental_late_window_days() -%}
    {{ return(var('incremental_late_window_days') | int) }}
{%- endmacro %}

{% macro copy_marks() -%}
    {{ return(api.Relation.create(database=_target_database(), schema='quality', identifier='incremental_copy_marks')) }}
{%- endmacro %}

{#- Whether the log exists yet (it is created the first time a copy searches for late rows). -#}
{% macro late_rows_log_exists() -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set log = late_rows_log() -%}
    {{ return(adapter.get_relation(log.database, log.schema, log.identifier) is not none) }}
{%- endmacro %}

{#- on-run-start: the two tables, when the run or build selects an incremental copy (meta
    incremental_copy, set by incremental_copy_config), before copies run side by side; a run that
    builds no copy (slim CI, clone, test) creates nothing. Renders no SQL: the statements run one
    at a time (Spark takes one statement per call). -#}
{% macro create_late_rows_log_if_copies_selected() -%}
    {%- if execute and flags.WHICH in ['run', 'build', 'retry'] -%}
        {%- for node in graph.nodes.values()
            if node.unique_id in selected_resources and node.config.meta.get('incremental_copy') -%}
            {%- if loop.first -%}
                {%- do ensure_late_rows_log() -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- Creates the two tables unless they exist, one statement at a time. -#}
{% macro ensure_late_rows_log() -%}
    {%- if execute and not late_rows_log_exists() -%}
        {%- do adapter.create_schema(late_rows_log()) -%}
        {%- for statement in create_late_rows_log() -%}
            {%- do run_query(statement) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- The statements that create the two tables (a list; the schema: adapter.create_schema). -#}
{% macro create_late_rows_log() -%}
    {%- set log = late_rows_log() -%}
    {%- set log_table -%}
    create table if not exists {{ log }} (
        model_name {{ dbt.type_string() }},
        late_rows {{ dbt.type_bigint() }},
        first_loaded_at {{ dbt.type_timestamp() }},
        last_loaded_at {{ dbt.type_timestamp() }},
        upstream_loaded_at {{ dbt.type_timestamp() }}
    )
    {%- endset -%}
    {%- set marks_table -%}
    create table if not exists {{ copy_marks() }} (
        model_name {{ dbt.type_string() }},
        marked_through {{ dbt.type_timestamp() }},
        source_rows {{ dbt.type_bigint() }}
    )
    {%- endset -%}
    {{ return([log_table, marks_table]) }}
{%- endmacro %}

{#- The copy's post-hook: the latest loaded_at it holds, and how many rows of its source were
    loaded by then (clean or not). The next run compares that count with the source's: when they
    are equal and the source has no foreign key (a row's quarantine cannot change), no row can
    have landed late, and the late window is not searched at all. -#}
{% macro record_copy_mark(source, loaded_at='loaded_at') -%}
    {%- if flags.WHICH == 'clone' -%}
        {{ return('') }}
    {%- endif -%}
    {%- do ensure_late_rows_log() %}
    insert into {{ copy_marks() }} (model_name, marked_through, source_rows)
    select
        '{{ this.identifier }}' as model_name,
        marked.marked_through,
        (
            select count(*) from {{ source }} as counted
            where {{ base_loaded_at_condition(source, '<=', 'marked.marked_through', 'counted', loaded_at) }}
        )
            as source_rows
    from (select max({{ loaded_at }}) as marked_through from {{ this }}) as marked
    where marked.marked_through is not null
{%- endmacro %}

{#- Searches the late window and records what it finds (compile time of the copy, on a run or
    build), unless the copy's mark shows nothing can have landed late. -#}
{% macro find_late_rows(source, key_column, table_name, loaded_at='loaded_at') -%}
    {%- if not execute or this is string or load_relation(this) is none
        or flags.WHICH not in ['run', 'build', 'retry'] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if raw_contract_table(table_name)['foreign_keys'] | length == 0 -%}
        {%- set marks = run_query(
            "select cast(marked_through as " ~ dbt.type_string() ~ "), source_rows from " ~ copy_marks()
            ~ " where model_name = '" ~ this.identifier ~ "' order by marked_through desc limit 1"
        ) -%}
        {%- if marks.rows | length == 1 -%}
            {%- set mark = "cast('" ~ marks.rows[0][0] ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
            {%- set now = run_query(
                "select count(*) from " ~ source ~ " where " ~ base_loaded_at_condition(source, '<=', mark, column=loaded_at)
            ).columns[0].values()[0] -%}
            {%- if (now | int) == (marks.rows[0][1] | int) -%}
                {{ return(none) }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- do ensure_late_rows_log() -%}
    {%- do run_query(record_late_rows(source, key_column, loaded_at)) -%}
{%- endmacro %}

{#- The clean rows of `source` in the late window (loaded_at within incremental_late_window_days
    of the latest load the copy holds), with is_late: loaded before the copy's watermark, and no
    stored row of their key loaded at the same time or later. The bounds are literals computed
    now (incremental_literal), so the database filters the source's rows before computing them. -#}
{% macro late_rows_select(source, key_column, loaded_at='loaded_at') -%}
    {%- set watermark = incremental_literal(
        "select " ~ dbt.dateadd('hour', -1 * incremental_lookback_hours(), 'max(' ~ loaded_at ~ ')')
        ~ " from " ~ this
    ) or ("(select " ~ dbt.dateadd('hour', -1 * incremental_lookback_hours(), 'max(' ~ loaded_at ~ ')')
          ~ " from " ~ this ~ ")") -%}
    {%- set window_start = incremental_literal(
        "select " ~ dbt.dateadd('day', -1 * incremental_late_window_days(), 'max(' ~ loaded_at ~ ')')
        ~ " from " ~ this
    ) or ("(select " ~ dbt.dateadd('day', -1 * incremental_late_window_days(), 'max(' ~ loaded_at ~ ')')
          ~ " from " ~ this ~ ")") -%}
    select
        candidates.{{ loaded_at }},
        (
            candidates.{{ loaded_at }} < {{ watermark }}
            and not exists (
                select 1
                from {{ this }} as stored
                where
                    stored.{{ key_column }} = candidates.{{ key_column }}
                    and stored.{{ loaded_at }} >= candidates.{{ loaded_at }}
                    and stored.{{ loaded_at }} >= {{ window_start }}
            )
        ) as is_late
    from {{ source }} as candidates
    where
        candidates.quarantine_reason is null
        and not candidates.is_after_as_of
        and {{ base_loaded_at_condition(source, '>=', window_start, 'candidates', loaded_at) }}
{%- endmacro %}

{% macro record_late_rows(source, key_column, loaded_at='loaded_at') -%}
    {%- if is_incremental() -%}
    insert into {{ late_rows_log() }}
        (model_name, late_rows, first_loaded_at, last_loaded_at, upstream_loaded_at)
    select
        '{{ this.identifier }}' as model_name,
        sum(case when recent.is_late then 1 else 0 end) as late_rows,
        min(case when recent.is_late then recent.{{ loaded_at }} end) as first_loaded_at,
        max(case when recent.is_late then recent.{{ loaded_at }} end) as last_loaded_at,
        max(recent.{{ loaded_at }}) as upstream_loaded_at
    from ({{ late_rows_select(source, key_column, loaded_at) }}) as recent
    having sum(case when recent.is_late then 1 else 0 end) > 0
    {%- else -%}
    select 1 as no_late_rows_on_a_full_build
    {%- endif -%}
{%- endmacro %}
