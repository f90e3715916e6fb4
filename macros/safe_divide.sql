{#-
    numerator / denominator as a double, or null when the denominator is zero or null:
    a KPI with nothing to divide by is unknown, never 0, infinity or an error.
-#}
{% macro safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as {{ type_double() }}) / nullif({{ denominator }}, 0)
{%- endmacro %}
