{#-
    Select-list items casting columns to the type their mart's contract declares, whatever type
    the engine's count(*), sum or division gives; comma separated, no trailing comma.

    cast_columns(columns, data_type)
        `cast(<column> as <data_type>) as <column>` for each of `columns`, e.g.
        {{ cast_columns(['sql_rate', 'won_rate'], type_double()) }},
    bigint_counts(columns)
        the same for counts, as dbt.type_bigint():  {{ bigint_counts(['mqls', 'touches']) }},
-#}
{% macro cast_columns(columns, data_type) -%}
    {%- set items = [] -%}
    {%- for column in columns -%}
        {%- do items.append('cast(' ~ column ~ ' as ' ~ data_type ~ ') as ' ~ column) -%}
    {%- endfor -%}
    {{ items | join(',\n        ') }}
{%- endmacro %}

{% macro bigint_counts(columns) -%}
    {{ cast_columns(columns, dbt.type_bigint()) }}
{%- endmacro %}
