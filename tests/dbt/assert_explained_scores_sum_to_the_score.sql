{#-
    Explain a score (macro explain_lead_scores): for a sample of snapshots (every 7th lead by
    id, or every n-th with n = leads / 2,000 when that is larger: about 2,000 leads at scale, the
    test cost 25 s at 1M leads explaining every 7th; BENCHMARKS.md), at each of its snapshot
    instants, the contributions sum to the snapshot's total_score. Returns the instants where
    they differ by 1e-9 or more, or where no explanation exists.
-#}
{%- set every_nth_lead = 7 -%}
{%- set sampled_leads_at_most = 2000 -%}
with

snapshots as (

    select * from {{ ref('fct_lead_score_snapshots') }}

),

sampled_leads as (

    select
        lead_id,
        row_number() over (order by lead_id) as lead_number,
        count(*) over () as lead_count

    from (select distinct lead_id from snapshots) as leads

),

sample_instants as (

    select distinct
        snapshots.lead_id,
        snapshots.scored_at,
        snapshots.total_score

    from snapshots
    inner join sampled_leads
        on snapshots.lead_id = sampled_leads.lead_id
    where
        mod(
            sampled_leads.lead_number,
            greatest(
                {{ every_nth_lead }},
                cast(floor(sampled_leads.lead_count / {{ sampled_leads_at_most }}) as {{ dbt.type_bigint() }})
            )
        ) = 0

),

explained as (

    {{ explain_lead_scores('sample_instants') }}

),

explained_totals as (

    select
        lead_id,
        scored_at,
        sum(contribution) as explained_score

    from explained
    group by lead_id, scored_at

)

select
    sample_instants.lead_id,
    sample_instants.scored_at,
    sample_instants.total_score,
    explained_totals.explained_score

from sample_instants
left join explained_totals
    on
        sample_instants.lead_id = explained_totals.lead_id
        and sample_instants.scored_at = explained_totals.scored_at
where
    abs(sample_instants.total_score - coalesce(explained_totals.explained_score, 0)) >= 1e-9
    or (explained_totals.lead_id is null and sample_instants.total_score <> 0)
