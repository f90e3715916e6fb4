{#-
    Quarantine rules of crm.leads for merge pointers that resolve to no surviving record: a
    record merged into itself, and a record on a merge cycle (A -> B -> A) or whose chain runs
    into one. Chains are walked over the records that carry a pointer only, for
    2 * (var lead_merge_max_depth + 1) hops: a cycle of at most lead_merge_max_depth + 1 records
    reached within as many hops shows as a record met twice. Every other record resolves as
    usual (int_leads_merges_resolved); a chain longer than the depth still fails its test there.

    merge_cycle_joins(relation): the left join adding merge_cycle_reason to `relation` (a CTE of
    typed leads: lead_id, merged_into_lead_id). merge_cycle_rules(): the `when` branches.
-#}
{% macro merge_cycle_joins(relation='typed') -%}
    {%- set hops = 2 * ((var('lead_merge_max_depth') | int) + 1) -%}
    {%- set nodes = ['links.lead_id', 'links.merged_into_lead_id'] -%}
    {%- for hop in range(1, hops) -%}
        {%- do nodes.append('hop_' ~ hop ~ '.merged_into_lead_id') -%}
    {%- endfor %}
    left join (
        select
            links.lead_id,
            min(case
                when links.lead_id = links.merged_into_lead_id then 'merged into itself'
                when
                {%- for later in range(1, nodes | length) %}
                    {%- for earlier in range(0, later) %}
                    {{ 'or ' if not (later == 1 and earlier == 0) }}{{ nodes[earlier] }} = {{ nodes[later] }}
                    {%- endfor %}
                {%- endfor %}
                    then 'merge cycle'
            end) as merge_cycle_reason
        from (
            select distinct merged.lead_id, merged.merged_into_lead_id
            from {{ relation }} as merged
            where merged.merged_into_lead_id is not null and {{ within_as_of('merged.updated_at') }}
        ) as links
        {%- for hop in range(1, hops) %}
        left join (
            select distinct merged.lead_id, merged.merged_into_lead_id
            from {{ relation }} as merged
            where merged.merged_into_lead_id is not null and {{ within_as_of('merged.updated_at') }}
        ) as hop_{{ hop }}
            on {{ nodes[hop] }} = hop_{{ hop }}.lead_id
        {%- endfor %}
        group by links.lead_id
    ) as merge_graph
        on derived.lead_id = merge_graph.lead_id
{%- endmacro %}

{% macro merge_cycle_rules() -%}
        when merge_graph.merge_cycle_reason is not null then merge_graph.merge_cycle_reason
{%- endmacro %}
