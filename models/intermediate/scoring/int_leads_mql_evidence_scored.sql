{#-
    MQL evidence from the scoring, in the columns of int_stage_evidence_unioned's evidence
    (docs/scoring.md): score_threshold, the first instant a lead's total score reaches the
    mql_threshold of seed scoring_thresholds (one row per lead at most); hand_raise, one row per
    form submission whose form_type is in var scoring_hand_raise_form_types. Keyed to the
    surviving lead (records merged into it count; deleted leads' records do not). Depends on no
    lifecycle model but int_leads_merges_resolved.

    The total only rises at an award with positive points or when a negative award stops
    counting, so the crossing is the first such instant (int_lead_scores_evaluated) at which
    the total reaches the threshold.
-#}
{%- set hand_raise_list -%}
    {%- for form_type in var('scoring_hand_raise_form_types') %}'{{ form_type }}'{{ ", " if not loop.last }}{% endfor -%}
{%- endset -%}

with

{{ import_refs({
    'lead_records': 'int_leads_merges_resolved',
    'scores': 'int_lead_scores_evaluated',
    'form_submissions': 'int_form_submissions_deduplicated',
}) }},

kept_records as (

    {{ kept_lead_records() }}

),

floors as (

    {{ scoring_floors_select() }}

),

crossings as (

    select
        scores.lead_id,
        min(scores.scored_at) as crossed_at

    from scores
    cross join floors
    where scores.total_score >= floors.mql_threshold
    group by scores.lead_id

),

threshold_evidence as (

    select
        lead_id,
        lead_id as source_lead_id,
        'mql' as stage,
        cast(null as {{ dbt.type_string() }}) as source_value,
        crossed_at as occurred_at,
        'score_threshold' as evidence_source,
        {{ dbt.concat(["'score:'", 'lead_id']) }} as evidence_id

    from crossings

),

hand_raise_evidence as (

    select
        kept_records.lead_id,
        kept_records.source_lead_id,
        'mql' as stage,
        form_submissions.form_type as source_value,
        form_submissions.submitted_at as occurred_at,
        'hand_raise' as evidence_source,
        form_submissions.form_submission_id as evidence_id

    from form_submissions
    inner join kept_records
        on form_submissions.lead_id = kept_records.source_lead_id
    where form_submissions.form_type in ({{ hand_raise_list }})

),

final as (

    select * from threshold_evidence
    union all
    select * from hand_raise_evidence

)

select * from final
