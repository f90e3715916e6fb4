{#-
    The non-null values of a text expression joined by `delimiter` in ascending order, as an
    aggregate: a deterministic text whatever order the rows arrive in (the fingerprints of
    int_leads_score_inputs_fingerprinted hash it). dbt.listagg takes an order by clause, but
    dbt-spark drops it ("order_by_clause is not supported for listagg on Spark"), which would
    make the text, and the hash, depend on row order; Spark sorts the collected list instead.
    Text sorts by the database's collation: binary on DuckDB and Spark; a Postgres database
    must use the C collation to give the same text (docs/engines.md).
-#}
{% macro sorted_listagg(expression, delimiter) -%}
    {{ return(adapter.dispatch('sorted_listagg', 'lead_funnel')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__sorted_listagg(expression, delimiter) -%}
    {{ dbt.listagg(expression, delimiter, 'order by ' ~ expression) }}
{%- endmacro %}

{% macro spark__sorted_listagg(expression, delimiter) -%}
    array_join(array_sort(collect_list({{ expression }})), {{ delimiter }})
{%- endmacro %}
