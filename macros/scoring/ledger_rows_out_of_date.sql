{#- The score ledger's post-hook condition: a row whose lead no longer has the input fingerprint
    it was computed with (a lead merged away, deleted, or re-computed to no award). -#}
{% macro ledger_rows_out_of_date(ledger) -%}
    not exists (select 1 from {{ ref('int_leads_score_inputs_fingerprinted') }} as score_inputs
    where score_inputs.lead_id = {{ ledger }}.lead_id and score_inputs.inputs_hash = {{ ledger }}.lead_inputs_hash)
{%- endmacro %}
