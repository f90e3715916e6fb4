{#-
    Make every delivered raw file readable as the relation its source() names, before anything
    runs (on-run-start). Dispatched:

    * DuckDB (and the default): nothing to do. DuckDB reads the files in place through the
      sources' external_location; a warehouse (Postgres, Snowflake, BigQuery...) has the raw
      tables loaded by its loader (scripts/postgres_load.py, or your EL tool) into the schemas
      the sources name.
    * Spark: each delivered file becomes an external table `<source>.<table>` read by Spark's
      own reader (USING parquet, or USING csv with a header, every column text as DuckDB reads a
      CSV), pointing at the file in place: nothing is copied and dropping the table never
      touches the file. A table whose file is absent or empty (0 bytes) is dropped, so
      raw_delivered_columns sees it as not delivered. The files are listed with Spark's
      binaryFile reader (path, length, modification time; the content is never read).
-#}
{% macro register_raw_tables() -%}
    {{ return(adapter.dispatch('register_raw_tables', 'lead_funnel')()) }}
{%- endmacro %}

{% macro default__register_raw_tables() -%}
    {{ return('') }}
{%- endmacro %}

{#- The schema a contract table's source() reads from (the source's name unless it sets one). -#}
{% macro raw_source_schema(table_name) -%}
    {%- set spec = raw_contract_table(table_name) -%}
    {%- for node in graph.sources.values()
        if node.package_name == project_name and node.source_name == spec['source'] and node.name == table_name -%}
        {{ return(node.schema) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error('raw_source_schema: no source ' ~ spec['source'] ~ '.' ~ table_name) }}
{%- endmacro %}

{#- Spark: {table_name: {'path': ..., 'length': bytes, 'modified': timestamp}} of the raw folder's
    files of the configured format. -#}
{% macro spark_raw_files() -%}
    {%- set fmt = env_var('LEAD_FUNNEL_RAW_FORMAT', 'parquet') -%}
    {%- set folder = env_var('LEAD_FUNNEL_RAW_DIR', 'data/raw') | replace("'", "\\'") -%}
    {%- set listed = run_query(
        "select path, length from binaryFile.`" ~ folder ~ "/*." ~ fmt ~ "`"
    ) -%}
    {%- set files = {} -%}
    {%- for row in listed.rows -%}
        {%- set file_name = row[0].split('/')[-1] -%}
        {%- do files.update({file_name[:-(fmt | length + 1)]: {'path': row[0], 'length': row[1]}}) -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}

{% macro spark__register_raw_tables() -%}
    {%- if execute -%}
        {%- set fmt = env_var('LEAD_FUNNEL_RAW_FORMAT', 'parquet') -%}
        {%- if fmt not in ['parquet', 'csv'] -%}
            {{ exceptions.raise_compiler_error('LEAD_FUNNEL_RAW_FORMAT must be parquet or csv; got ' ~ fmt) }}
        {%- endif -%}
        {%- set files = spark_raw_files() -%}
        {%- set schemas = [] -%}
        {%- for table_name in raw_contract()['tables'] -%}
            {%- set schema = raw_source_schema(table_name) -%}
            {%- if schema not in schemas -%}
                {%- do schemas.append(schema) -%}
                {%- do run_query('create schema if not exists ' ~ schema) -%}
            {%- endif -%}
            {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ table_name) -%}
            {%- set file = files.get(table_name) -%}
            {%- if file is not none and (file['length'] | int) > 0 -%}
                {%- set options = ["path '" ~ (file['path'] | replace("'", "\\'")) ~ "'"] -%}
                {%- if fmt == 'csv' -%}
                    {%- do options.extend(["header 'true'", "multiLine 'true'", "escape '\"'", "inferSchema 'false'"]) -%}
                {%- endif -%}
                {%- do run_query(
                    'create table ' ~ schema ~ '.' ~ table_name ~ ' using ' ~ fmt ~ ' options (' ~ options | join(', ') ~ ')'
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
