{#-
    "Every column but these" for a select list; `replace` (column -> expression) gives some of
    the kept columns a new value under the same name. Dispatched because the syntax differs:
    DuckDB and Snowflake say EXCLUDE, BigQuery and Databricks say EXCEPT (open-source Spark has
    neither); the ANSI default
    lists the other columns of `relation` (asked of the warehouse, like dbt_utils.star), so it
    needs the relation the columns come from, or (for a CTE) the list of its column names.
-#}
{% macro star_except(columns, relation=none, replace={}) -%}
    {{ return(adapter.dispatch('star_except', 'lead_funnel')(columns, relation, replace)) }}
{%- endmacro %}

{% macro default__star_except(columns, relation=none, replace={}) -%}
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
    {%- set replaced = {} -%}
    {%- for name, expression in replace.items() -%}
        {%- do replaced.update({name | lower: expression}) -%}
    {%- endfor -%}
    {%- set kept = [] -%}
    {%- for name in names if name | lower not in excluded -%}
        {%- if name | lower in replaced -%}
            {%- do kept.append(replaced[name | lower] ~ ' as ' ~ adapter.quote(name)) -%}
        {%- else -%}
            {%- do kept.append(adapter.quote(name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ kept | join(', ') if kept else '*' }}
{%- endmacro %}

{% macro duckdb__star_except(columns, relation=none, replace={}) -%}
    * exclude ({{ columns | join(', ') }}){{ star_replace(replace) }}
{%- endmacro %}

{% macro snowflake__star_except(columns, relation=none, replace={}) -%}
    * exclude ({{ columns | join(', ') }}){{ star_replace(replace) }}
{%- endmacro %}

{% macro bigquery__star_except(columns, relation=none, replace={}) -%}
    * except ({{ columns | join(', ') }}){{ star_replace(replace) }}
{%- endmacro %}

{% macro databricks__star_except(columns, relation=none, replace={}) -%}
    * except ({{ columns | join(', ') }}){{ star_replace(replace) }}
{%- endmacro %}

{#- DuckDB, Snowflake, BigQuery and Databricks share `* replace (expression as column, ...)`. -#}
{% macro star_replace(replace) -%}
    {%- if replace %} replace (
        {%- for name, expression in replace.items() %}{{ expression }} as {{ name }}{{ ', ' if not loop.last }}{% endfor -%}
    ){%- endif -%}
{%- endmacro %}
