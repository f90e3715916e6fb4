{#-
    One row per stage entry of a live lead. Evidence is ordered per lead by occurred_at, ties
    broken by canonical stage_order (unmapped stages last), then evidence priority
    (seed lifecycle_evidence_sources), then evidence_id; consecutive evidence of the same stage
    collapses into one entry (the first evidence wins). Evidence: int_stage_evidence_unioned and
    the automatic recycling of unworked MQLs (int_mql_expiries_scheduled). is_reopen: an entry
    out of a terminal stage the CRM may re-open (seed canonical_stages.reopen_policy 'crm':
    disqualified), counted with the recycles. Definitions: docs/lifecycle.md.

    Incremental by lead (docs/incremental.md): a run re-computes the leads whose evidence (or the
    canonical stages seed) changed since their stored rows were computed (inputs_fingerprint) and
    replaces all their rows.
-#}
{%- set evidence_columns = ['source_lead_id', 'stage', 'source_value', 'occurred_at', 'evidence_source',
                            'evidence_id', 'stage_order', 'main_path_rank', 'is_detour', 'is_unmapped_stage',
                            'evidence_priority'] -%}
{{ incremental_by_key_config(
    'lead_id',
    post_hook="{{ delete_keys_without_inputs(
        'select lead_id from ' ~ ref('int_stage_evidence_unioned')
        ~ ' union all select lead_id from ' ~ ref('int_mql_expiries_scheduled')
    ) }}",
) }}

with

{{ import_refs({
    'source_evidence': 'int_stage_evidence_unioned',
    'expiries': 'int_mql_expiries_scheduled',
    'canonical_stages': 'canonical_stages',
}) }},

all_evidence as (

    select * from source_evidence
    union all
    select * from expiries

),

fingerprints as (

    {{ key_fingerprints(
        [{'relation': 'all_evidence', 'key': 'lead_id', 'columns': evidence_columns}],
        global_inputs=[{'relation': 'canonical_stages', 'columns': ['stage', 'reopen_policy']}]
    ) }}

),

{{ fingerprint_touched_inputs({'evidence': 'all_evidence'}) }}

sequenced as (

    select
        lead_id,
        source_lead_id,
        stage,
        source_value,
        occurred_at,
        evidence_source,
        evidence_id,
        stage_order,
        main_path_rank,
        is_detour,
        is_unmapped_stage,
        {{ evidence_sequence() }} as evidence_sequence

    from evidence

),

with_previous_evidence as (

    select
        sequenced.*,
        lag(sequenced.stage) over (
            partition by sequenced.lead_id
            order by sequenced.evidence_sequence
        ) as previous_evidence_stage

    from sequenced

),

-- Consecutive evidence of the same stage is one entry: keep the first.
entries as (

    select * from with_previous_evidence
    where previous_evidence_stage is null or previous_evidence_stage <> stage

),

ordered_entries as (

    select
        lead_id,
        stage,
        stage_order,
        main_path_rank,
        is_detour,
        is_unmapped_stage,
        occurred_at as entered_at,
        evidence_source,
        source_value,
        evidence_id,
        source_lead_id,
        -- row_number() is a bigint on DuckDB and Postgres, an int on Spark: one type everywhere.
        cast(row_number() over (
            partition by lead_id
            order by evidence_sequence
        ) as {{ dbt.type_bigint() }}) as lead_entry_number,
        cast(row_number() over (
            partition by lead_id, stage
            order by evidence_sequence
        ) as {{ dbt.type_bigint() }}) as entry_number,
        lag(stage) over (
            partition by lead_id
            order by evidence_sequence
        ) as previous_stage,
        lead(stage) over (
            partition by lead_id
            order by evidence_sequence
        ) as next_stage,
        lead(occurred_at) over (
            partition by lead_id
            order by evidence_sequence
        ) as exited_at,
        -- Furthest main-path stage reached by the earlier entries (null: none yet).
        max(main_path_rank) over (
            partition by lead_id
            order by evidence_sequence
            rows between unbounded preceding and 1 preceding
        ) as prior_max_main_path_rank

    from entries

),

final as (

    select
        {{ dbt.concat([
            'ordered_entries.lead_id', "':'", 'cast(ordered_entries.lead_entry_number as ' ~ dbt.type_string() ~ ')'
        ]) }} as stage_entry_id,
        ordered_entries.lead_id,
        ordered_entries.lead_entry_number,
        ordered_entries.stage,
        ordered_entries.stage_order,
        ordered_entries.entry_number,
        ordered_entries.entered_at,
        ordered_entries.exited_at,
        ordered_entries.previous_stage,
        ordered_entries.next_stage,
        ordered_entries.exited_at is null as is_current,
        {{ elapsed_hours('ordered_entries.entered_at', 'ordered_entries.exited_at') }} as hours_in_stage,
        coalesce(ordered_entries.main_path_rank <= ordered_entries.prior_max_main_path_rank, false)
            as is_recycle,
        coalesce(previous_stage_policy.reopen_policy = 'crm', false) as is_reopen,
        coalesce(ordered_entries.main_path_rank > ordered_entries.prior_max_main_path_rank + 1, false)
            as is_skip,
        case
            when ordered_entries.main_path_rank > ordered_entries.prior_max_main_path_rank + 1
                then ordered_entries.main_path_rank - ordered_entries.prior_max_main_path_rank - 1
            else 0
        end as stages_skipped,
        ordered_entries.is_detour,
        ordered_entries.is_unmapped_stage,
        ordered_entries.evidence_source,
        ordered_entries.source_value,
        ordered_entries.evidence_id,
        ordered_entries.source_lead_id,
        fingerprints.inputs_fingerprint

    from ordered_entries
    inner join fingerprints
        on ordered_entries.lead_id = fingerprints.lead_id
    left join canonical_stages as previous_stage_policy
        on ordered_entries.previous_stage = previous_stage_policy.stage

)

select *{{ incremental_key_bucket('lead_id') }} from final
