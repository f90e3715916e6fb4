{#-
    A double-precision float type. dbt.type_float() is single precision on DuckDB
    (FLOAT = REAL, 4 bytes), too coarse for amounts, spend and rates.
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'lead_funnel')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{% macro bigquery__type_double() -%}
    float64
{%- endmacro %}

{#- A calendar date. ANSI `date` everywhere this project runs; dispatched like the other types so a
    warehouse that spells it differently needs one macro. -#}
{% macro type_date() -%}
    {{ return(adapter.dispatch('type_date', 'lead_funnel')()) }}
{%- endmacro %}

{% macro default__type_date() -%}
    date
{%- endmacro %}
