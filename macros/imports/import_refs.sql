{#-
    import_refs(imports): a model's import CTEs, one per entry of `imports` (CTE name -> the
    model, seed or snapshot it selects every column of), in the order given, separated by commas
    (no trailing comma). It renders exactly the hand-written form
        leads as (

            select * from {{ ref('dim_leads') }}

        ),
    so a model still starts with its imports; use it right after `with`. `inline=true` marks them
    `not materialized` (macros/cross_db/cte_not_materialized.sql), for a model that reads an
    import in several CTEs, none filtering it to a small part: DuckDB would otherwise store a copy
    of the whole table for the query (int_score_awards_scheduled at 1M: 55 s, 18 GB spilled;
    inline: 18.5 s). Not the default: where every read of an import goes through one filtered
    CTE, DuckDB stores only the filtered rows (the scoring batches), cheaper than a scan per read:
        with

        {{ import_refs({
            'leads': 'dim_leads',
            'transitions': 'fct_lead_stage_transitions',
        }) }},

        first_logical_cte as (...)
-#}
{% macro import_refs(imports, inline=false) -%}
{%- for name, model in imports.items() %}
{{ name }} as {{ cte_not_materialized() if inline }} (

    select * from {{ ref(model) }}

){% if not loop.last %},{% endif %}
{%- endfor %}
{%- endmacro %}
