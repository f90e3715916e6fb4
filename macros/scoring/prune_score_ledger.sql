{#-
    fct_lead_score_ledger's post-hook: drop the rows of leads that are gone (merged away, deleted)
    or whose current-state fingerprint no longer matches (docs/incremental.md). Clone-safe: under
    `dbt clone` the ledger is a view (or a zero-copy clone) of another environment's table, which
    must not be written, so the hook renders to nothing there.
-#}
{% macro prune_score_ledger() -%}
    {%- if flags.WHICH == 'clone' -%}
        {{ return('') }}
    {%- endif -%}
    delete from {{ this }}
    where not exists (
        select 1
        from {{ ref('int_leads_score_inputs_fingerprinted') }} as score_inputs
        where
            score_inputs.lead_id = {{ this }}.lead_id
            and score_inputs.inputs_hash = {{ this }}.lead_inputs_hash
    )
{%- endmacro %}
