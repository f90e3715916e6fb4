{#- a = b, where two nulls are equal too (a null channel: no source recorded). ANSI SQL, for the
    dense grids whose dimensions may be null. -#}
{% macro null_safe_equals(left, right) -%}
    ({{ left }} = {{ right }} or ({{ left }} is null and {{ right }} is null))
{%- endmacro %}
