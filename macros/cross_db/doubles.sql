{#-
    A double as text, written the same way on every engine: the shortest digits that give the
    double back, with '.0' on a whole number ('100.0', '2.5'), as DuckDB and Spark cast it.
    Postgres writes a whole number without the '.0' ('100'), so a label or a fingerprint built
    from a double would differ between engines; it gets the '.0' here. Null stays null.
-#}
{% macro double_text(expression) -%}
    {{ return(adapter.dispatch('double_text', 'lead_funnel')(expression)) }}
{%- endmacro %}

{% macro default__double_text(expression) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}

{% macro postgres__double_text(expression) -%}
    case
        when {{ expression }} = trunc({{ expression }}) and abs({{ expression }}) < 1e15
            then cast(cast({{ expression }} as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }}) || '.0'
        else cast({{ expression }} as {{ dbt.type_string() }})
    end
{%- endmacro %}

{#-
    round(expression, digits) of a double or a decimal. Postgres rounds only numerics to a number
    of digits (there is no round(double precision, integer)): the value is cast to numeric first.
-#}
{% macro round_to(expression, digits) -%}
    {{ return(adapter.dispatch('round_to', 'lead_funnel')(expression, digits)) }}
{%- endmacro %}

{% macro default__round_to(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{% macro postgres__round_to(expression, digits) -%}
    round(cast({{ expression }} as numeric), {{ digits }})
{%- endmacro %}
