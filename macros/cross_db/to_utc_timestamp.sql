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

{#- DuckDB: the instant's microseconds since the epoch, as a naive timestamp. The same value as
    timezone('UTC', ...) for every finite instant, without a time zone conversion per row (five
    times cheaper on the page views' timestamps; BENCHMARKS.md). An infinite instant has no
    epoch value: it gives null, so staging quarantines it as unparseable. -#}
{% macro duckdb__to_utc_timestamp(column) -%}
    make_timestamp(epoch_us(try_cast({{ column }} as timestamptz)))
{%- endmacro %}

{% macro spark__to_utc_timestamp(column) -%}
    to_utc_timestamp(try_cast({{ column }} as timestamp), 'UTC')
{%- endmacro %}

{#- Postgres: an instant (timestamptz, or text with or without an offset; naive text is read in
    the session's time zone, UTC for this project's server) to naive UTC. Postgres has no
    try_cast: an unparseable value fails the statement (lead-funnel validate reports it first). -#}
{% macro postgres__to_utc_timestamp(column) -%}
    (cast({{ column }} as timestamptz) at time zone 'UTC')
{%- endmacro %}
