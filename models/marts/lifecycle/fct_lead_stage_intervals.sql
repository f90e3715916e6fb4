{#-
    SCD2 form of the stage history: one row per stage entry with its validity
    [valid_from, valid_to). Contiguous per lead: valid_to is the next row's valid_from; the
    current row has valid_to null (open-ended). As of t:
        valid_from <= t and (valid_to > t or valid_to is null)
-#}
with

transitions as (

    select * from {{ ref('fct_lead_stage_transitions') }}

),

final as (

    select
        stage_entry_id,
        lead_id,
        lead_entry_number,
        stage,
        entered_at as valid_from,
        exited_at as valid_to,
        is_current,
        is_recycle,
        is_reopen,
        is_detour,
        is_unmapped_stage

    from transitions

)

select * from final
