{#-
    The keyword that lets the planner inline a CTE referenced more than once instead of storing
    its rows first: `<name> as {{ cte_not_materialized() }} (...)`. Worth it when the CTE is a
    cheap filter over a large relation and each reference reads a different small part of it
    (the event dedupe, macros/staging/raw_staging.sql: 29 s and 17 GB spilled storing 42M page
    views at 1M leads, BENCHMARKS.md). DuckDB and PostgreSQL 12+ say `not materialized`; the
    default is nothing (the warehouse decides).
-#}
{% macro cte_not_materialized() -%}
    {{ return(adapter.dispatch('cte_not_materialized', 'lead_funnel')()) }}
{%- endmacro %}

{% macro default__cte_not_materialized() -%}
{%- endmacro %}

{% macro duckdb__cte_not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro postgres__cte_not_materialized() -%}
    not materialized
{%- endmacro %}
