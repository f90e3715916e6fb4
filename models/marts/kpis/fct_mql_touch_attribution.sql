{#-
    Multi-touch attribution: one row per MQL entry x marketing touch of the lead at or before the
    MQL time (int_marketing_touches_unioned: campaign responses, form fills, sessions with utm
    data; merged records included). A touch at the MQL instant counts (a hand-raise form is the
    touch that made the MQL); a touch after it never does. Touches are ordered by time, then
    touch type and id. Credits per MQL add up to 1 for each model: first touch, last touch and
    linear (1 / number of touches).
-#}
with

cycles as (

    select * from {{ ref('int_mql_cycles_measured') }}

),

lead_records as (

    select * from {{ ref('int_leads_merges_resolved') }}

),

touches as (

    select * from {{ ref('int_marketing_touches_unioned') }}

),

lead_touches as (

    select
        lead_records.surviving_lead_id as lead_id,
        touches.touch_type,
        touches.touch_id,
        touches.touched_at,
        touches.campaign_id,
        touches.channel

    from touches
    inner join lead_records
        on touches.lead_id = lead_records.lead_id
    where lead_records.is_history_kept

),

ranked as (

    select
        cycles.mql_entry_id,
        cycles.lead_id,
        cycles.mql_at,
        cycles.mql_month,
        cycles.is_first_mql,
        lead_touches.touch_type,
        lead_touches.touch_id,
        lead_touches.touched_at,
        lead_touches.campaign_id,
        lead_touches.channel,
        row_number() over (
            partition by cycles.mql_entry_id
            order by lead_touches.touched_at, lead_touches.touch_type, lead_touches.touch_id
        ) as touch_position,
        count(*) over (partition by cycles.mql_entry_id) as touches_before_mql

    from cycles
    inner join lead_touches
        on
            cycles.lead_id = lead_touches.lead_id
            and cycles.mql_at >= lead_touches.touched_at

),

final as (

    select
        mql_entry_id,
        lead_id,
        mql_at,
        mql_month,
        is_first_mql,
        touch_type,
        touch_id,
        touched_at,
        campaign_id,
        channel,
        cast(touch_position as {{ dbt.type_int() }}) as touch_position,
        cast(touches_before_mql as {{ dbt.type_int() }}) as touches_before_mql,
        touch_position = 1 as is_first_touch,
        touch_position = touches_before_mql as is_last_touch,
        cast(case when touch_position = 1 then 1 else 0 end as {{ type_double() }}) as first_touch_credit,
        cast(case when touch_position = touches_before_mql then 1 else 0 end as {{ type_double() }})
            as last_touch_credit,
        {{ safe_divide('1', 'touches_before_mql') }} as linear_credit

    from ranked

)

select * from final
