{#-
    Every marketing touch keyed to the surviving live lead: touches of records merged into a
    live lead follow the survivor; touches of deleted leads (and of records merged into them) are
    left out. One row per touch (touch_type, touch_id). The one place the touches of
    int_marketing_touches_unioned meet the merge resolution: channel assignment, MQL and
    opportunity attribution and nurturing read it.
-#}
with

{{ import_refs({
    'touches': 'int_marketing_touches_unioned',
    'lead_records': 'int_leads_merges_resolved',
}) }},

final as (

    select
        lead_records.surviving_lead_id as lead_id,
        touches.lead_id as source_lead_id,
        touches.touch_type,
        touches.touch_id,
        touches.touched_at,
        touches.campaign_id,
        touches.channel

    from touches
    inner join lead_records
        on touches.lead_id = lead_records.lead_id
    where lead_records.is_history_kept

)

select * from final
