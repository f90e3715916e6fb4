{#-
    Elapsed time between two timestamps as a double, from dbt.datediff in microseconds (so no
    whole-unit truncation): elapsed_days('a', 'b') = (b - a) in days, elapsed_hours and
    elapsed_minutes likewise. Null when either side is null. The microseconds are cast to a
    double first: an integer divided by a literal such as 60000000.0 is a double on DuckDB but a
    decimal on Spark and Postgres.
-#}
{% macro elapsed_microseconds(start_column, end_column) -%}
    cast({{ dbt.datediff(start_column, end_column, 'microsecond') }} as {{ type_double() }})
{%- endmacro %}

{% macro elapsed_days(start_column, end_column) -%}
    {{ elapsed_microseconds(start_column, end_column) }} / 86400000000.0
{%- endmacro %}

{% macro elapsed_hours(start_column, end_column) -%}
    {{ elapsed_microseconds(start_column, end_column) }} / 3600000000.0
{%- endmacro %}

{% macro elapsed_minutes(start_column, end_column) -%}
    {{ elapsed_microseconds(start_column, end_column) }} / 60000000.0
{%- endmacro %}
