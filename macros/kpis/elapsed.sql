{#-
    Elapsed time between two timestamps as a double, from dbt.datediff in microseconds (so no
    whole-unit truncation): elapsed_days('a', 'b') = (b - a) in days, elapsed_minutes likewise.
    Null when either side is null.
-#}
{% macro elapsed_days(start_column, end_column) -%}
    {{ dbt.datediff(start_column, end_column, 'microsecond') }} / 86400000000.0
{%- endmacro %}

{% macro elapsed_minutes(start_column, end_column) -%}
    {{ dbt.datediff(start_column, end_column, 'microsecond') }} / 60000000.0
{%- endmacro %}
