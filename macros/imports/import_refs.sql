{#-
    import_refs(imports): a model's import CTEs, one per entry of `imports` (CTE name -> the
    model, seed or snapshot it selects every column of), in the order given, separated by commas
    (no trailing comma). It renders exactly the hand-written form
        leads as (

            select * from {{ ref('dim_leads') }}

        ),
    so a model still starts with its imports; use it right after `with`:
        with

        {{ import_refs({
            'leads': 'dim_leads',
            'transitions': 'fct_lead_stage_transitions',
        }) }},

        first_logical_cte as (...)
-#}
{% macro import_refs(imports) -%}
{%- for name, model in imports.items() %}
{{ name }} as (

    select * from {{ ref(model) }}

){% if not loop.last %},{% endif %}
{%- endfor %}
{%- endmacro %}
