{#-
    SCD2 form of the stage history: one row per stage entry with its validity
    [valid_from, valid_to). Contiguous per lead: valid_to is the next row's valid_from; the
    current row has valid_to null (open-ended). As of t:
        valid_from <= t and (valid_to > t or valid_to is null)

    Incremental by lead, as fct_lead_stage_transitions: a run copies the rows of the leads whose
    transitions changed (their inputs_fingerprint differs from the stored one).
-#}
{{ incremental_by_key_config(
    'lead_id',
    post_hook="{{ delete_keys_without_inputs('select lead_id from ' ~ ref('fct_lead_stage_transitions')) }}",
) }}

with

all_transitions as (

    select * from {{ ref('fct_lead_stage_transitions') }}

),

{% if is_incremental() -%}
-- The transitions' own fingerprint of each lead's inputs says what changed.
fingerprints as (

    select distinct
        lead_id,
        inputs_fingerprint

    from all_transitions

),

{% endif -%}
{{ fingerprint_touched_inputs({'transitions': 'all_transitions'}) }}

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
        is_unmapped_stage,
        inputs_fingerprint

    from transitions

)

select *{{ incremental_key_bucket('lead_id') }} from final
