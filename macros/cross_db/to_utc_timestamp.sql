{#-
    Convert a raw instant (a timestamp with time zone, a naive timestamp read as UTC,
    or ISO-8601 text with or without an offset) to a naive UTC timestamp.
    Dispatched: DuckDB needs an explicit time zone conversion; other adapters add theirs.
-#}
{% macro to_utc_timestamp(column) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'lead_funnel')(column)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(column) -%}
    cast({{ column }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__to_utc_timestamp(column) -%}
    timezone('UTC', cast({{ column }} as timestamptz))
{%- endmacro %}

{% macro spark__to_utc_timestamp(column) -%}
    to_utc_timestamp(cast({{ column }} as timestamp), 'UTC')
{%- endmacro %}
