{#-
    Multi-touch attribution: one row per MQL entry x marketing touch of the lead at or before the
    MQL time and, for a re-MQL, after the lead's previous MQL (int_lead_touches_resolved:
    campaign responses, form fills, sessions with utm data; merged records included): a touch is
    credited to one MQL only. A touch at the MQL instant counts (a hand-raise form is the touch
    that made the MQL); a touch after it never does. Touches are ordered by time, then touch
    type and id. Credits per MQL add up to 1 for each model: first touch, last touch, linear
    (1 / number of touches) and u_shape (40% first, 40% last, 20% shared between).
-#}
with

cycles as (

    select * from {{ ref('int_mql_cycles_measured') }}

),

lead_touches as (

    select * from {{ ref('int_lead_touches_resolved') }}

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
            and (cycles.previous_mql_at is null or cycles.previous_mql_at < lead_touches.touched_at)

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
        {{ attribution_credits('touch_position', 'touches_before_mql') }}

    from ranked

)

select * from final
