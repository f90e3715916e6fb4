{#-
    Convert a raw instant (a timestamp with time zone, a naive timestamp read as UTC,
    or ISO-8601 text with or without an offset) to a naive UTC timestamp; a value that does not
    parse gives null (staging then quarantines it as unparseable).
    Dispatched: DuckDB needs an explicit time zone conversion; other adapters add theirs.
-#}
{% macro to_utc_timestamp(column) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'lead_funnel')(column)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(column) -%}
    {{ dbt.safe_cast(column, dbt.type_timestamp()) }}
{%- endmacro %}

{% macro duckdb__to_utc_timestamp(column) -%}
    timezone('UTC', try_cast({{ column }} as timestamptz))
{%- endmacro %}

{% macro spark__to_utc_timestamp(column) -%}
    to_utc_timestamp(try_cast({{ column }} as timestamp), 'UTC')
{%- endmacro %}
