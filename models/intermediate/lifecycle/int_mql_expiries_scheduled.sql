{#-
    MQLs nobody worked are recycled automatically, as marketing-automation platforms do: MQL
    evidence followed by no other evidence of the lead within var mql_acceptance_days (no sales
    acceptance: SAL, SQL, opportunity, customer; no recycle or disqualification; no newer MQL
    evidence, which restarts the clock) gets a `recycled` evidence at its instant +
    mql_acceptance_days (evidence_source mql_expired), when that instant is not after the data's
    as-of. Evidence is ordered as fct_lead_stage_transitions orders it. One row per expiring MQL
    evidence, in the columns of int_stage_evidence_unioned (the transitions read both).
-#}
with

{{ import_refs({
    'evidence': 'int_stage_evidence_unioned',
    'as_of': 'int_as_of_dates_resolved',
    'evidence_sources': 'lifecycle_evidence_sources',
    'canonical_stages': 'canonical_stages',
}) }},

neighbours as (

    select
        lead_id,
        source_lead_id,
        stage,
        occurred_at,
        evidence_id,
        lead(occurred_at) over (
            {{ evidence_order() }}
        ) as next_evidence_at

    from evidence

),

mql_evidence as (

    select
        lead_id,
        source_lead_id,
        evidence_id,
        next_evidence_at,
        {{ dbt.dateadd('day', var('mql_acceptance_days'), 'occurred_at') }} as expires_at

    from neighbours
    where stage = 'mql'

),

final as (

    select
        mql_evidence.lead_id,
        mql_evidence.source_lead_id,
        'recycled' as stage,
        cast(null as {{ dbt.type_string() }}) as source_value,
        mql_evidence.expires_at as occurred_at,
        'mql_expired' as evidence_source,
        {{ dbt.concat(['mql_evidence.evidence_id', "':expired'"]) }} as evidence_id,
        canonical_stages.stage_order,
        cast(null as {{ dbt.type_bigint() }}) as main_path_rank,
        canonical_stages.is_detour,
        false as is_unmapped_stage,
        evidence_sources.evidence_priority

    from mql_evidence
    cross join as_of
    inner join canonical_stages
        on canonical_stages.stage = 'recycled'
    inner join evidence_sources
        on evidence_sources.evidence_source = 'mql_expired'
    where
        (mql_evidence.next_evidence_at is null or mql_evidence.next_evidence_at > mql_evidence.expires_at)
        and mql_evidence.expires_at <= as_of.as_of_at

)

select * from final
