{#-
    import_refs(imports): a model's import CTEs, one per entry of `imports` (CTE name -> the
    model, seed or snapshot it selects every column of), in the order given, separated by commas
    (no trailing comma). It renders the hand-written form
        leads as not materialized (

            select * from {{ ref('dim_leads') }}

        ),
    so a model still starts with its imports; use it right after `with`.

    Every import is `not materialized` (macros/cross_db/cte_not_materialized.sql; nothing where
    the warehouse has no such hint): an import is a plain read of a table, and a CTE read in
    several places is otherwise stored whole for the query by DuckDB (and Postgres), every
    column of every row, before the reads filter it. Read in place instead, each read takes only
    its own columns and rows: at 1M leads int_score_awards_scheduled fell from 55 s (18 GB
    spilled) to 18.5 s, and the incremental ledger's read of the page views from 24.5 s (11 GB
    spilled) to 7.3 s (BENCHMARKS.md). A filtered CTE that several CTEs read (a scoring batch)
    is still stored by DuckDB: its rows only, cheaper than one filtered scan per read.
        with

        {{ import_refs({
            'leads': 'dim_leads',
            'transitions': 'fct_lead_stage_transitions',
        }) }},

        first_logical_cte as (...)
-#}
{% macro import_refs(imports) -%}
{%- for name, model in imports.items() %}
{{ name }} as {{ cte_not_materialized() }} (

    select * from {{ ref(model) }}

){% if not loop.last %},{% endif %}
{%- endfor %}
{%- endmacro %}
