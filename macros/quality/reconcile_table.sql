{#-
    One row of row_reconciliation: the raw rows of a contract table, and where they went
    (staging view, quarantine table, or dropped as re-delivered copies of an event id).
-#}
{% macro reconcile_table(source_name, table_name, event_key=none) -%}
    {%- set suffix = source_name ~ '__' ~ table_name -%}
    select
        '{{ source_name }}' as source_name,
        '{{ table_name }}' as table_name,
        (select count(*) as n from {{ source(source_name, table_name) }}) as raw_rows,
        (select count(*) as n from {{ ref('stg_' ~ suffix) }}) as staged_rows,
        (select count(*) as n from {{ ref('quarantine_' ~ suffix) }}) as quarantined_rows,
        {%- if event_key %}
        (
            select count(*) - count(distinct clean.{{ event_key }}) as n
            from {{ ref('base_' ~ suffix) }} as clean
            where clean.quarantine_reason is null
        ) as duplicate_copies_dropped
        {%- else %}
        0 as duplicate_copies_dropped
        {%- endif %}
{%- endmacro %}
