{#-
    Loading a seed's rows. dbt-spark's session method substitutes bound values into the SQL
    text without escaping them (a value with an apostrophe breaks the statement) and binds an
    empty cell as the text 'None'; so on Spark the rows go in as escaped literals (null for an
    empty cell), cast to the seed's column types. Every other adapter keeps its own loader.
-#}
{% macro load_csv_rows(model, agate_table) -%}
    {{ return(adapter.dispatch('seed_load_csv_rows', 'lead_funnel')(model, agate_table)) }}
{%- endmacro %}

{% macro default__seed_load_csv_rows(model, agate_table) -%}
    {{ return(adapter.dispatch('load_csv_rows', 'dbt')(model, agate_table)) }}
{%- endmacro %}

{% macro spark__seed_load_csv_rows(model, agate_table) -%}
    {%- set column_types = model['config'].get('column_types') or {} -%}
    {%- set cols_sql = get_seed_column_quoted_csv(model, agate_table.column_names) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} ({{ cols_sql }}) values
            {% for row in chunk -%}
                (
                {%- for value in row -%}
                    {%- set column = agate_table.column_names[loop.index0] -%}
                    {%- set type = column_types.get(column, adapter.convert_type(agate_table, loop.index0)) -%}
                    cast({{ spark_seed_literal(value) }} as {{ type }}){{ ', ' if not loop.last }}
                {%- endfor -%}
                ){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) if loop.first -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}

{#- A seed cell as a Spark SQL literal: null, a number, or escaped text (dates and times as ISO text). -#}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is boolean -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- elif value.isoformat is defined -%}
        '{{ value.isoformat() }}'
    {%- else -%}
        '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
