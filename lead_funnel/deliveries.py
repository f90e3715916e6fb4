"""Cut an earlier delivery out of a raw data set, by load time (incremental tests and benchmark).

A full raw data set is what the landing folder holds at its load time. The folder as it was at an
earlier instant ``cutoff`` (the *first delivery*) is reconstructed table by table:

* event tables (those with ``loaded_at``): the rows loaded before ``cutoff``. Rows loaded later
  are what the next delivery adds: new days, events of earlier days that arrive late, and
  re-delivered copies of events already loaded;
* with ``in_flight_hours > 0``, a deterministic share (``in_flight_share``, by a hash of the key) of
  the rows loaded in the last ``in_flight_hours`` before ``cutoff`` is held back too: they are
  stamped before the cutoff but land after it (an extract still in flight when the first build
  ran). An incremental build catches them only if its lookback window covers them;
* current-state tables (no ``loaded_at``): the rows that existed before ``cutoff`` (by the instant
  in ``ARRIVAL_COLUMNS``), with their values as of the full set (the export is a current state;
  its past values are not kept), except that a lead record last updated at or after ``cutoff``
  is not yet merged nor deleted in the first delivery (a record's merge or deletion is its last
  update), so merges and deletions also happen between the two deliveries.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from lead_funnel.contract import TABLES, Table

LOADED_AT = "loaded_at"

# Current-state tables: the column dating when a row first existed.
ARRIVAL_COLUMNS: dict[str, str] = {
    "accounts": "created_at",
    "users": "created_at",
    "leads": "created_at",
    "opportunities": "created_at",
    "identities": "identified_at",
    "campaigns": "start_date",
    "campaign_members": "created_at",
    "ad_spend": "spend_date",
}


@dataclass(frozen=True)
class DeliveryCut:
    """Where the first delivery ends, and what is still in flight at that moment."""

    cutoff: datetime
    in_flight_hours: float = 0.0
    in_flight_share: float = 0.25


def arrival_column(table: Table) -> str:
    """The column that dates a row's arrival: loaded_at, else the table's creation instant."""
    if LOADED_AT in table.column_names:
        return LOADED_AT
    if table.name not in ARRIVAL_COLUMNS:
        raise KeyError(f"no arrival column known for raw table {table.name!r}")
    return ARRIVAL_COLUMNS[table.name]


def _sql_timestamp(value: datetime) -> str:
    return f"cast('{value.strftime('%Y-%m-%d %H:%M:%S.%f')}+00' as timestamptz)"


def first_delivery_filter(table: Table, cut: DeliveryCut) -> str:
    """The SQL condition selecting a table's rows present in the first delivery."""
    column = arrival_column(table)
    cutoff = _sql_timestamp(cut.cutoff)
    condition = f"cast({column} as timestamptz) < {cutoff}"
    if column == LOADED_AT and cut.in_flight_hours > 0:
        flight_start = _sql_timestamp(cut.cutoff - timedelta(hours=cut.in_flight_hours))
        key = " || '|' || ".join(f"cast({k} as varchar)" for k in table.key)
        bucket = f"(hash({key}) % 10000)"
        held_back = f"({column} >= {flight_start} and {bucket} < {round(cut.in_flight_share * 10000)})"
        condition = f"{condition} and not {held_back}"
    return condition


# Columns of a current-state table whose value in the first delivery differs from the full set.
def _first_delivery_columns(table: Table, cut: DeliveryCut) -> str:
    if table.name != "leads":
        return "*"
    changed_later = f"cast(updated_at as timestamptz) >= {_sql_timestamp(cut.cutoff)}"
    return (
        f"* replace (case when {changed_later} then null else merged_into_lead_id end as merged_into_lead_id,"
        f" case when {changed_later} then false else is_deleted end as is_deleted)"
    )


def write_first_delivery(full_dir: Path, out_dir: Path, cut: DeliveryCut) -> dict[str, int]:
    """Write the first delivery of ``full_dir`` (Parquet, same file names) to ``out_dir``; rows per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for table in TABLES:
            source = full_dir / f"{table.name}.parquet"
            target = out_dir / f"{table.name}.parquet"
            columns = _first_delivery_columns(table, cut)
            condition = first_delivery_filter(table, cut)
            query = f"select {columns} from read_parquet('{source}') where {condition}"
            con.execute(f"copy ({query}) to '{target}' (format parquet, compression zstd)")
            row = con.execute(f"select count(*) from read_parquet('{target}')").fetchone()
            counts[table.name] = int(row[0]) if row else 0
    return counts


def copy_raw_dir(source: Path, target: Path) -> None:
    """Copy a landing folder (the full data set) file by file."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source.glob("*.parquet"):
        shutil.copyfile(path, target / path.name)
