"""A point-in-time build is the build of the data as it stood at that instant (docs/kpis.md, "As-of").

A small data set is generated and built three times with var kpi_as_of = T, an instant inside the
data with odd microseconds:

* the full data;
* the export as it stood at T by event time (tests/exports/as_of.py): every row that happened by T,
  records as the CRM would have shown them at T (not yet merged or deleted, deals closed since still
  open, responses since not given);
* the same by load time: the event rows loaded by T.

Every table of the marts schema must be identical in the three builds (row-wise EXCEPT ALL both
ways; doubles to 10 significant digits). On today's code before the cut existed, the full-data build
kept everything after T, so the comparison failed. The full-data build must also pass every data
test, and nothing in a lifecycle or KPI mart may lie after T: no entry, score, touch or close after
it, no negative duration, open intervals open at T.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from exports.as_of import write_export_at
from warehouses import differences

from lead_funnel.dbt_invoke import run_dbt
from lead_funnel.generator import GeneratorParams, generate

pytestmark = pytest.mark.slow

LEADS = 600
SEED = 5
DAYS = 180
# T: day 120 of the window at 13:17:29.123457 UTC (not a midnight, not a whole second).
AS_OF = pd.Timestamp("2025-10-01") + pd.Timedelta(
    days=120, hours=13, minutes=17, seconds=29, microseconds=123457
)
AS_OF_VARS = f'{{kpi_as_of: "{AS_OF.strftime("%Y-%m-%d %H:%M:%S.%f")}"}}'
# Columns of the marts that may lie after the as-of by definition: an open deal's expected close,
# the calendar of the semantic layer (whole months).
FUTURE_BY_DEFINITION = {("fct_opportunities", "close_date"), ("metricflow_time_spine", "date_day")}
CHANGED_AFTER_AS_OF = 4  # leads merged, leads deleted and members responding after T (added below)


def _change_after_the_as_of(raw_dir: Path) -> None:
    """What the generator rarely draws across a given instant, added: records created before T and
    merged, deleted, or responded to after it (their last update after T)."""
    leads = pd.read_parquet(raw_dir / "leads.parquet")
    created = pd.to_datetime(leads["created_at"], utc=True).dt.tz_localize(None)
    live = leads["merged_into_lead_id"].isna() & ~leads["is_deleted"].astype(bool) & (created < AS_OF)
    chosen = leads.index[live][: 3 * CHANGED_AFTER_AS_OF]
    merged, deleted, survivors = (
        chosen[:CHANGED_AFTER_AS_OF],
        chosen[CHANGED_AFTER_AS_OF : 2 * CHANGED_AFTER_AS_OF],
        chosen[2 * CHANGED_AFTER_AS_OF :],
    )
    later = (AS_OF + pd.Timedelta(days=2)).tz_localize("UTC")
    leads.loc[merged, "merged_into_lead_id"] = leads.loc[survivors, "lead_id"].to_numpy()
    leads.loc[deleted, "is_deleted"] = True
    leads.loc[merged.append(deleted), "updated_at"] = later
    leads.to_parquet(raw_dir / "leads.parquet", index=False)
    members = pd.read_parquet(raw_dir / "campaign_members.parquet")
    joined = pd.to_datetime(members["created_at"], utc=True).dt.tz_localize(None)
    waiting = members.index[members["first_responded_at"].isna() & (joined < AS_OF)][:CHANGED_AFTER_AS_OF]
    members.loc[waiting, "first_responded_at"] = later
    members.loc[waiting, "status"] = "responded"
    members.to_parquet(raw_dir / "campaign_members.parquet", index=False)


@dataclass(frozen=True)
class Builds:
    full_dir: Path
    full: Path
    by_event: Path
    by_load: Path


def _build(raw_dir: Path, warehouse: Path, work: Path, with_tests: bool) -> None:
    env = {"DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")}
    args = ["build", "--vars", AS_OF_VARS]
    if not with_tests:
        args += ["--exclude-resource-type", "test", "unit_test"]
    outcome = run_dbt(args, raw_dir=raw_dir, warehouse=warehouse, target="test", extra_env=env)
    assert outcome.success, f"dbt build of {raw_dir.name} failed:\n" + "\n".join(outcome.failures)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    work = tmp_path_factory.mktemp("as_of")
    params = GeneratorParams(n_leads=LEADS, seed=SEED, start_date=date(2025, 10, 1), days=DAYS)
    full_dir = work / "full"
    generate(params, full_dir)
    _change_after_the_as_of(full_dir)
    for cut in ("event", "load"):
        write_export_at(full_dir, work / f"by_{cut}", AS_OF, cut, "salesforce")
    built = Builds(full_dir, work / "full.duckdb", work / "by_event.duckdb", work / "by_load.duckdb")
    _build(full_dir, built.full, work, with_tests=True)
    _build(work / "by_event", built.by_event, work, with_tests=False)
    _build(work / "by_load", built.by_load, work, with_tests=False)
    return built


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = con.execute(sql).fetchone()
    return row[0] if row else None


def _full_raw(builds: Builds, table: str) -> str:
    return f"read_parquet('{builds.full_dir / f'{table}.parquet'}')"


def test_the_data_reaches_past_the_as_of_in_every_way(builds: Builds) -> None:
    """Guard against a vacuous comparison: the full data holds what the cut must remove."""
    at = f"timestamp '{AS_OF}'"
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        later = {
            "status changes after T": f"select count(*) from {_full_raw(builds, 'lead_status_changes')}"
            f" where changed_at::timestamp > {at}",
            "late events: before T, loaded after": f"select count(*) from {_full_raw(builds, 'web_events')}"
            f" where occurred_at::timestamp <= {at} and loaded_at::timestamp > {at}",
            "deals created before T, closed after": "select count(*) from"
            f" {_full_raw(builds, 'opportunities')} where created_at::timestamp <= {at} and is_closed"
            f" and close_date > cast({at} as date)",
            "leads created after T": f"select count(*) from {_full_raw(builds, 'leads')}"
            f" where created_at::timestamp > {at}",
            "merges or deletions after T": f"select count(*) from {_full_raw(builds, 'leads')}"
            f" where updated_at::timestamp > {at} and created_at::timestamp <= {at}"
            " and (merged_into_lead_id is not null or is_deleted)",
            "responses after T": f"select count(*) from {_full_raw(builds, 'campaign_members')}"
            f" where created_at::timestamp <= {at} and first_responded_at::timestamp > {at}",
        }
        counts = {label: _scalar(con, sql) for label, sql in later.items()}
    assert all(n and int(n) > 0 for n in counts.values()), counts


def test_full_data_at_the_as_of_equals_the_data_standing_at_it_by_event_time(builds: Builds) -> None:
    assert differences(builds.full, builds.by_event, ()) == {}


def test_full_data_at_the_as_of_equals_the_data_standing_at_it_by_load_time(builds: Builds) -> None:
    assert differences(builds.full, builds.by_load, ()) == {}


def test_the_cut_is_accounted_for_in_row_reconciliation(builds: Builds) -> None:
    """Rows after T are neither staged nor quarantined: counted as after_as_of_rows, none lost."""
    with duckdb.connect(str(builds.full), read_only=True) as con:
        rows = con.execute(
            "select table_name, raw_rows, staged_rows, quarantined_rows, duplicate_copies_dropped,"
            " after_as_of_rows from quality.row_reconciliation"
        ).fetchall()
    by_table = {r[0]: r[1:] for r in rows}
    for table, (raw, staged, quarantined, duplicates, after) in by_table.items():
        assert raw == staged + quarantined + duplicates + after, table
        # the generated data is clean: the cut must not make orphans of rows that existed by T
        # (a deal owned today by a rep hired after T; the lookup tables are never cut)
        assert quarantined == 0, table
    assert by_table["lead_status_changes"][4] > 0
    assert by_table["leads"][4] > 0


def _instant_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute(
        "select table_name, column_name, data_type from information_schema.columns"
        " where table_schema = 'marts' and data_type in ('TIMESTAMP', 'DATE')"
        " order by table_name, column_name"
    ).fetchall()


def test_nothing_in_a_mart_lies_after_the_as_of(builds: Builds) -> None:
    """Every instant and day of every mart is at or before T (dates: on or before T's day)."""
    later: dict[str, int] = {}
    with duckdb.connect(str(builds.full), read_only=True) as con:
        columns = _instant_columns(con)
        for table, column, data_type in columns:
            if (table, column) in FUTURE_BY_DEFINITION:
                continue
            bound = f"timestamp '{AS_OF}'" if data_type == "TIMESTAMP" else f"date '{AS_OF.date()}'"
            n = _scalar(con, f"select count(*) from marts.{table} where {column} > {bound}")
            if n:
                later[f"{table}.{column}"] = int(str(n))
    assert len(columns) > 20
    assert later == {}


def test_durations_are_never_negative_and_open_intervals_are_open_at_the_as_of(builds: Builds) -> None:
    with duckdb.connect(str(builds.full), read_only=True) as con:
        negative = _scalar(
            con,
            "select count(*) from marts.fct_lead_stage_durations"
            " where latest_days_in_stage < 0 or cumulative_days_in_stage < 0",
        )
        open_intervals = _scalar(
            con, "select count(*) from marts.fct_lead_stage_intervals where valid_to is null"
        )
        closed_after = _scalar(
            con, f"select count(*) from marts.fct_lead_stage_intervals where valid_to > timestamp '{AS_OF}'"
        )
        cohorts_after = _scalar(
            con,
            "select count(*) from marts.fct_mql_cohorts where cohort_month > "
            f"date_trunc('month', timestamp '{AS_OF}')",
        )
    assert negative == 0
    assert open_intervals and int(str(open_intervals)) > 0
    assert closed_after == 0
    assert cohorts_after == 0
