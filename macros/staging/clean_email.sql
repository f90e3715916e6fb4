{#- Normalise an email address: trimmed and lower-cased; empty text becomes null. -#}
{% macro clean_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}

{#- The domain part of an email (after the @), from a raw or cleaned address. -#}
{% macro email_domain(column) -%}
    {{ dbt.split_part(clean_email(column), "'@'", 2) }}
{%- endmacro %}
