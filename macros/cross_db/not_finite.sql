{#-
    True for NaN, +Infinity and -Infinity (a double that must never reach a mart).
    Portable default: NaN compares greater than every number on DuckDB, Postgres and Spark, and
    the infinities lie outside the finite double range, so "not between the largest finite
    doubles" catches all three. DuckDB says it directly.
-#}
{% macro not_finite(expression) -%}
    {{ return(adapter.dispatch('not_finite', 'lead_funnel')(expression)) }}
{%- endmacro %}

{% macro default__not_finite(expression) -%}
    ({{ expression }} not between -1.7976931348623157e308 and 1.7976931348623157e308)
{%- endmacro %}

{% macro duckdb__not_finite(expression) -%}
    (not isfinite({{ expression }}))
{%- endmacro %}
