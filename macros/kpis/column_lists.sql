{#-
    Select lists of columns that each go through the same expression, keeping their names; comma
    separated, no trailing comma.

    columns_as(columns, expression)
        `<expression with {} replaced by the column> as <column>` for each of `columns`.
    cast_columns(columns, data_type)
        `cast(<column> as <data_type>) as <column>`: columns typed as their mart's contract
        declares, whatever type the engine's count(*), sum or division gives, e.g.
        {{ cast_columns(['sql_rate', 'won_rate'], type_double()) }},
    bigint_counts(columns)
        the same for counts, as dbt.type_bigint():  {{ bigint_counts(['mqls', 'touches']) }},
    zero_filled(relation, columns)
        `coalesce(<relation>.<column>, 0) as <column>`: the counts and amounts of a left-joined
        `relation`, 0 where it has no row for the grid's key (nothing happened, not unknown).
-#}
{% macro columns_as(columns, expression) -%}
    {%- set items = [] -%}
    {%- for column in columns -%}
        {%- do items.append(expression.replace('{}', column) ~ ' as ' ~ column) -%}
    {%- endfor -%}
    {{ items | join(',\n        ') }}
{%- endmacro %}

{% macro cast_columns(columns, data_type) -%}
    {{ columns_as(columns, 'cast({} as ' ~ data_type ~ ')') }}
{%- endmacro %}

{% macro bigint_counts(columns) -%}
    {{ cast_columns(columns, dbt.type_bigint()) }}
{%- endmacro %}

{% macro zero_filled(relation, columns) -%}
    {{ columns_as(columns, 'coalesce(' ~ relation ~ '.{}, 0)') }}
{%- endmacro %}
