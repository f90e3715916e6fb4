{#-
    One row per lead and instant its total score can rise: each award with positive points and
    each end (expires_at) of an award with negative points. Between two such instants the total
    can only stay or fall (decay, expiry of positive awards, negative awards), so the first
    instant the total reaches any threshold is one of these rows. Feeds the MQL-by-score
    evidence and the threshold grid of fct_scoring_backtest.

    Incremental by lead (docs/incremental.md): a run re-computes the leads whose awards (or the
    scoring seeds and vars) changed since their stored rows were computed (inputs_fingerprint)
    and replaces all their rows. A full build scores the leads in batches (docs/scoring.md).
-#}
{{ incremental_by_key_config(
    'lead_id',
    post_hook=["{{ run_scoring_batches() }}", "{{ delete_keys_without_inputs(
        'select lead_id from ' ~ ref('int_score_awards_scheduled')
        ~ ' where points > 0 or (points < 0 and expires_at is not null)'
    ) }}"],
) }}

{{ as_of_needs_full_refresh() }}

with

{{ import_refs({
    'all_awards': 'int_score_awards_scheduled',
    'thresholds': 'scoring_thresholds',
}) }},

-- A full build scores its leads in batches (macros/scoring/scoring_batches.sql).
{{ scoring_batch_imports({'awards': 'all_awards'}, bucket_columns={'awards': 'scoring_bucket'}) }}

fingerprints as (

    {{ key_fingerprints(
        [{'relation': 'awards', 'key': 'lead_id', 'columns': scoring_award_fingerprint_columns()}],
        global_inputs=[{'relation': 'thresholds', 'columns': scoring_threshold_fingerprint_columns()}]
    ) }}

),

{{ fingerprint_touched_inputs({'lead_awards': 'awards'}) }}

rising_instants as (

    select distinct
        lead_id,
        awarded_at as scored_at

    from lead_awards
    where points > 0

    union

    select distinct
        lead_id,
        expires_at as scored_at

    from lead_awards
    where points < 0 and expires_at is not null

),

scores as (

    {{ lead_scores_at('rising_instants', 'lead_awards') }}

),

final as (

    select
        scores.lead_id,
        scores.scored_at,
        scores.fit_score,
        scores.engagement_score,
        scores.total_score,
        fingerprints.inputs_fingerprint,
        {{ scoring_bucket('scores.lead_id') }} as scoring_bucket

    from scores
    inner join fingerprints
        on scores.lead_id = fingerprints.lead_id

)

select *{{ incremental_key_bucket('lead_id') }} from final
