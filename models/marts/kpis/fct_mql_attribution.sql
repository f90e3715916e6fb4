{#-
    Attribution per MQL: one row per MQL entry (first-time MQL or re-MQL) of a live lead with its
    first and last marketing touch at or before the MQL time (fct_mql_touch_attribution), the
    number of such touches, the lead's CRM lead-source channel and the channel the KPIs use
    (var kpi_channel_model, a lead-level choice: see int_leads_channels_assigned). An MQL
    without any touch has null touch columns.
-#}
with

{{ import_refs({
    'cycles': 'int_mql_cycles_measured',
    'touch_attribution': 'fct_mql_touch_attribution',
}) }},

first_touches as (

    select * from touch_attribution
    where is_first_touch

),

last_touches as (

    select * from touch_attribution
    where is_last_touch

),

final as (

    select
        cycles.mql_entry_id,
        cycles.lead_id,
        cycles.mql_at,
        cycles.mql_month,
        cycles.is_first_mql,
        cast(cycles.mql_number as {{ dbt.type_int() }}) as mql_number,
        cast(coalesce(first_touches.touches_before_mql, 0) as {{ dbt.type_int() }}) as touches_before_mql,
        first_touches.touched_at as first_touch_at,
        first_touches.touch_type as first_touch_type,
        first_touches.campaign_id as first_touch_campaign_id,
        first_touches.channel as first_touch_channel,
        last_touches.touched_at as last_touch_at,
        last_touches.touch_type as last_touch_type,
        last_touches.campaign_id as last_touch_campaign_id,
        last_touches.channel as last_touch_channel,
        cycles.lead_source_channel,
        cycles.kpi_channel,
        cycles.sql_at is not null as is_sql_reached

    from cycles
    {{- left_join_on_key('cycles', ['first_touches', 'last_touches'], 'mql_entry_id') }}

)

select * from final
