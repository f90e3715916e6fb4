{#-
    Continuous percentile (linear interpolation between the two nearest values) of a column,
    as an aggregate: {{ percentile_cont('days_to_sql', 0.5) }} is the median. Nulls are ignored;
    no non-null value gives null. dbt has no cross-database macro for it, so it is dispatched:
    the ANSI ordered-set form by default (Postgres, Snowflake, Redshift...), DuckDB's
    quantile_cont. Same definition as pandas' Series.quantile(p) (interpolation="linear").
-#}
{% macro percentile_cont(column, fraction) -%}
    {{ return(adapter.dispatch('percentile_cont', 'lead_funnel')(column, fraction)) }}
{%- endmacro %}

{% macro default__percentile_cont(column, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ column }})
{%- endmacro %}

{% macro duckdb__percentile_cont(column, fraction) -%}
    quantile_cont({{ column }}, {{ fraction }})
{%- endmacro %}
