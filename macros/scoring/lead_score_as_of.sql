{#-
    As-of lead scores (docs/scoring.md). All read int_score_awards_scheduled (the ledger with
    each award's expiry) and seed scoring_thresholds (floors); all are portable SQL.

    score_award_value(award, as_of)
        The contribution of one award (table alias `award`) at the instant `as_of` (a SQL
        expression): 0 before it is awarded and from its expires_at on; otherwise its points
        decayed by age = (as_of - awarded_at) in days:
          none, step: points
          half_life:  points x 0.5 ^ (age / decay_param)
          linear:     points x max(0, 1 - decay_param / 100 x age / var scoring_days_per_month)

    lead_scores_at(instants)
        A select of one row per row of `instants` (a relation or CTE with lead_id, scored_at):
        fit_score (sum of fit contributions), engagement_points (sum of engagement
        contributions), engagement_score (engagement_points, floored at engagement_floor) and
        total_score (fit_score + engagement_score, floored at score_floor).

    lead_score_as_of(as_of)
        The scores of every lead known at `as_of` (a SQL timestamp expression, e.g.
        "cast('2026-06-01' as timestamp)"): one row per lead with as_of, fit_score,
        engagement_points, engagement_score, total_score. Use it in an analysis or model:
            select * from ({{ lead_score_as_of("cast('2026-06-01' as timestamp)") }}) as scores

    scoring_as_of()
        "Now" of the scoring: var scoring_as_of, or (null) the latest engagement award of the ledger.
-#}

{% macro score_award_value(award, as_of) -%}
    case
        when {{ award }}.awarded_at > {{ as_of }} then 0
        when {{ award }}.expires_at is not null and {{ as_of }} >= {{ award }}.expires_at then 0
        when {{ award }}.decay_policy = 'half_life'
            then {{ award }}.points * power(
                0.5, {{ score_age_days(award ~ '.awarded_at', as_of) }} / {{ award }}.decay_param
            )
        when {{ award }}.decay_policy = 'linear'
            then {{ award }}.points * greatest(
                0,
                1 - {{ award }}.decay_param / 100.0 * {{ score_age_days(award ~ '.awarded_at', as_of) }}
                / {{ var('scoring_days_per_month') }}
            )
        else {{ award }}.points
    end
{%- endmacro %}

{% macro score_age_days(from_instant, to_instant) -%}
    (cast({{ dbt.datediff(from_instant, to_instant, 'microsecond') }} as {{ type_double() }}) / 86400000000.0)
{%- endmacro %}

{% macro scoring_floors_select() -%}
    select
        max(case when threshold_type = 'score_floor' then lower_bound end) as score_floor,
        max(case when threshold_type = 'engagement_floor' then lower_bound end) as engagement_floor,
        max(case when threshold_type = 'mql_threshold' then lower_bound end) as mql_threshold
    from {{ ref('scoring_thresholds') }}
{%- endmacro %}

{% macro lead_scores_at(instants) -%}
    select
        summed.lead_id,
        summed.scored_at,
        summed.fit_score,
        summed.engagement_points,
        greatest(summed.engagement_points, coalesce(floors.engagement_floor, summed.engagement_points))
            as engagement_score,
        greatest(
            summed.fit_score
            + greatest(summed.engagement_points, coalesce(floors.engagement_floor, summed.engagement_points)),
            coalesce(
                floors.score_floor,
                summed.fit_score
                + greatest(summed.engagement_points, coalesce(floors.engagement_floor, summed.engagement_points))
            )
        ) as total_score
    from (
        select
            instants.lead_id,
            instants.scored_at,
            cast(coalesce(sum(
                case when award.dimension = 'fit' then {{ score_award_value('award', 'instants.scored_at') }} end
            ), 0) as {{ type_double() }}) as fit_score,
            cast(coalesce(sum(
                case
                    when award.dimension = 'engagement'
                        then {{ score_award_value('award', 'instants.scored_at') }}
                end
            ), 0) as {{ type_double() }}) as engagement_points
        from {{ instants }} as instants
        left join {{ ref('int_score_awards_scheduled') }} as award
            on
                instants.lead_id = award.lead_id
                and award.awarded_at <= instants.scored_at
        group by instants.lead_id, instants.scored_at
    ) as summed
    cross join ({{ scoring_floors_select() }}) as floors
{%- endmacro %}

{% macro lead_score_as_of(as_of) -%}
    select
        scores.lead_id,
        scores.scored_at as as_of,
        scores.fit_score,
        scores.engagement_points,
        scores.engagement_score,
        scores.total_score
    from (
        {{ lead_scores_at(
            "(select lead_id, " ~ as_of ~ " as scored_at from " ~ ref('int_leads_profiled')
            ~ " where known_at <= " ~ as_of ~ ")"
        ) }}
    ) as scores
{%- endmacro %}

{% macro scoring_as_of() -%}
    {%- if var('scoring_as_of') -%}
        cast('{{ var("scoring_as_of") }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        (select max(awarded_at) from {{ ref('fct_lead_score_ledger') }} where dimension = 'engagement')
    {%- endif -%}
{%- endmacro %}
