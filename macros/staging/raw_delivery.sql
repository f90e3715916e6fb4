{#-
    What a delivery holds, asked of the warehouse when a model is compiled (never the wall clock).

    raw_file_path(table_name)
        The file a raw table is read from, as the sources' external_location reads it.
    raw_delivered_columns(table_name)
        none when the table was not delivered (no file, or a file of 0 bytes), else the
        lower-cased names of the columns the file holds. While dbt parses (and for the lint
        target, which has no data), every contract column: the models then reference every
        parent and seed, so the DAG is the same whatever a delivery holds.
    raw_table_delivered(table_name)
        true when raw_delivered_columns is not none.
    raw_file_loaded_at(table_name)
        A SQL expression: the file's modification time as a naive UTC timestamp, to the second
        (as DuckDB reports it), the load time of every row of a file that has no loaded_at
        column. DuckDB and Spark ask the file system; a warehouse reads the table
        <source>.raw_file_loads (table_name, loaded_at) its loader wrote
        (lead_funnel/engines/postgres.py), else null.
-#}

{% macro raw_file_path(table_name) -%}
    {%- set fmt = env_var('LEAD_FUNNEL_RAW_FORMAT', 'parquet') -%}
    {%- set folder = env_var('LEAD_FUNNEL_RAW_DIR', 'data/raw') -%}
    {{ return(folder ~ '/' ~ table_name ~ '.' ~ fmt) }}
{%- endmacro %}

{% macro raw_contract_table(table_name) -%}
    {%- set tables = raw_contract()['tables'] -%}
    {%- if table_name not in tables -%}
        {{ exceptions.raise_compiler_error('raw_contract: no raw table ' ~ table_name) }}
    {%- endif -%}
    {{ return(tables[table_name]) }}
{%- endmacro %}

{% macro raw_delivered_columns(table_name) -%}
    {%- set spec = raw_contract_table(table_name) -%}
    {%- if not execute or target.name == 'lint' -%}
        {{ return(spec['columns'] | map(attribute='name') | list) }}
    {%- endif -%}
    {{ return(adapter.dispatch('raw_delivered_columns', 'lead_funnel')(table_name, spec)) }}
{%- endmacro %}

{% macro default__raw_delivered_columns(table_name, spec) -%}
    {%- set relation = source(spec['source'], table_name) -%}
    {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
    {%- if found is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_columns_in_relation(found) | map(attribute='name') | map('lower') | list) }}
{%- endmacro %}

{% macro duckdb__raw_delivered_columns(table_name, spec) -%}
    {%- set path = raw_file_path(table_name) | replace("'", "''") -%}
    {%- set size = run_query("select coalesce(sum(size), 0) from read_blob('" ~ path ~ "')") -%}
    {%- if (size.columns[0].values()[0] | int) == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set described = run_query(
        "select column_name from (describe select * from " ~ source(spec['source'], table_name) ~ ")"
    ) -%}
    {{ return(described.columns[0].values() | map('lower') | list) }}
{%- endmacro %}

{% macro raw_table_delivered(table_name) -%}
    {{ return(raw_delivered_columns(table_name) is not none) }}
{%- endmacro %}

{% macro raw_file_loaded_at(table_name) -%}
    {{ return(adapter.dispatch('raw_file_loaded_at', 'lead_funnel')(table_name)) }}
{%- endmacro %}

{% macro default__raw_file_loaded_at(table_name) -%}
    {%- set loads = adapter.get_relation(
        database=target.database, schema=raw_source_schema(table_name), identifier='raw_file_loads'
    ) if execute and target.name != 'lint' else none -%}
    {%- if loads is not none -%}
    (
        select max(file_loads.loaded_at)
        from {{ loads }} as file_loads
        where file_loads.table_name = '{{ table_name }}'
    )
    {%- else -%}
        cast(null as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__raw_file_loaded_at(table_name) -%}
    (
        select timezone('UTC', max(file_times.last_modified))
        from read_blob('{{ raw_file_path(table_name) | replace("'", "''") }}') as file_times
    )
{%- endmacro %}

{% macro spark__raw_file_loaded_at(table_name) -%}
    {%- if raw_table_delivered(table_name) -%}
    (
        select date_trunc('second', max(file_times.modificationtime))
        from binaryFile.`{{ raw_file_path(table_name) | replace("'", "\\'") }}` as file_times
    )
    {%- else -%}
        cast(null as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}
