{#-
    Where deleted and merged lead records are counted: one row per record_status of
    int_leads_merges_resolved, with the records and the history rows they carry. Records
    whose history is kept (live, merged) feed the lifecycle; the others are excluded from
    every lifecycle mart and counted here.
-#}
with

{{ import_refs({
    'lead_records': 'int_leads_merges_resolved',
    'status_changes': 'stg_crm__lead_status_changes',
    'opportunities': 'stg_crm__opportunities',
}) }},

status_changes_per_record as (

    select
        lead_id,
        count(*) as n_status_changes

    from status_changes
    group by lead_id

),

opportunities_per_record as (

    select
        primary_lead_id as lead_id,
        count(*) as n_opportunities

    from opportunities
    where primary_lead_id is not null
    group by primary_lead_id

),

final as (

    select
        lead_records.record_status,
        lead_records.is_history_kept,
        count(*) as n_lead_records,
        coalesce(sum(status_changes_per_record.n_status_changes), 0) as n_status_changes,
        coalesce(sum(opportunities_per_record.n_opportunities), 0) as n_opportunities

    from lead_records
    {{- left_join_on_key('lead_records', ['status_changes_per_record', 'opportunities_per_record']) }}
    group by
        lead_records.record_status,
        lead_records.is_history_kept

)

select * from final
