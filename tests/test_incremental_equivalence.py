"""An incremental build equals a full refresh (issue 7).

A small data set is generated and cut by load time into a first delivery (everything loaded before
the cutoff, minus a share of the rows of the last day before it that were still in flight) and the
full data (which adds the days after the cutoff, late events of earlier days, re-delivered copies
of events already loaded, and the in-flight rows). The first delivery is built into a landing
folder and a warehouse file; the landing folder then receives the full data and the same file is
built incrementally. The full data is also built from scratch into a separate file. Every table
of the marts schema and every incremental model must be identical both ways (row-wise EXCEPT ALL
in both directions). A zero lookback window misses the in-flight rows, and the same comparison
must catch it (the test can fail).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from warehouses import differences as _differences
from warehouses import tables as _tables

from lead_funnel.dbt_invoke import run_dbt
from lead_funnel.deliveries import DeliveryCut, copy_raw_dir, write_first_delivery
from lead_funnel.generator import GeneratorParams, generate

pytestmark = pytest.mark.slow

LEADS = 400
SEED = 11
DAYS = 45
NEW_DAYS = 3  # days N+1..N+k only the second delivery holds
IN_FLIGHT_HOURS = 24.0  # < the default incremental_lookback_hours (72)
BUILD = ["build", "--exclude-resource-type", "test", "unit_test"]


@dataclass(frozen=True)
class Builds:
    full_dir: Path
    first_dir: Path
    cut: DeliveryCut
    incremental: Path
    full_refresh: Path
    zero_lookback: Path
    incremental_models: tuple[str, ...]


def _dbt(args: list[str], raw_dir: Path, warehouse: Path, work: Path) -> None:
    env = {"DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")}
    outcome = run_dbt(args, raw_dir=raw_dir, warehouse=warehouse, target="test", extra_env=env)
    assert outcome.success, f"dbt {' '.join(args)} failed:\n" + "\n".join(outcome.failures)


def _incremental_models(work: Path) -> tuple[str, ...]:
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    return tuple(
        sorted(
            f"{node['schema']}.{node['alias']}"
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
        )
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    work = tmp_path_factory.mktemp("incremental")
    params = GeneratorParams(n_leads=LEADS, seed=SEED, start_date=date(2025, 10, 1), days=DAYS)
    full_dir = work / "full"
    generate(params, full_dir)
    cut = DeliveryCut(cutoff=params.load_time - timedelta(days=NEW_DAYS), in_flight_hours=IN_FLIGHT_HOURS)
    first_dir = work / "first"
    write_first_delivery(full_dir, first_dir, cut)

    landing = work / "landing"
    incremental = work / "incremental.duckdb"
    copy_raw_dir(first_dir, landing)
    _dbt(BUILD, landing, incremental, work)
    zero_lookback = work / "zero_lookback.duckdb"
    shutil.copyfile(incremental, zero_lookback)
    copy_raw_dir(full_dir, landing)  # the second delivery lands
    _dbt(BUILD, landing, incremental, work)

    # The landing folder now holds the full data; reading it there (same path) keeps dbt's
    # partial parsing valid between the builds.
    full_refresh = work / "full_refresh.duckdb"
    _dbt([*BUILD, "--full-refresh"], landing, full_refresh, work)
    models = _incremental_models(work)

    # Same second delivery, lookback 0: only the incremental models need building to show the miss.
    zero = ["run", "--select", "config.materialized:incremental", "--vars", "{incremental_lookback_hours: 0}"]
    _dbt(zero, landing, zero_lookback, work)
    return Builds(full_dir, first_dir, cut, incremental, full_refresh, zero_lookback, models)


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def test_second_delivery_holds_late_redelivered_and_in_flight_events(builds: Builds) -> None:
    """The cut exercises every case the incremental models must handle."""
    cutoff = builds.cut.cutoff.strftime("%Y-%m-%d %H:%M:%S+00")
    web_full = f"read_parquet('{builds.full_dir / 'web_events.parquet'}')"
    web_first = f"read_parquet('{builds.first_dir / 'web_events.parquet'}')"
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        # New days: events that happened after the cutoff.
        assert _count(con, f"select count(*) from {web_full} where occurred_at >= '{cutoff}'") > 0
        # Late events: happened at least a day before the cutoff, loaded after it.
        late = (
            f"select count(*) from {web_full} where loaded_at >= '{cutoff}'"
            f" and occurred_at < timestamptz '{cutoff}' - interval 1 day"
        )
        assert _count(con, late) > 0
        # Re-delivered copies of events the first delivery already holds.
        redelivered = (
            f"select count(*) from {web_full} as f where f.loaded_at >= '{cutoff}'"
            f" and f.event_id in (select event_id from {web_first})"
        )
        assert _count(con, redelivered) > 0
        # In flight: stamped before the cutoff but only in the second delivery.
        in_flight = (
            f"select count(*) from {web_full} where loaded_at < '{cutoff}'"
            f" and event_id not in (select event_id from {web_first})"
        )
        assert _count(con, in_flight) > 0


def test_every_event_model_is_incremental(builds: Builds) -> None:
    assert {
        "staging.stg_marketing__web_events",
        "staging.stg_marketing__email_events",
        "intermediate.int_form_submissions_deduplicated",
        "intermediate.int_web_sessions_rolled_up",
        "intermediate.int_email_messages_rolled_up",
        "marts.fct_lead_score_ledger",
    } <= set(builds.incremental_models)


def test_incremental_build_equals_full_refresh(builds: Builds) -> None:
    with duckdb.connect(str(builds.full_refresh), read_only=True) as con:
        marts = _tables(con, "full_refresh", "marts")
    assert len(marts) >= 4, marts
    assert _differences(builds.incremental, builds.full_refresh, builds.incremental_models) == {}


def test_zero_lookback_misses_in_flight_events_and_the_comparison_catches_it(builds: Builds) -> None:
    diffs = _differences(builds.zero_lookback, builds.full_refresh, builds.incremental_models)
    assert "staging.stg_marketing__web_events" in diffs
    only_incremental, only_full = diffs["staging.stg_marketing__web_events"]
    assert only_incremental == 0 and only_full > 0  # rows missed, none invented


def test_incremental_event_models_hold_the_staging_rows(builds: Builds) -> None:
    """Independent of the incremental path: the stored form model equals the staging view."""
    pairs = {
        "int_form_submissions_deduplicated": "stg_marketing__form_submissions",
    }
    with duckdb.connect(str(builds.incremental), read_only=True) as con:
        for model, view in pairs.items():
            columns = ", ".join(
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_schema = 'intermediate'"
                    " and table_name = ? order by ordinal_position",
                    [model],
                ).fetchall()
            )
            for a, b in (
                (f"intermediate.{model}", f"staging.{view}"),
                (f"staging.{view}", f"intermediate.{model}"),
            ):
                only_a = (
                    f"select count(*) from (select {columns} from {a} except all select {columns} from {b})"
                )
                assert _count(con, only_a) == 0, f"{a} has rows {b} lacks"
            assert _count(con, f"select count(*) from intermediate.{model}") > 0
