{#-
    Each CRM lead record -> the surviving record it was (transitively) merged into.
    merged_into_lead_id chains are followed with var('lead_merge_max_depth') self-joins
    (one CTE per hop, generated below); a chain still pointing on after the last hop
    (too long, or a cycle) is flagged is_merge_resolved = false (a data test fails on it).
    A point-in-time build (var kpi_as_of): a record's merge or deletion is its last update, so a
    record updated after the as-of was not merged or deleted yet.
-#}
{%- set max_depth = var('lead_merge_max_depth') | int -%}

with

staged_leads as (

    select * from {{ ref('stg_crm__leads') }}

),

leads as (

    select
        lead_id,
        created_at,
        case when {{ within_as_of('updated_at') }} then merged_into_lead_id end as merged_into_lead_id,
        case when {{ within_as_of('updated_at') }} then is_deleted else false end as is_deleted

    from staged_leads

),

hop_0 as (

    select
        lead_id,
        lead_id as surviving_lead_id,
        merged_into_lead_id as next_lead_id,
        0 as merge_depth

    from leads

),

{% for depth in range(1, max_depth + 1) %}
    hop_{{ depth }} as (

        select
            previous_hop.lead_id,
            coalesce(previous_hop.next_lead_id, previous_hop.surviving_lead_id) as surviving_lead_id,
            next_record.merged_into_lead_id as next_lead_id,
            previous_hop.merge_depth
            + case when previous_hop.next_lead_id is null then 0 else 1 end as merge_depth

        from hop_{{ depth - 1 }} as previous_hop
        left join leads as next_record
            on previous_hop.next_lead_id = next_record.lead_id

    ),

{% endfor %}
classified as (

    select
        leads.lead_id,
        leads.merged_into_lead_id,
        resolved.surviving_lead_id,
        resolved.merge_depth,
        leads.created_at,
        leads.merged_into_lead_id is not null as is_merged,
        leads.is_deleted,
        resolved.next_lead_id is null as is_merge_resolved,
        survivor.lead_id is not null as is_survivor_found,
        coalesce(survivor.is_deleted, false) as is_survivor_deleted,
        case
            when resolved.next_lead_id is not null then 'merge_unresolved'
            when survivor.lead_id is null then 'survivor_missing'
            when survivor.is_deleted and leads.merged_into_lead_id is null then 'deleted'
            when survivor.is_deleted then 'merged_into_deleted'
            when leads.merged_into_lead_id is not null then 'merged'
            else 'live'
        end as record_status

    from leads
    inner join hop_{{ max_depth }} as resolved
        on leads.lead_id = resolved.lead_id
    left join leads as survivor
        on resolved.surviving_lead_id = survivor.lead_id

),

final as (

    select
        lead_id,
        merged_into_lead_id,
        surviving_lead_id,
        merge_depth,
        created_at,
        is_merged,
        is_deleted,
        is_merge_resolved,
        is_survivor_found,
        is_survivor_deleted,
        record_status,
        record_status = 'live' as is_live,
        record_status in ('live', 'merged') as is_history_kept

    from classified

)

select * from final
