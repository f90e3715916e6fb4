{#-
    One row of row_reconciliation: the raw rows of a contract table, and where they went
    (staging, quarantine, dropped as re-delivered copies of an event id, or left out by the cut of
    var kpi_as_of). A table the delivery lacks has no raw rows.
-#}
{#- One reconcile_table row per contract table, unioned. -#}
{% macro reconcile_tables() -%}
    {%- for table_name in raw_contract()['tables'] %}
    {{ reconcile_table(table_name) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{% macro reconcile_table(table_name) -%}
    {%- set spec = raw_contract_table(table_name) -%}
    {%- set suffix = spec['source'] ~ '__' ~ table_name -%}
    {%- set raw = source(spec['source'], table_name) -%}
    select
        '{{ spec["source"] }}' as source_name,
        '{{ table_name }}' as table_name,
        {%- if raw_table_delivered(table_name) %}
        (select count(*) as n from {{ raw }}) as raw_rows,
        {%- else %}
        0 as raw_rows,
        {%- endif %}
        (select count(*) as n from {{ ref('stg_' ~ suffix) }}) as staged_rows,
        (select count(*) as n from {{ ref('quarantine_' ~ suffix) }}) as quarantined_rows,
        {%- if spec['event'] %}
        (
            select count(*) - count(distinct clean.{{ spec['staged_key'][0] }}) as n
            from {{ ref('base_' ~ suffix) }} as clean
            where clean.quarantine_reason is null and not clean.is_after_as_of
        ) as duplicate_copies_dropped,
        {%- else %}
        0 as duplicate_copies_dropped,
        {%- endif %}
        (
            select count(*) as n
            from {{ ref('base_' ~ suffix) }} as later
            where later.is_after_as_of
        ) as after_as_of_rows
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
