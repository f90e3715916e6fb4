{#-
    Every raw row is accounted for: in its staging view, in its quarantine table, or dropped as
    a re-delivered copy of an event staging already holds (keep_latest_loaded), or after the
    as-of of a point-in-time build (var kpi_as_of). One row per raw
    table; the data test in _quality__models.yml fails when the three do not add up to the raw
    row count, i.e. when a row was lost or duplicated on the way.
-#}
with

counts as (

    {{ reconcile_tables() }}

)

select
    counts.source_name,
    counts.table_name,
    counts.raw_rows,
    counts.staged_rows,
    counts.quarantined_rows,
    counts.duplicate_copies_dropped,
    counts.after_as_of_rows
from counts
