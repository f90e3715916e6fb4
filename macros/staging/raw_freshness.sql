{#-
    Source freshness (`dbt source freshness`): how long ago each raw table was loaded, against
    vars raw_freshness_warn_after_hours and raw_freshness_error_after_hours (sources YAML,
    generated from the contract). dbt compares the load time with its own clock: that is the
    check's purpose (a stale delivery), and it runs only there, never in a model.

    raw_loaded_at_query(table_name)
        The freshness query of a raw table (the sources' loaded_at_query, rendered when the check
        runs): the latest loaded_at of its rows, as staging stages it (naive UTC); a file without a
        loaded_at column, or whose loaded_at are all null, has the file's load time, as in
        staging (raw_file_loaded_at). A table that was not delivered stops the check of that
        table with a message naming its file.
-#}

{% macro raw_loaded_at_query(table_name) -%}
    {%- set spec = raw_contract_table(table_name) -%}
    {%- set columns = raw_delivered_columns(table_name) -%}
    {%- if columns is none -%}
        {{ exceptions.raise_compiler_error(
            'raw table ' ~ table_name ~ ' was not delivered (no file at ' ~ raw_file_path(table_name)
            ~ '): no load time to check') }}
    {%- endif -%}
    {%- if 'loaded_at' in columns -%}
        select coalesce(
            (select max({{ to_utc_timestamp('raw_rows.loaded_at') }})
             from {{ source(spec['source'], table_name) }} as raw_rows),
            {{ raw_file_loaded_at(table_name) }}
        ) as max_loaded_at
    {%- else -%}
        select {{ raw_file_loaded_at(table_name) }} as max_loaded_at
    {%- endif -%}
{%- endmacro %}
