{#-
    How every MQL ends: one row per MQL entry of a live lead, with its disposition (seed
    mql_disposition_rules) from the stage its lead entered next and who closed the MQL: accepted
    (SAL, SQL, opportunity, customer), rejected (a sales user sent it back to nurture; the CRM
    status is the reason), recycled (automation returned it), expired (no one accepted it within
    var mql_acceptance_days: recycled automatically), disqualified (the CRM status is the reason),
    or open (still MQL at the data's as-of, younger than mql_acceptance_days). is_handed_to_sales:
    the MQL was opened by evidence var mql_handoff_evidence_sources counts as a handoff to sales
    (the CRM's own MQL status by default); the others are reported, not worked.
-#}
with

{{ import_refs({
    'transitions': 'fct_lead_stage_transitions',
    'status_changes': 'stg_crm__lead_status_changes',
    'channels': 'int_leads_channels_assigned',
    'rules': 'mql_disposition_rules',
    'as_of': 'int_as_of_dates_resolved',
}) }},

mql_entries as (

    select
        mqls.stage_entry_id as mql_entry_id,
        mqls.lead_id,
        mqls.entry_number as mql_number,
        mqls.entered_at as mql_at,
        mqls.evidence_source,
        next_entry.stage as next_stage,
        next_entry.entered_at as closed_at,
        next_entry.source_value as next_source_value,
        case
            when next_entry.stage_entry_id is null then null
            when next_entry.evidence_source = 'mql_expired' then 'expiry'
            when
                next_entry.evidence_source = 'crm_status'
                and closing_change.changed_by is not null
                and lower(closing_change.changed_by) <> 'system'
                then 'sales'
            else 'automation'
        end as closed_by

    from transitions as mqls
    left join transitions as next_entry
        on
            mqls.lead_id = next_entry.lead_id
            and mqls.lead_entry_number + 1 = next_entry.lead_entry_number
    left join status_changes as closing_change
        on next_entry.evidence_id = closing_change.status_change_id
    where mqls.stage = 'mql'

),

ruled as (

    select
        mql_entries.*,
        coalesce(specific_rule.disposition, any_rule.disposition) as ruled_disposition

    from mql_entries
    left join rules as specific_rule
        on
            mql_entries.next_stage = specific_rule.next_stage
            and mql_entries.closed_by = specific_rule.closed_by
    left join rules as any_rule
        on
            mql_entries.next_stage = any_rule.next_stage
            and any_rule.closed_by = 'any'

),

final as (

    select
        ruled.mql_entry_id,
        ruled.lead_id,
        cast(ruled.mql_number as {{ dbt.type_int() }}) as mql_number,
        ruled.mql_number = 1 as is_first_mql,
        ruled.mql_at,
        cast({{ dbt.date_trunc('month', 'ruled.mql_at') }} as date) as mql_month,
        channels.kpi_channel as channel,
        ruled.evidence_source,
        ruled.evidence_source in (
            {%- for source in var('mql_handoff_evidence_sources') %}'{{ source }}'{{ ', ' if not loop.last }}{% endfor -%}
        ) as is_handed_to_sales,
        case
            when ruled.next_stage is null then 'open'
            else coalesce(ruled.ruled_disposition, 'unmapped')
        end as disposition,
        ruled.next_stage as disposition_stage,
        ruled.closed_by,
        ruled.closed_at as disposition_at,
        case
            when ruled.ruled_disposition in ('rejected', 'disqualified') then ruled.next_source_value
        end as disposition_reason,
        {{ elapsed_days('ruled.mql_at', 'coalesce(ruled.closed_at, as_of.as_of_at)') }} as days_in_mql

    from ruled
    cross join as_of
    left join channels
        on ruled.lead_id = channels.lead_id

)

select * from final
