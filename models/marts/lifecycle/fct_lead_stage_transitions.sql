{#-
    One row per stage entry of a live lead. Evidence is ordered per lead by occurred_at, ties
    broken by canonical stage_order (unknown stages last), then evidence priority
    (seed lifecycle_evidence_sources), then evidence_id; consecutive evidence of the same stage
    collapses into one entry (the first evidence wins). Definitions: docs/lifecycle.md.
-#}
with

evidence as (

    select * from {{ ref('int_stage_evidence_unioned') }}

),

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
        row_number() over (
            partition by lead_id
            order by
                occurred_at,
                case when stage_order is null then 1 else 0 end,
                stage_order,
                evidence_priority,
                evidence_id
        ) as evidence_sequence

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
        row_number() over (
            partition by lead_id
            order by evidence_sequence
        ) as lead_entry_number,
        row_number() over (
            partition by lead_id, stage
            order by evidence_sequence
        ) as entry_number,
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
        {{ dbt.concat(['lead_id', "':'", 'cast(lead_entry_number as ' ~ dbt.type_string() ~ ')']) }}
            as stage_entry_id,
        lead_id,
        lead_entry_number,
        stage,
        stage_order,
        entry_number,
        entered_at,
        exited_at,
        previous_stage,
        next_stage,
        exited_at is null as is_current,
        {{ dbt.datediff('entered_at', 'exited_at', 'microsecond') }} / 3600000000.0 as hours_in_stage,
        coalesce(main_path_rank <= prior_max_main_path_rank, false) as is_recycle,
        coalesce(main_path_rank > prior_max_main_path_rank + 1, false) as is_skip,
        case
            when main_path_rank > prior_max_main_path_rank + 1
                then main_path_rank - prior_max_main_path_rank - 1
            else 0
        end as stages_skipped,
        is_detour,
        is_unmapped_stage,
        evidence_source,
        source_value,
        evidence_id,
        source_lead_id

    from ordered_entries

)

select * from final
