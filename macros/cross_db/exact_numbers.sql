{#-
    Exact numbers, so that two builds of the same data give the same marts to the last bit.

    A sum of doubles depends on the order rows are added in, and a parallel aggregate adds them in
    whatever order its threads finish: the same data summed twice can differ in the last bits.
    Decimal arithmetic is exact, so a decimal sum is the same whatever the order.

    type_money()            the money type: DECIMAL(18,2), cents (values up to 1e16). Amounts and
                            spend are staged as it; every sum of money stays in it.
    money(expression)       expression cast to the money type
    type_exact_decimal()    DECIMAL(38,12): for exact sums of fractional values (attribution
                            credits, days)
    exact_sum(expression)   sum of expression as exact decimals (a decimal)
    exact_avg(expression)   average of expression from its exact sum (a double)
-#}
{% macro type_money() -%}
    {{ return(adapter.dispatch('type_money', 'lead_funnel')()) }}
{%- endmacro %}

{% macro default__type_money() -%}
    numeric(18, 2)
{%- endmacro %}

{% macro duckdb__type_money() -%}
    decimal(18, 2)
{%- endmacro %}

{% macro spark__type_money() -%}
    decimal(18, 2)
{%- endmacro %}

{% macro bigquery__type_money() -%}
    numeric
{%- endmacro %}

{% macro money(expression) -%}
    cast({{ expression }} as {{ type_money() }})
{%- endmacro %}

{% macro type_exact_decimal() -%}
    {{ return(adapter.dispatch('type_exact_decimal', 'lead_funnel')()) }}
{%- endmacro %}

{% macro default__type_exact_decimal() -%}
    numeric(38, 12)
{%- endmacro %}

{% macro duckdb__type_exact_decimal() -%}
    decimal(38, 12)
{%- endmacro %}

{% macro spark__type_exact_decimal() -%}
    decimal(38, 12)
{%- endmacro %}

{% macro bigquery__type_exact_decimal() -%}
    bignumeric
{%- endmacro %}

{% macro exact_sum(expression) -%}
    sum(cast({{ expression }} as {{ type_exact_decimal() }}))
{%- endmacro %}

{% macro exact_avg(expression) -%}
    (cast({{ exact_sum(expression) }} as {{ type_double() }}) / nullif(count({{ expression }}), 0))
{%- endmacro %}
