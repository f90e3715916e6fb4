{#-
    Column types written in YAML (seeds' column_types, enforced contracts' data_type) name the
    dispatched type macros, never one warehouse's type names, so the same YAML builds on every
    adapter:

        type_string, type_int, type_bigint, type_boolean, type_timestamp  ->  dbt.type_*()
        type_double, type_date, type_money, type_exact_decimal,
        type_fingerprint (macros/incremental/incremental_fingerprints.sql) ->  this project's macros

    Two overrides of dbt's macros resolve them before dbt uses them: create_csv_table (a seed's
    table; on Spark the loaded rows are cast to the same types) and get_assert_columns_equivalent
    (the first step of an enforced contract: the contract check, then the typed DDL).
    On Spark a key-bucketed incremental model's contract also gets its partition column.
-#}

{% macro type_name_sql(type_name, where) -%}
    {%- set types = {
        'type_string': dbt.type_string(),
        'type_int': dbt.type_int(),
        'type_bigint': dbt.type_bigint(),
        'type_boolean': dbt.type_boolean(),
        'type_timestamp': dbt.type_timestamp(),
        'type_double': type_double(),
        'type_date': type_date(),
        'type_money': type_money(),
        'type_exact_decimal': type_exact_decimal(),
        'type_fingerprint': type_fingerprint(),
    } -%}
    {%- if type_name not in types -%}
        {{ exceptions.raise_compiler_error(
            where ~ ': a column type must name a type macro (' ~ types.keys() | join(', ') ~ '); got ' ~ type_name
        ) }}
    {%- endif -%}
    {{ return(types[type_name]) }}
{%- endmacro %}

{% macro create_csv_table(model, agate_table) -%}
    {%- if not model['config'].get('column_types_resolved') -%}
        {%- set resolved = {} -%}
        {%- for column, type_name in (model['config'].get('column_types') or {}).items() -%}
            {%- do resolved.update({column: type_name_sql(type_name, 'seed ' ~ model['name'] ~ ', column ' ~ column)}) -%}
        {%- endfor -%}
        {%- do model['config'].update({'column_types': resolved, 'column_types_resolved': true}) -%}
    {%- endif -%}
    {{ return(adapter.dispatch('create_csv_table', 'dbt')(model, agate_table)) }}
{%- endmacro %}

{% macro get_assert_columns_equivalent(sql) -%}
    {%- for column in model['columns'].values() if column.get('data_type') and not column.get('data_type_resolved') -%}
        {%- do column.update({
            'data_type': type_name_sql(column['data_type'], 'model ' ~ model['name'] ~ ', column ' ~ column['name']),
            'data_type_resolved': true,
        }) -%}
    {%- endfor -%}
    {#- Spark's key-bucketed incremental models carry their partition column (spark_key_buckets.sql). -#}
    {%- if '_key_bucket' in (config.get('partition_by') or []) and '_key_bucket' not in model['columns'] -%}
        {%- do model['columns'].update({'_key_bucket': {
            'name': '_key_bucket', 'data_type': dbt.type_bigint(), 'data_type_resolved': true, 'constraints': [],
        }}) -%}
    {%- endif -%}
    {{ return(adapter.dispatch('get_assert_columns_equivalent', 'dbt')(sql)) }}
{%- endmacro %}
