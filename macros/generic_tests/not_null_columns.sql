{#-
    A model-level not_null for several columns in one scan: fails with one row per column that
    holds nulls (column_name, null_rows). One test per model instead of one per column keeps the
    build's node count, and the scans of large staging views, down (BENCHMARKS.md).
    Models with an enforced contract declare not_null as a column constraint instead.
-#}
{% test not_null_columns(model, column_names) %}
with

counted as (

    select
        {%- for column_name in column_names %}
        sum(case when {{ column_name }} is null then 1 else 0 end) as null_rows_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}

)

{% for column_name in column_names -%}
select
    '{{ column_name }}' as column_name,
    null_rows_{{ loop.index }} as null_rows
from counted
where null_rows_{{ loop.index }} > 0
{% if not loop.last %}
union all
{% endif %}
{%- endfor %}
{% endtest %}
