{#-
    As-of lead scores at a grain bounded by events, not leads x days (docs/scoring.md):
    snapshot_type activity_day, one row per lead and UTC day with at least one award, scored
    right after the day's last award; snapshot_type stage_entry, one row per stage entry of
    fct_lead_stage_transitions, scored at the entry (awards at that very instant included): the
    score at MQL, at SQL, at opportunity... Scores come from the ledger under the rule
    versions valid at each award, decayed to the instant (macro lead_scores_at); an instant
    int_lead_scores_evaluated scored already (the same awards) is read there, not computed again.
    For any other instant use the macro lead_score_as_of.

    Incremental by lead (docs/incremental.md): a run re-computes the leads whose awards or stage
    entries (or the scoring seeds and vars) changed since their stored rows were computed
    (inputs_fingerprint) and replaces all their rows. A full build scores the leads in batches
    (docs/scoring.md).
-#}
{{ incremental_by_key_config(
    'lead_id',
    post_hook=["{{ run_scoring_batches() }}", "{{ delete_keys_without_inputs(
        'select lead_id from ' ~ ref('int_score_awards_scheduled')
        ~ ' union all select lead_id from ' ~ ref('fct_lead_stage_transitions')
    ) }}"],
) }}

{{ as_of_needs_full_refresh() }}

with

{{ import_refs({
    'all_awards': 'int_score_awards_scheduled',
    'all_transitions': 'fct_lead_stage_transitions',
    'all_evaluated': 'int_lead_scores_evaluated',
    'thresholds': 'scoring_thresholds',
}) }},

-- A full build scores its leads in batches (macros/scoring/scoring_batches.sql).
{{ scoring_batch_imports(
    {'batch_awards': 'all_awards', 'batch_transitions': 'all_transitions', 'batch_evaluated': 'all_evaluated'},
    bucket_columns={'batch_awards': 'scoring_bucket', 'batch_evaluated': 'scoring_bucket'},
) }}

fingerprints as (

    {{ key_fingerprints(
        [{'relation': 'batch_awards', 'key': 'lead_id', 'columns': scoring_award_fingerprint_columns()},
         {'relation': 'batch_transitions', 'key': 'lead_id', 'columns': ['stage_entry_id', 'stage', 'entered_at']}],
        global_inputs=[{'relation': 'thresholds', 'columns': scoring_threshold_fingerprint_columns()}]
    ) }}

),

{{ fingerprint_touched_inputs({
    'awards': 'batch_awards', 'transitions': 'batch_transitions', 'evaluated': 'batch_evaluated',
}) }}

activity_days as (

    select
        lead_id,
        {{ dbt.date_trunc('day', 'awarded_at') }} as snapshot_day,
        max(awarded_at) as scored_at

    from awards
    group by lead_id, {{ dbt.date_trunc('day', 'awarded_at') }}

),

snapshot_instants as (

    select
        {{ dbt.concat(['lead_id', "'|activity_day|'", dbt.cast('snapshot_day', dbt.type_string())]) }}
            as snapshot_id,
        lead_id,
        'activity_day' as snapshot_type,
        scored_at,
        cast(null as {{ dbt.type_string() }}) as stage,
        cast(null as {{ dbt.type_string() }}) as stage_entry_id

    from activity_days

    union all

    select
        {{ dbt.concat(['stage_entry_id', "'|stage_entry'"]) }} as snapshot_id,
        lead_id,
        'stage_entry' as snapshot_type,
        entered_at as scored_at,
        stage,
        stage_entry_id

    from transitions

),

instants as (

    select distinct
        lead_id,
        scored_at

    from snapshot_instants

),

-- Most instants (a day's last award mostly has positive points) are scored already by
-- int_lead_scores_evaluated: read there, not computed again.
instants_evaluated as (

    select
        instants.lead_id,
        instants.scored_at,
        evaluated.lead_id is not null as is_evaluated,
        evaluated.fit_score,
        evaluated.engagement_score,
        evaluated.total_score

    from instants
    left join evaluated
        on
            instants.lead_id = evaluated.lead_id
            and instants.scored_at = evaluated.scored_at

),

unevaluated_instants as (

    select
        lead_id,
        scored_at

    from instants_evaluated
    where not is_evaluated

),

computed_scores as (

    {{ lead_scores_at('unevaluated_instants', 'awards') }}

),

scores as (

    select
        lead_id,
        scored_at,
        fit_score,
        engagement_score,
        total_score

    from instants_evaluated
    where is_evaluated

    union all

    select
        lead_id,
        scored_at,
        fit_score,
        engagement_score,
        total_score

    from computed_scores

),

final as (

    select
        snapshot_instants.snapshot_id,
        snapshot_instants.lead_id,
        snapshot_instants.snapshot_type,
        snapshot_instants.scored_at,
        cast({{ dbt.date_trunc('day', 'snapshot_instants.scored_at') }} as date) as scored_on,
        snapshot_instants.stage,
        snapshot_instants.stage_entry_id,
        scores.fit_score,
        scores.engagement_score,
        scores.total_score,
        score_bands.label as score_band,
        fingerprints.inputs_fingerprint

    from snapshot_instants
    inner join fingerprints
        on snapshot_instants.lead_id = fingerprints.lead_id
    inner join scores
        on
            snapshot_instants.lead_id = scores.lead_id
            and snapshot_instants.scored_at = scores.scored_at
    left join thresholds as score_bands
        on {{ within_band('scores.total_score', 'score_bands', 'score_band') }}

)

select *{{ incremental_key_bucket('lead_id') }} from final
