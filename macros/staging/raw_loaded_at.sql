{#-
    base_loaded_at_condition(base, op, bound, alias): `<alias>.loaded_at <op> <bound>` on the rows
    of a base model (`base`: its relation), in the form the warehouse answers cheapest, for the
    incremental reads of the event tables (staging's watermark, the late-row window and counts,
    row_reconciliation's new loads).

    On DuckDB, when the raw file delivers loaded_at as a timestamp with time zone, the staged
    value is the raw instant as a naive UTC timestamp (to_utc_timestamp): an order-preserving map
    of every finite instant, so the same condition on the raw value (the base model's
    raw_loaded_at, against timezone('UTC', bound)) selects exactly the same rows (an infinite
    loaded_at stages as null and is quarantined as unparseable). Against a constant the Parquet
    reader then skips whole row groups by their min / max statistics, and no value is converted:
    a day's rows of a 42M-row file are found without reading the rest. Elsewhere, and for a raw
    column of another type (text, a naive timestamp), the condition is the typed one.
-#}
{% macro base_loaded_at_condition(base, op, bound, alias=none, column='loaded_at') -%}
    {{ return(adapter.dispatch('base_loaded_at_condition', 'lead_funnel')(base, op, bound, alias, column)) }}
{%- endmacro %}

{% macro default__base_loaded_at_condition(base, op, bound, alias, column) -%}
    {{ alias ~ '.' if alias }}{{ column }} {{ op }} {{ bound }}
{%- endmacro %}

{#- `column`: another column than loaded_at keeps the typed condition. -#}
{% macro duckdb__base_loaded_at_condition(base, op, bound, alias, column) -%}
    {%- if column == 'loaded_at' and raw_loaded_at_type(base) == 'TIMESTAMP WITH TIME ZONE' -%}
        {{ alias ~ '.' if alias }}raw_loaded_at {{ op }} timezone('UTC', {{ bound }})
    {%- else -%}
        {{ default__base_loaded_at_condition(base, op, bound, alias, column) }}
    {%- endif -%}
{%- endmacro %}

{#- The type of the delivered raw loaded_at column behind a base model of an event table (the
    database's name for it), or none: not an event table, not delivered, no loaded_at column, or
    while dbt parses. -#}
{% macro raw_loaded_at_type(base) -%}
    {%- set table_name = base.identifier.split('__')[-1] -%}
    {%- if not execute or table_name not in raw_contract()['tables']
        or not raw_contract_table(table_name)['event'] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set delivered = raw_delivered_columns(table_name) -%}
    {%- if delivered is none or 'loaded_at' not in delivered -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set spec = raw_contract_table(table_name) -%}
    {%- set described = run_query(
        "select column_type from (describe select loaded_at from " ~ source(spec['source'], table_name) ~ ")"
    ) -%}
    {{ return(described.columns[0].values()[0] | upper) }}
{%- endmacro %}
