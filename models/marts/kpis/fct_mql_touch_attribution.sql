{#-
    Multi-touch attribution: one row per MQL entry x marketing touch of the lead at or before the
    MQL time and, for a re-MQL, after the lead's previous MQL (int_lead_touches_resolved:
    campaign responses, form fills, sessions with utm data; merged records included): a touch is
    credited to one MQL only. A touch at the MQL instant counts (a hand-raise form is the touch
    that made the MQL); a touch after it never does. Touches are ordered by time, then touch
    type and id. Credits per MQL add up to 1 for each model: first touch, last touch, linear
    (1 / number of touches) and u_shape (40% first, 40% last, 20% shared between).

    Incremental by lead (docs/incremental.md): a run re-computes the leads whose MQL cycles or
    touches changed since their stored rows were computed (inputs_fingerprint).
-#}
{{ incremental_by_key_config(
    'lead_id',
    post_hook="{{ delete_stale_fingerprints(key_fingerprints(mql_touch_fingerprint_inputs(
        ref('int_mql_cycles_measured'), ref('int_lead_touches_resolved')
    ))) }}",
) }}

{{ as_of_needs_full_refresh() }}

with

{{ import_refs({
    'all_cycles': 'int_mql_cycles_measured',
    'all_touches': 'int_lead_touches_resolved',
}) }},

fingerprints as (

    {{ key_fingerprints(mql_touch_fingerprint_inputs('all_cycles', 'all_touches')) }}

),

{{ fingerprint_touched_inputs({'cycles': 'all_cycles', 'lead_touches': 'all_touches'}) }}

ranked as (

    select
        cycles.mql_entry_id,
        cycles.lead_id,
        cycles.mql_at,
        cycles.mql_month,
        cycles.is_first_mql,
        {{ ranked_touches('lead_touches', 'cycles.mql_entry_id', 'touches_before_mql') }}

    from cycles
    inner join lead_touches
        on
            cycles.lead_id = lead_touches.lead_id
            and cycles.mql_at >= lead_touches.touched_at
            and (cycles.previous_mql_at is null or cycles.previous_mql_at < lead_touches.touched_at)

),

final as (

    select
        ranked.mql_entry_id,
        ranked.lead_id,
        ranked.mql_at,
        ranked.mql_month,
        ranked.is_first_mql,
        ranked.touch_type,
        ranked.touch_id,
        ranked.touched_at,
        ranked.campaign_id,
        ranked.channel,
        cast(ranked.touch_position as {{ dbt.type_int() }}) as touch_position,
        cast(ranked.touches_before_mql as {{ dbt.type_int() }}) as touches_before_mql,
        ranked.touch_position = 1 as is_first_touch,
        ranked.touch_position = ranked.touches_before_mql as is_last_touch,
        {{ attribution_credits('ranked.touch_position', 'ranked.touches_before_mql') }},
        fingerprints.inputs_fingerprint

    from ranked
    inner join fingerprints
        on ranked.lead_id = fingerprints.lead_id

)

select *{{ incremental_key_bucket('lead_id') }} from final
