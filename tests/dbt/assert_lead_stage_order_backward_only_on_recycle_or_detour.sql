{#-
    Within one lead's entry sequence the canonical stage order never goes backward, except on
    entries flagged is_recycle or is_detour. Entries of unknown stages (no order) are skipped:
    each entry is compared with the previous entry that has a canonical order.
-#}
with

ordered_entries as (

    select
        lead_id,
        lead_entry_number,
        stage,
        stage_order,
        is_recycle,
        is_detour,
        lag(stage_order) over (
            partition by lead_id
            order by lead_entry_number
        ) as previous_stage_order

    from {{ ref('fct_lead_stage_transitions') }}
    where not is_unknown_stage

)

select *
from ordered_entries
where
    stage_order < previous_stage_order
    and not is_recycle
    and not is_detour
