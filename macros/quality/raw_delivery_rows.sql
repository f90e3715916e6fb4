{#- One row per contract table: what the delivery held (model raw_deliveries). -#}
{% macro raw_delivery_rows() -%}
    {%- for table_name, spec in raw_contract()['tables'].items() %}
    {%- set delivered = raw_delivered_columns(table_name) %}
    {%- set missing = [] %}
    {%- set missing_required = [] %}
    {%- for col in spec['columns'] if delivered is not none and col['name'] | lower not in delivered %}
        {%- do missing.append(col['name']) %}
        {%- if col['required'] %}{% do missing_required.append(col['name']) %}{% endif %}
    {%- endfor %}
    {%- set no_loaded_at = delivered is not none and spec['event'] and 'loaded_at' in missing %}

    select
        '{{ spec["source"] }}' as source_name,
        '{{ table_name }}' as table_name,
        {{ 'true' if spec['required'] else 'false' }} as is_required_table,
        {{ 'true' if delivered is not none else 'false' }} as is_delivered,
        cast('{{ missing | join(", ") }}' as {{ dbt.type_string() }}) as missing_columns,
        cast('{{ missing_required | join(", ") }}' as {{ dbt.type_string() }}) as missing_required_columns,
        {{ 'true' if no_loaded_at else 'false' }} as is_loaded_at_from_file,
        {{ raw_file_loaded_at(table_name) if delivered is not none else 'cast(null as ' ~ dbt.type_timestamp() ~ ')' }}
            as file_loaded_at
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
