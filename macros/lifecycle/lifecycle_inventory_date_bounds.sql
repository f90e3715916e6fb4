{#-
    First and last day (YYYY-MM-DD strings) of fct_funnel_daily_inventory.
    Vars lifecycle_inventory_start_date / lifecycle_inventory_end_date win when set; otherwise
    the range is derived from the stage intervals at run time: from the first day any lead
    entered a stage to the last day anything happened (latest valid_from or valid_to).
    The query runs when the model is compiled for execution (its parents are built by then).
    Without any interval (a delivery without leads), at parse time, or when the intervals do not
    exist yet (linting), a one-day placeholder range is returned with empty = true: the model
    renders and holds no rows. Never the wall clock.
-#}
{% macro lifecycle_inventory_date_bounds(intervals) %}
    {%- set start_date = var('lifecycle_inventory_start_date', none) -%}
    {%- set end_date = var('lifecycle_inventory_end_date', none) -%}
    {%- if (start_date is none or end_date is none) and execute -%}
        {%- set relation = load_relation(intervals) -%}
        {%- if relation is not none -%}
            {%- set bounds_query -%}
                select
                    cast(min(valid_from) as date) as first_day,
                    cast(max(valid_from) as date) as last_entry_day,
                    cast(max(valid_to) as date) as last_exit_day
                from {{ relation }}
            {%- endset -%}
            {%- set row = run_query(bounds_query).rows[0] -%}
            {%- if row[0] is not none -%}
                {%- set last_days = [row[1]] + ([row[2]] if row[2] is not none else []) -%}
                {%- if start_date is none -%}{%- set start_date = row[0] | string -%}{%- endif -%}
                {%- if end_date is none -%}{%- set end_date = last_days | max | string -%}{%- endif -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- set empty = start_date is none -%}
    {%- set start_date = (start_date or '1970-01-01') | string -%}
    {%- set end_date = (end_date or start_date) | string -%}
    {{ return({'start': start_date, 'end': end_date, 'empty': empty}) }}
{% endmacro %}
