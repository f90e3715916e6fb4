{#-
    Explain a score (docs/scoring.md): each rule version's contribution to a lead's score at an
    instant, after caps and decay, plus the floor adjustments, summing to total_score.

    explain_lead_scores(instants)
        `instants`: a relation or CTE with lead_id, scored_at (a repeated pair is explained once,
        as lead_scores_at scores it once). One row per instant, rule version
        with awards counting at that instant, and one row per floor that bites
        (component engagement_floor / score_floor, rule_id null):
        lead_id, scored_at, component (fit | engagement | engagement_floor | score_floor),
        rule_id, rule_version, n_awards, points_awarded (undecayed), contribution (at scored_at).
        sum(contribution) per (lead_id, scored_at) = total_score of lead_scores_at. Per award (a
        join of each instant to the lead's earlier awards): meant for a few leads or a sample.

    explain_lead_score(lead_id, as_of)
        The same for one lead (a SQL string literal or expression) at one instant:
            {{ explain_lead_score("'00Q000000000001'", "cast('2026-06-01' as timestamp)") }}
-#}

{% macro explain_lead_scores(instants) -%}
    select
        contributions.lead_id,
        contributions.scored_at,
        contributions.component,
        contributions.rule_id,
        contributions.rule_version,
        contributions.n_awards,
        contributions.points_awarded,
        contributions.contribution
    from (
        select
            instants.lead_id,
            instants.scored_at,
            award.dimension as component,
            award.rule_id,
            award.rule_version,
            count(*) as n_awards,
            cast(sum(award.points) as {{ type_double() }}) as points_awarded,
            cast(sum({{ score_award_value('award', 'instants.scored_at') }}) as {{ type_double() }})
                as contribution
        from (
            select distinct
                explained_instants.lead_id,
                explained_instants.scored_at
            from {{ instants }} as explained_instants
        ) as instants
        inner join {{ ref('int_score_awards_scheduled') }} as award
            on
                instants.lead_id = award.lead_id
                and award.awarded_at <= instants.scored_at
                and (award.expires_at is null or award.expires_at > instants.scored_at)
        group by instants.lead_id, instants.scored_at, award.dimension, award.rule_id, award.rule_version

        union all

        select
            scores.lead_id,
            scores.scored_at,
            floor_adjustments.component,
            cast(null as {{ dbt.type_string() }}) as rule_id,
            cast(null as {{ dbt.type_int() }}) as rule_version,
            0 as n_awards,
            cast(0 as {{ type_double() }}) as points_awarded,
            case floor_adjustments.component
                when 'engagement_floor' then scores.engagement_score - scores.engagement_points
                else scores.total_score - (scores.fit_score + scores.engagement_score)
            end as contribution
        from ({{ lead_scores_at(instants) }}) as scores
        cross join (
            select 'engagement_floor' as component
            union all
            select 'score_floor' as component
        ) as floor_adjustments
        where
            case floor_adjustments.component
                when 'engagement_floor' then scores.engagement_score - scores.engagement_points
                else scores.total_score - (scores.fit_score + scores.engagement_score)
            end <> 0
    ) as contributions
{%- endmacro %}

{% macro explain_lead_score(lead_id, as_of) -%}
    {{ explain_lead_scores("(select " ~ lead_id ~ " as lead_id, " ~ as_of ~ " as scored_at)") }}
{%- endmacro %}
