{#-
    kept_lead_records(lead_records, extra_columns=[]): a select of the lead records whose history
    is kept (int_leads_merges_resolved.is_history_kept: live leads and records merged into a live
    lead), each keyed to the lead that carries its history: source_lead_id (the record),
    lead_id (the surviving lead), then `extra_columns` of the record.
-#}
{% macro kept_lead_records(lead_records='lead_records', extra_columns=[]) -%}
    select
        lead_id as source_lead_id,
        surviving_lead_id as lead_id
        {%- for column in extra_columns %},
        {{ column }}
        {%- endfor %}

    from {{ lead_records }}
    where is_history_kept
{%- endmacro %}
