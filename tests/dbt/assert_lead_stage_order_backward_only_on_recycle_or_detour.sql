{#-
    On the main path (visitor ... customer) a lead's canonical stage order never goes backward
    except on an entry flagged is_recycle. Detour entries (recycled, disqualified: is_detour) are
    allowed anywhere and are left out of the comparison, so the entry that leaves a detour is
    compared with the last main-path entry before it: recycled (order 90) -> sal is a move
    forward from the mql before the detour, not a move backward from 90. Entries of unknown
    stages (no order) are skipped the same way.
-#}
with

main_path_entries as (

    select
        lead_id,
        lead_entry_number,
        stage,
        stage_order,
        is_recycle,
        lag(stage_order) over (
            partition by lead_id
            order by lead_entry_number
        ) as previous_main_path_stage_order

    from {{ ref('fct_lead_stage_transitions') }}
    where
        not is_unmapped_stage
        and not is_detour

)

select *
from main_path_entries
where
    stage_order < previous_main_path_stage_order
    and not is_recycle
