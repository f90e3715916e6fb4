{#-
    "Every column but these" for a select list. Dispatched because the syntax differs:
    DuckDB and Snowflake say EXCLUDE, BigQuery and Databricks say EXCEPT (open-source Spark has
    neither); the ANSI default
    lists the other columns of `relation` (asked of the warehouse, like dbt_utils.star), so it
    needs the relation the columns come from.
-#}
{% macro star_except(columns, relation=none) -%}
    {{ return(adapter.dispatch('star_except', 'lead_funnel')(columns, relation)) }}
{%- endmacro %}

{% macro default__star_except(columns, relation=none) -%}
    {%- if relation is none -%}
        {{ exceptions.raise_compiler_error('star_except: the ANSI default needs the relation of the columns') }}
    {%- endif -%}
    {%- if not execute -%}
        *
    {%- else -%}
        {%- set excluded = columns | map('lower') | list -%}
        {%- set kept = [] -%}
        {%- for column in adapter.get_columns_in_relation(relation) if column.name | lower not in excluded -%}
            {%- do kept.append(adapter.quote(column.name)) -%}
        {%- endfor -%}
        {{ kept | join(', ') if kept else '*' }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__star_except(columns, relation=none) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro snowflake__star_except(columns, relation=none) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro bigquery__star_except(columns, relation=none) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro %}

{% macro databricks__star_except(columns, relation=none) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro %}
