{#-
    One row per lead and instant its total score can rise: each award with positive points and
    each end (expires_at) of an award with negative points. Between two such instants the total
    can only stay or fall (decay, expiry of positive awards, negative awards), so the first
    instant the total reaches any threshold is one of these rows. Feeds the MQL-by-score
    evidence and the threshold grid of fct_scoring_backtest.
-#}
with

awards as (

    select * from {{ ref('int_score_awards_scheduled') }}

),

rising_instants as (

    select distinct
        lead_id,
        awarded_at as scored_at

    from awards
    where points > 0

    union

    select distinct
        lead_id,
        expires_at as scored_at

    from awards
    where points < 0 and expires_at is not null

),

scores as (

    {{ lead_scores_at('rising_instants') }}

),

final as (

    select
        lead_id,
        scored_at,
        fit_score,
        engagement_score,
        total_score

    from scores

)

select * from final
