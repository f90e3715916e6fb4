{#-
    The shape and the order of stage evidence (int_stage_evidence_unioned, docs/lifecycle.md).

    stage_evidence_columns(relation=none)
        Select-list items: the columns every evidence row has (lead_id, source_lead_id, stage,
        source_value, occurred_at, evidence_source, evidence_id), qualified by `relation` when
        given; comma separated, no trailing comma.
    evidence_order()
        The window of a lead's evidence in order (for `over (...)`): by occurred_at, ties broken
        by canonical stage_order (unmapped stages last), then evidence priority (seed
        lifecycle_evidence_sources), then evidence_id. The order fct_lead_stage_transitions
        collapses evidence in, and int_mql_expiries_scheduled reads. Needs the columns lead_id,
        occurred_at, stage_order, evidence_priority, evidence_id.
    evidence_sequence()
        The position of an evidence row in that order (a row_number, 1 = first).
-#}
{% macro stage_evidence_columns(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {%- set items = [] -%}
    {%- for column in ['lead_id', 'source_lead_id', 'stage', 'source_value', 'occurred_at',
                       'evidence_source', 'evidence_id'] -%}
        {%- do items.append(prefix ~ column) -%}
    {%- endfor -%}
    {{ items | join(',\n        ') }}
{%- endmacro %}

{% macro evidence_order() -%}
partition by lead_id
            order by
                occurred_at,
                case when stage_order is null then 1 else 0 end,
                stage_order,
                evidence_priority,
                evidence_id
{%- endmacro %}

{% macro evidence_sequence() -%}
row_number() over (
            {{ evidence_order() }}
        )
{%- endmacro %}
