{#-
    The clause that stores a table's rows in the order of `column` (appended after a model's
    final select): `{{ store_rows_in_order('scoring_bucket') }}`. DuckDB keeps each row group's
    min and max per column and skips the row groups a filter on that column excludes, so a table
    read a range of `column` at a time (the scoring batches, macros/scoring/scoring_batches.sql)
    reads only its range. Elsewhere nothing: the warehouse lays out its own files (Spark, a cloud
    warehouse's clustering keys), and PostgreSQL has no such statistics per block.
-#}
{% macro store_rows_in_order(column) -%}
    {{ return(adapter.dispatch('store_rows_in_order', 'lead_funnel')(column)) }}
{%- endmacro %}

{% macro default__store_rows_in_order(column) -%}
{%- endmacro %}

{% macro duckdb__store_rows_in_order(column) -%}
    order by {{ column }}
{%- endmacro %}
