{#-
    "Every column but these" for a select list. Dispatched because the syntax differs:
    DuckDB and Snowflake say EXCLUDE, BigQuery and Spark/Databricks say EXCEPT.
-#}
{% macro star_except(columns) -%}
    {{ return(adapter.dispatch('star_except', 'lead_funnel')(columns)) }}
{%- endmacro %}

{% macro default__star_except(columns) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro bigquery__star_except(columns) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(columns) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro %}

{% macro databricks__star_except(columns) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro %}
