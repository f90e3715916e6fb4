{#-
    "Every column but these" for a select list. Dispatched because the syntax differs:
    DuckDB and Snowflake say EXCLUDE, BigQuery and Databricks say EXCEPT (open-source Spark has
    neither); the ANSI default
    lists the other columns of `relation` (asked of the warehouse, like dbt_utils.star), so it
    needs the relation the columns come from, or (for a CTE) the list of its column names.
-#}
{% macro star_except(columns, relation=none) -%}
    {{ return(adapter.dispatch('star_except', 'lead_funnel')(columns, relation)) }}
{%- endmacro %}

{% macro default__star_except(columns, relation=none) -%}
    {%- if relation is none -%}
        {{ exceptions.raise_compiler_error('star_except: the ANSI default needs the relation of the columns') }}
    {%- endif -%}
    {%- set excluded = columns | map('lower') | list -%}
    {%- if relation.identifier is not defined -%}
        {%- set names = relation -%}
    {%- elif execute -%}
        {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {%- else -%}
        {%- set names = [] -%}
    {%- endif -%}
    {%- set kept = [] -%}
    {%- for name in names if name | lower not in excluded -%}
        {%- do kept.append(adapter.quote(name)) -%}
    {%- endfor -%}
    {{ kept | join(', ') if kept else '*' }}
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
