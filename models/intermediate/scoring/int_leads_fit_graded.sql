{#-
    One row per live lead: its scores as of the scoring's "now" (macro scoring_as_of(): var
    scoring_as_of, default the latest engagement award), its fit grade (seed scoring_thresholds,
    threshold_type fit_grade) and score band (threshold_type score_band). Leads not yet known at
    that instant (none with the default) score 0.
-#}
with

{{ import_refs({
    'profiles': 'int_leads_profiled',
    'thresholds': 'scoring_thresholds',
}) }},

instants as (

    select
        lead_id,
        {{ scoring_as_of() }} as scored_at

    from profiles

),

scores as (

    {{ lead_scores_at('instants') }}

),

final as (

    select
        scores.lead_id,
        scores.scored_at,
        scores.fit_score,
        fit_grades.label as fit_grade,
        scores.engagement_score,
        scores.total_score,
        score_bands.label as score_band

    from scores
    left join thresholds as fit_grades
        on {{ within_band('scores.fit_score', 'fit_grades', 'fit_grade') }}
    left join thresholds as score_bands
        on {{ within_band('scores.total_score', 'score_bands', 'score_band') }}

)

select * from final
