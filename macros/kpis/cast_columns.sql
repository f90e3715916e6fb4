{#-
    bigint_counts(columns): the select-list items `cast(<column> as <bigint>) as <column>` for each
    of `columns` (comma separated, no trailing comma): counts typed as the marts' contracts say
    (dbt.type_bigint), whatever integer type the engine's count(*) / sum gives.
        {{ bigint_counts(['mqls', 'touches']) }},
-#}
{% macro bigint_counts(columns) -%}
    {%- set items = [] -%}
    {%- for column in columns -%}
        {%- do items.append('cast(' ~ column ~ ' as ' ~ dbt.type_bigint() ~ ') as ' ~ column) -%}
    {%- endfor -%}
    {{ items | join(',\n        ') }}
{%- endmacro %}
