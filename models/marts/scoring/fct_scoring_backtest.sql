{#-
    Scoring-quality backtest (docs/scoring.md): does the score predict conversion? Every score
    is leakage-safe: computed from awards made at or before the instant evaluated, decayed to
    it. N = var scoring_backtest_window_days; the data's end = macro scoring_as_of(). Only
    mature units (whose window of N days ends before the data's end) are counted.
    Three analyses (column analysis), one row per segment:
      score_band / score_decile: live leads' first MQL entry (fct_lead_stage_transitions),
        scored at that instant; per band (seed scoring_thresholds) or decile (1 = highest
        scores): leads, share reaching SQL / customer within N days after the MQL, lift over
        the rate of all evaluated leads.
      threshold: per candidate threshold (seed scoring_threshold_candidates), leads known at
        least N days before the data's end: flagged = total reached the candidate within N days
        of the lead becoming known; converted = first SQL entry within N days of becoming known;
        a true positive is flagged no later than its SQL entry. precision, recall, F1, and
        mqls_per_month = all crossings of the candidate / months of data (the sales load).
-#}
{%- set window_days = var('scoring_backtest_window_days') -%}

with

{{ import_refs({
    'transitions': 'fct_lead_stage_transitions',
    'stage_evidence': 'int_stage_evidence_unioned',
    'evaluated_scores': 'int_lead_scores_evaluated',
    'profiles': 'int_leads_profiled',
    'thresholds': 'scoring_thresholds',
    'candidates': 'scoring_threshold_candidates',
}) }},

data_end as (

    select {{ scoring_as_of() }} as as_of

),

-- The first MQL as the CRM recorded it: independent of the score under test (scoring the MQLs
-- the score itself created would only show that they passed the threshold).
first_mqls as (

    select
        lead_id,
        occurred_at as mql_at,
        row_number() over (
            partition by lead_id
            order by occurred_at, evidence_priority, evidence_id
        ) as mql_rank

    from stage_evidence
    where stage = 'mql' and evidence_source in ('crm_status', 'crm_snapshot')

),

stage_firsts as (

    select
        first_mqls.lead_id,
        min(case when transitions.stage = 'sql' then transitions.entered_at end) as sql_at,
        min(case when transitions.stage = 'customer' then transitions.entered_at end) as won_at

    from first_mqls
    inner join transitions
        on
            first_mqls.lead_id = transitions.lead_id
            and first_mqls.mql_at <= transitions.entered_at
    where first_mqls.mql_rank = 1
    group by first_mqls.lead_id

),

mql_scores as (

    {{ lead_scores_at("(select lead_id, mql_at as scored_at from first_mqls where mql_rank = 1)") }}

),

score_bands as (

    select * from thresholds
    where threshold_type = 'score_band'

),

mql_outcomes as (

    select
        first_mqls.lead_id,
        mql_scores.total_score,
        score_bands.label as score_band,
        coalesce(
            stage_firsts.sql_at <= {{ dbt.dateadd('day', window_days, 'first_mqls.mql_at') }}, false
        ) as is_sql_within_window,
        coalesce(
            stage_firsts.won_at <= {{ dbt.dateadd('day', window_days, 'first_mqls.mql_at') }}, false
        ) as is_won_within_window

    from first_mqls
    inner join mql_scores
        on
            first_mqls.lead_id = mql_scores.lead_id
            and first_mqls.mql_at = mql_scores.scored_at
    left join score_bands
        on {{ within_band('mql_scores.total_score', 'score_bands') }}
    left join stage_firsts
        on first_mqls.lead_id = stage_firsts.lead_id
    cross join data_end
    where
        first_mqls.mql_rank = 1
        and {{ dbt.dateadd('day', window_days, 'first_mqls.mql_at') }} <= data_end.as_of

),

mql_deciles as (

    select
        mql_outcomes.*,
        ntile(10) over (order by mql_outcomes.total_score desc, mql_outcomes.lead_id asc) as score_decile

    from mql_outcomes

),

overall_rates as (

    select
        {{ safe_divide('sum(case when is_sql_within_window then 1 else 0 end)', 'count(*)') }} as sql_rate,
        {{ safe_divide('sum(case when is_won_within_window then 1 else 0 end)', 'count(*)') }} as won_rate

    from mql_outcomes

),

band_segments as (

    select
        'score_band' as analysis,
        score_bands.label as segment,
        score_bands.band_order as segment_order,
        count(mql_deciles.lead_id) as leads,
        sum(case when mql_deciles.is_sql_within_window then 1 else 0 end) as sql_leads,
        sum(case when mql_deciles.is_won_within_window then 1 else 0 end) as won_leads,
        min(mql_deciles.total_score) as min_score,
        max(mql_deciles.total_score) as max_score

    from score_bands
    left join mql_deciles
        on score_bands.label = mql_deciles.score_band
    group by score_bands.label, score_bands.band_order

),

decile_segments as (

    select
        'score_decile' as analysis,
        cast(score_decile as {{ dbt.type_string() }}) as segment,
        score_decile as segment_order,
        count(*) as leads,
        sum(case when is_sql_within_window then 1 else 0 end) as sql_leads,
        sum(case when is_won_within_window then 1 else 0 end) as won_leads,
        min(total_score) as min_score,
        max(total_score) as max_score

    from mql_deciles
    group by score_decile

),

segments as (

    select * from band_segments
    union all
    select * from decile_segments

),

segment_rows as (

    select
        segments.analysis,
        segments.segment,
        segments.segment_order,
        cast(null as {{ type_double() }}) as candidate_threshold,
        segments.leads,
        segments.sql_leads,
        segments.won_leads,
        segments.min_score,
        segments.max_score,
        {{ safe_divide('segments.sql_leads', 'segments.leads') }} as sql_rate,
        {{ safe_divide('segments.won_leads', 'segments.leads') }} as won_rate,
        {{ safe_divide(safe_divide('segments.sql_leads', 'segments.leads'), 'overall_rates.sql_rate') }}
            as sql_lift,
        {{ safe_divide(safe_divide('segments.won_leads', 'segments.leads'), 'overall_rates.won_rate') }}
            as won_lift,
        cast(null as {{ type_double() }}) as mqls_per_month,
        cast(null as {{ dbt.type_bigint() }}) as flagged_leads,
        cast(null as {{ dbt.type_bigint() }}) as true_positives,
        cast(null as {{ type_double() }}) as precision_rate,
        cast(null as {{ type_double() }}) as recall_rate,
        cast(null as {{ type_double() }}) as f1_score

    from segments
    cross join overall_rates

),

-- Threshold grid.
candidate_crossings as (

    select
        candidates.candidate_threshold,
        evaluated_scores.lead_id,
        min(evaluated_scores.scored_at) as crossed_at

    from candidates
    inner join evaluated_scores
        on candidates.candidate_threshold <= evaluated_scores.total_score
    group by candidates.candidate_threshold, evaluated_scores.lead_id

),

lead_firsts as (

    select
        lead_id,
        min(case when stage = 'sql' then entered_at end) as sql_at

    from transitions
    group by lead_id

),

mature_leads as (

    select
        profiles.lead_id,
        profiles.known_at,
        lead_firsts.sql_at,
        coalesce(
            lead_firsts.sql_at <= {{ dbt.dateadd('day', window_days, 'profiles.known_at') }}, false
        ) as is_converted

    from profiles
    left join lead_firsts
        on profiles.lead_id = lead_firsts.lead_id
    cross join data_end
    where {{ dbt.dateadd('day', window_days, 'profiles.known_at') }} <= data_end.as_of

),

grid_outcomes as (

    select
        candidates.candidate_threshold,
        mature_leads.lead_id,
        mature_leads.is_converted,
        coalesce(
            candidate_crossings.crossed_at <= {{ dbt.dateadd('day', window_days, 'mature_leads.known_at') }},
            false
        ) as is_flagged,
        coalesce(
            candidate_crossings.crossed_at <= {{ dbt.dateadd('day', window_days, 'mature_leads.known_at') }}
            and mature_leads.is_converted
            and candidate_crossings.crossed_at <= mature_leads.sql_at,
            false
        ) as is_true_positive

    from candidates
    cross join mature_leads
    left join candidate_crossings
        on
            candidates.candidate_threshold = candidate_crossings.candidate_threshold
            and mature_leads.lead_id = candidate_crossings.lead_id

),

data_months as (

    select
        {{ dbt.datediff('min(profiles.known_at)', 'max(data_end.as_of)', 'month') }} + 1 as n_months

    from profiles
    cross join data_end

),

monthly_load as (

    select
        candidate_crossings.candidate_threshold,
        {{ safe_divide('count(*)', 'max(data_months.n_months)') }} as mqls_per_month

    from candidate_crossings
    cross join data_months
    group by candidate_crossings.candidate_threshold

),

grid_counts as (

    select
        candidate_threshold,
        count(*) as leads,
        sum(case when is_converted then 1 else 0 end) as sql_leads,
        sum(case when is_flagged then 1 else 0 end) as flagged_leads,
        sum(case when is_true_positive then 1 else 0 end) as true_positives

    from grid_outcomes
    group by candidate_threshold

),

grid_rows as (

    select
        'threshold' as analysis,
        {{ double_text('grid_counts.candidate_threshold') }} as segment,
        cast(row_number() over (order by grid_counts.candidate_threshold) as {{ dbt.type_int() }})
            as segment_order,
        grid_counts.candidate_threshold,
        grid_counts.leads,
        grid_counts.sql_leads,
        cast(null as {{ dbt.type_bigint() }}) as won_leads,
        cast(null as {{ type_double() }}) as min_score,
        cast(null as {{ type_double() }}) as max_score,
        {{ safe_divide('grid_counts.sql_leads', 'grid_counts.leads') }} as sql_rate,
        cast(null as {{ type_double() }}) as won_rate,
        cast(null as {{ type_double() }}) as sql_lift,
        cast(null as {{ type_double() }}) as won_lift,
        coalesce(monthly_load.mqls_per_month, 0) as mqls_per_month,
        grid_counts.flagged_leads,
        grid_counts.true_positives,
        {{ safe_divide('grid_counts.true_positives', 'grid_counts.flagged_leads') }} as precision_rate,
        {{ safe_divide('grid_counts.true_positives', 'grid_counts.sql_leads') }} as recall_rate,
        {{ safe_divide('2 * grid_counts.true_positives', 'grid_counts.flagged_leads + grid_counts.sql_leads') }}
            as f1_score

    from grid_counts
    left join monthly_load
        on grid_counts.candidate_threshold = monthly_load.candidate_threshold

),

unioned as (

    select * from segment_rows
    union all
    select * from grid_rows

),

final as (

    select
        analysis,
        segment,
        cast(segment_order as {{ dbt.type_int() }}) as segment_order,
        cast(candidate_threshold as {{ type_double() }}) as candidate_threshold,
        {{ bigint_counts(['leads', 'sql_leads', 'won_leads']) }},
        {{ cast_columns([
            'min_score', 'max_score', 'sql_rate', 'won_rate', 'sql_lift', 'won_lift', 'mqls_per_month',
        ], type_double()) }},
        {{ bigint_counts(['flagged_leads', 'true_positives']) }},
        {{ cast_columns(['precision_rate', 'recall_rate', 'f1_score'], type_double()) }}

    from unioned

)

select * from final
