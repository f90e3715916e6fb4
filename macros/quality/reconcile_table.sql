{#-
    One row of row_reconciliation: the raw rows of a contract table, and where they went
    (staging, quarantine, dropped as re-delivered copies of an event id, or left out by the cut of
    var kpi_as_of). A table the delivery lacks has no raw rows.

    The staged relation is the one the project reads: the incremental copy of a table that has
    one (reconciliation_copies()), else the staging model. So a row an incremental copy lost
    (a late row beyond var incremental_late_window_days) fails the test, naming the table.

    Counting only the new loads, with running totals (incremental row_reconciliation): for a
    table with an incremental copy, a run reads only the raw rows loaded after the latest loaded_at
    it counted (counted_through). Re-delivered copies: the new clean rows, less their distinct
    keys, plus those of their keys that already had a copy by then (first_loaded_at in the copy
    at or before counted_through), are the copies dropped since. The cheap check that nothing
    changed further back: raw and quarantined rows loaded at or before counted_through must be as
    many as last time; if not (a late row, a corrected export, a parent that arrived and made an
    orphan clean), the table is counted again in full. Every count is of the raw or base rows
    themselves, never derived from the staged relation, so the test stays a check.
-#}

{#- Raw table -> the incremental model that copies its clean rows (and is counted as staged). -#}
{% macro reconciliation_copies() -%}
    {{ return({
        'web_events': 'stg_marketing__web_events',
        'email_events': 'stg_marketing__email_events',
        'form_submissions': 'int_form_submissions_deduplicated',
    }) }}
{%- endmacro %}

{#- One reconcile_table row per contract table, unioned. -#}
{% macro reconcile_tables() -%}
    {%- for table_name in raw_contract()['tables'] %}
    {{ reconcile_table(table_name) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- The running totals of a table after this run, or none (then: a full count). Only on an
    incremental run, without var kpi_as_of, for a delivered table with a copy, and only when the
    raw and quarantined rows loaded up to the counted mark are as many as when they were counted.
    One query over the rows loaded since the mark (run when the model is compiled, after its
    parents were built): the rows, the clean ones, their distinct keys, and those of their keys the
    copy already had a copy of by the mark (first_loaded_at). -#}
{% macro reconciliation_running_totals(table_name) -%}
    {%- set copies = reconciliation_copies() -%}
    {%- if not execute or not is_incremental() or var('kpi_as_of') is not none or table_name not in copies
        or not raw_table_delivered(table_name) -%}
        {{ return(none) }}
    {%- endif -%}
    {{- require_stored_column('counted_through', 'running-total column') -}}
    {%- set spec = raw_contract_table(table_name) -%}
    {%- set suffix = spec['source'] ~ '__' ~ table_name -%}
    {%- set key = spec['staged_key'][0] -%}
    {%- set stored = run_query(
        "select cast(counted_through as " ~ dbt.type_string() ~ "), raw_rows_through, quarantined_rows_through,"
        ~ " duplicate_copies_dropped from " ~ this ~ " where table_name = '" ~ table_name ~ "'"
        ~ " and counted_through is not null"
    ) -%}
    {%- if stored.rows | length != 1 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set row = stored.rows[0] -%}
    {%- set through = "cast('" ~ row[0] ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set quarantine = ref('quarantine_' ~ suffix) -%}
    {%- set clean = "new_rows.quarantine_reason is null and not new_rows.is_after_as_of" -%}
    {%- set counted = run_query(
        "select"
        ~ " (select count(*) from " ~ source(spec['source'], table_name) ~ ") as raw_rows,"
        ~ " (select count(*) from " ~ quarantine ~ ") as quarantined_rows,"
        ~ " (select count(*) from " ~ quarantine ~ " where loaded_at > " ~ through ~ ") as quarantined_new,"
        ~ " new_loads.*"
        ~ " from (select"
        ~ " count(*) as raw_new,"
        ~ " coalesce(sum(case when " ~ clean ~ " then 1 else 0 end), 0) as clean_new,"
        ~ " count(distinct case when " ~ clean ~ " then new_rows." ~ key ~ " end) as keys_new,"
        ~ " count(distinct case when " ~ clean ~ " and copies.first_loaded_at <= " ~ through
        ~ " then new_rows." ~ key ~ " end) as keys_seen_before,"
        ~ " cast(max(new_rows.loaded_at) as " ~ dbt.type_string() ~ ") as latest_loaded_at"
        ~ " from " ~ ref('base_' ~ suffix) ~ " as new_rows"
        ~ " left join " ~ ref(copies[table_name]) ~ " as copies on new_rows." ~ key ~ " = copies." ~ key
        ~ " where " ~ base_loaded_at_condition(ref('base_' ~ suffix), '>', through, 'new_rows') ~ ") as new_loads"
    ).rows[0] -%}
    {%- if (counted[0] | int) - (counted[3] | int) != (row[1] | int)
        or (counted[1] | int) - (counted[2] | int) != (row[2] | int) -%}
        {{ log("row_reconciliation: " ~ table_name ~ " changed at or before " ~ row[0] ~ ": counted in full", info=true) }}
        {{ return(none) }}
    {%- endif -%}
    {{ return({
        'dropped': (row[3] | int) + (counted[4] | int) - (counted[5] | int) + (counted[6] | int),
        'through': "cast('" ~ (counted[7] if counted[7] is not none else row[0]) ~ "' as " ~ dbt.type_timestamp() ~ ")",
        'raw_rows': counted[0] | int,
        'quarantined_rows': counted[1] | int,
    }) }}
{%- endmacro %}

{% macro reconcile_table(table_name) -%}
    {%- set spec = raw_contract_table(table_name) -%}
    {%- set suffix = spec['source'] ~ '__' ~ table_name -%}
    {%- set raw = source(spec['source'], table_name) -%}
    {%- set key = spec['staged_key'][0] -%}
    {%- set copy = reconciliation_copies().get(table_name) -%}
    {%- set staged = ref(copy) if copy else ref('stg_' ~ suffix) -%}
    {%- set running = reconciliation_running_totals(table_name) -%}
    {%- set delivered = raw_table_delivered(table_name) -%}
    {%- set clean = "base_rows.quarantine_reason is null and not base_rows.is_after_as_of" -%}
    {#- What is counted from the base rows, in one scan of them (a base model parses its raw file). -#}
    {%- set base_counts = {} -%}
    {%- if spec['event'] and running is none -%}
        {%- do base_counts.update({'duplicate_copies_dropped':
            "coalesce(sum(case when " ~ clean ~ " then 1 else 0 end), 0)"
            ~ " - count(distinct case when " ~ clean ~ " then base_rows." ~ key ~ " end)"}) -%}
    {%- endif -%}
    {%- if var('kpi_as_of') is not none -%}
        {%- do base_counts.update({'after_as_of_rows':
            "coalesce(sum(case when base_rows.is_after_as_of then 1 else 0 end), 0)"}) -%}
    {%- endif -%}
    {%- if copy and delivered and running is none -%}
        {%- do base_counts.update({'counted_through': "max(base_rows.loaded_at)"}) -%}
    {%- endif %}
    select
        '{{ spec["source"] }}' as source_name,
        '{{ table_name }}' as table_name,
        {%- if delivered %}
        (select count(*) as n from {{ raw }}) as raw_rows,
        {%- else %}
        0 as raw_rows,
        {%- endif %}
        (select count(*) as n from {{ staged }}) as staged_rows,
        (select count(*) as n from {{ ref('quarantine_' ~ suffix) }}) as quarantined_rows,
        {%- if not spec['event'] %}
        0 as duplicate_copies_dropped,
        {%- elif running is not none %}
        -- the running total: counted when the model was compiled (reconciliation_running_totals)
        cast({{ running['dropped'] }} as {{ dbt.type_bigint() }}) as duplicate_copies_dropped,
        {%- else %}
        base_counts.duplicate_copies_dropped,
        {%- endif %}
        {%- if var('kpi_as_of') is none %}
        0 as after_as_of_rows,
        {%- else %}
        base_counts.after_as_of_rows,
        {%- endif %}
        '{{ staged.schema }}.{{ staged.identifier }}' as staged_relation,
        {%- if copy and delivered and running is not none %}
        {{ running['through'] }} as counted_through,
        cast({{ running['raw_rows'] }} as {{ dbt.type_bigint() }}) as raw_rows_through,
        cast({{ running['quarantined_rows'] }} as {{ dbt.type_bigint() }}) as quarantined_rows_through
        {%- elif copy and delivered %}
        base_counts.counted_through,
        (select count(*) as n from {{ raw }}) as raw_rows_through,
        (select count(*) as n from {{ ref('quarantine_' ~ suffix) }}) as quarantined_rows_through
        {%- else %}
        cast(null as {{ dbt.type_timestamp() }}) as counted_through,
        cast(null as {{ dbt.type_bigint() }}) as raw_rows_through,
        cast(null as {{ dbt.type_bigint() }}) as quarantined_rows_through
        {%- endif %}
    {%- if base_counts %}
    from (
        select
            {%- for column, expression in base_counts.items() %}
            {{ expression }} as {{ column }}{{ "," if not loop.last }}
            {%- endfor %}
        from {{ ref('base_' ~ suffix) }} as base_rows
    ) as base_counts
    {%- endif %}
{%- endmacro %}

{#- Quarantined rows per contract table and reason, unioned (model quarantine_summary). -#}
{% macro quarantine_reason_counts() -%}
    {%- for table_name, spec in raw_contract()['tables'].items() %}
    select
        '{{ spec["source"] }}' as source_name,
        '{{ table_name }}' as table_name,
        quarantined.quarantine_reason,
        count(*) as quarantined_rows
    from {{ ref('quarantine_' ~ spec['source'] ~ '__' ~ table_name) }} as quarantined
    group by quarantined.quarantine_reason
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
