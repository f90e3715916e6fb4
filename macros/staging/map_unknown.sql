{#-
    Keep a categorical value when it is one of the contract's allowed values,
    otherwise map it to 'unknown' (the row is kept, never dropped). Values are
    compared trimmed; allowed values come from raw_accepted_values(), which is
    generated from lead_funnel/contract.py.
-#}
{% macro map_unknown(column, table_name, column_name=none) -%}
    {%- set allowed = raw_accepted_values(table_name, column_name or column) -%}
    case
        when trim({{ column }}) in (
            {%- for value in allowed %}'{{ value }}'{{ ", " if not loop.last }}{% endfor -%}
        ) then trim({{ column }})
        else 'unknown'
    end
{%- endmacro %}
