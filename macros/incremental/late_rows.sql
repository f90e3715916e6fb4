{#-
    Late rows are never lost (docs/incremental.md, "Late rows").

    An incremental copy of raw events (stg_marketing__web_events, stg_marketing__email_events,
    int_form_submissions_deduplicated) reads the rows loaded since its watermark (the latest
    loaded_at it holds minus var incremental_lookback_hours). A row that lands later still, with
    a loaded_at older than that (an extract stamped days before it arrived), is a late row.

    record_late_rows(source, key_column): the copy's pre-hook. Before the copy is updated, it
    looks for clean rows of `source` loaded before the watermark but within the late window
    (var incremental_late_window_days before the latest loaded_at held) that the copy does not
    hold: no stored row of the same key loaded at the same time or later (an anti-join on the
    key). If there are any, it records them in quarantine.incremental_late_rows (model, rows,
    earliest and latest loaded_at, and the latest loaded_at of the source: the run's mark).
    The copy, and every incremental model reading it (late_models of incremental_watermark),
    then lowers its watermark to the earliest late row of an entry recorded since its own
    watermark, so the late rows, and the sessions, emails and leads they touch, are re-read.
    Rows older than the late window that the copy does not hold are not searched (that would
    read the whole history every day): row_reconciliation counts them and its test fails,
    naming the table and the number of rows (then: dbt build --full-refresh, or a wider window).

    create_late_rows_log(): on-run-start; the log table, created once.
-#}

{% macro late_rows_log() -%}
    {{ return(api.Relation.create(database=target.database, schema='quarantine', identifier='incremental_late_rows')) }}
{%- endmacro %}

{% macro incremental_late_window_days() -%}
    {{ return(var('incremental_late_window_days') | int) }}
{%- endmacro %}

{% macro create_late_rows_log() -%}
    {%- set log = late_rows_log() -%}
    create schema if not exists {{ log.include(identifier=false) }};
    create table if not exists {{ log }} (
        model_name {{ dbt.type_string() }},
        late_rows {{ dbt.type_bigint() }},
        first_loaded_at {{ dbt.type_timestamp() }},
        last_loaded_at {{ dbt.type_timestamp() }},
        upstream_loaded_at {{ dbt.type_timestamp() }}
    )
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
    from (
        -- the clean rows of the late window: late when loaded before the watermark and the copy
        -- holds no row of their key loaded at the same time or later
        select
            candidates.{{ loaded_at }},
            (
                candidates.{{ loaded_at }} < bounds.watermark
                and not exists (
                    select 1
                    from {{ this }} as stored
                    where
                        stored.{{ key_column }} = candidates.{{ key_column }}
                        and stored.{{ loaded_at }} >= candidates.{{ loaded_at }}
                        and stored.{{ loaded_at }} >= bounds.window_start
                )
            ) as is_late
        from {{ source }} as candidates
        cross join (
            select
                {{ dbt.dateadd('hour', -1 * incremental_lookback_hours(), 'max(' ~ loaded_at ~ ')') }} as watermark,
                {{ dbt.dateadd('day', -1 * incremental_late_window_days(), 'max(' ~ loaded_at ~ ')') }}
                    as window_start
            from {{ this }}
        ) as bounds
        where
            candidates.quarantine_reason is null
            and not candidates.is_after_as_of
            and candidates.{{ loaded_at }} >= bounds.window_start
    ) as recent
    having sum(case when recent.is_late then 1 else 0 end) > 0
    {%- else -%}
    select 1 as no_late_rows_on_a_full_build
    {%- endif -%}
{%- endmacro %}
