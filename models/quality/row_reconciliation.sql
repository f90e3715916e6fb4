{#-
    Every raw row is accounted for: in the relation the project reads for its table (the
    incremental copy where there is one, else the staging view), in its quarantine table, or
    dropped as a re-delivered copy of an event already staged (keep_latest_loaded), or after the
    as-of of a point-in-time build (var kpi_as_of). One row per raw table; the data test
    rows_reconcile (_quality__models.yml) fails when they do not add up to the raw row count,
    naming the table, its staged relation and the number of rows lost (or duplicated).

    Incremental (macros/quality/reconcile_table.sql): for a table with an incremental copy, a run
    counts only the rows loaded since the last count and keeps running totals, and counts the
    table again in full when its earlier rows changed (the cheap check of counted_through).
-#}
{{ incremental_by_key_config('table_name') }}
{#- Scheduling only: built once the lifecycle's transitions are, beside the score snapshots and the
    small marts, not beside the score ledger: at 1M leads both spilled in the build's shared memory
    limit when they ran together (BENCHMARKS.md). -#}
-- depends_on: {{ ref('fct_lead_stage_transitions') }}

with

counts as (

    {{ reconcile_tables() }}

),

final as (

    select
        counts.source_name,
        counts.table_name,
        counts.raw_rows,
        counts.staged_rows,
        counts.quarantined_rows,
        counts.duplicate_copies_dropped,
        counts.after_as_of_rows,
        counts.staged_relation,
        counts.counted_through,
        counts.raw_rows_through,
        counts.quarantined_rows_through
    from counts

)

select *{{ incremental_key_bucket('table_name') }} from final
