{#-
    first_by(value, order_by) / last_by(value, order_by): aggregates. `value` on the row of the
    group that sorts first by the columns `order_by` (a list), ascending with nulls last
    (first_by), or descending with nulls last (last_by): the row that row_number() over
    (order by ...) = 1 picks, without the window's sort of every row. `value` may be null there
    (it is still that row's). `order_by` must tell the group's rows apart, so the row is one.
        select lead_id, {{ first_by('channel', ['touched_at', 'touch_type', 'touch_id']) }} as first_channel
        from touches group by lead_id
    Each column sorts after a flag of whether it is null, so nulls come last in either direction,
    as the window puts them on DuckDB (default_null_order nulls_last).
-#}
{% macro first_by(value, order_by) -%}
    {{ return(adapter.dispatch('first_by', 'lead_funnel')(value, order_by, 'first')) }}
{%- endmacro %}

{% macro last_by(value, order_by) -%}
    {{ return(adapter.dispatch('first_by', 'lead_funnel')(value, order_by, 'last')) }}
{%- endmacro %}

{#- The sort key of first_by (`end` first) or last_by (`end` last): a null flag before each column. -#}
{% macro _first_by_sort_key(order_by, end) -%}
    {%- for column in order_by -%}
        {{ column }} is {{ 'not ' if end == 'last' }}null, {{ column }}{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- ANSI ordered aggregate (PostgreSQL): the first element of the values in that order. -#}
{% macro default__first_by(value, order_by, end) -%}
    {%- set direction = ' asc nulls last' if end == 'first' else ' desc nulls last' -%}
    (array_agg({{ value }} order by {{ order_by | join(direction ~ ', ') ~ direction }}))[1]
{%- endmacro %}

{#- arg_min_null / arg_max_null keep a null `value` (arg_min skips its row). -#}
{% macro duckdb__first_by(value, order_by, end) -%}
    {{ 'arg_min_null' if end == 'first' else 'arg_max_null' }}({{ value }}, ({{ _first_by_sort_key(order_by, end) }}))
{%- endmacro %}

{% macro spark__first_by(value, order_by, end) -%}
    {{ 'min_by' if end == 'first' else 'max_by' }}({{ value }}, struct({{ _first_by_sort_key(order_by, end) }}))
{%- endmacro %}
