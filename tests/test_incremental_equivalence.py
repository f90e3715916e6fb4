"""An incremental build equals a full refresh (issues 7, 13 and 14).

A small data set is generated, two catalogue kinds of late rows are applied to it (page views
and form submissions stamped 10 days before the latest load: beyond the 72-hour lookback), and it
is cut by load time into a first delivery (everything loaded before the cutoff, minus a share of
the rows of the last day before it that were still in flight, minus the late rows) and the full
data (which adds the days after the cutoff, late events of earlier days, re-delivered copies of
events already loaded, the in-flight rows and the late rows). The first delivery is built into a
landing folder and a warehouse file; the landing folder then receives the full data and the same
file is built incrementally. The full data is also built from scratch into a separate file. Every
table of the marts schema and every incremental model must be identical both ways (row-wise
EXCEPT ALL in both directions).

Five consecutive daily deliveries (the cut one day later each day, the last one the full data)
built one after the other on a copy of the first build must give the same tables too.

Without the lookback and without the late window, the in-flight and late rows are missed: the same
comparison catches it, and row_reconciliation's test fails naming the tables and the counts (the
test can fail).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from warehouses import differences as _differences
from warehouses import tables as _tables

from lead_funnel.dbt_invoke import DbtOutcome, run_dbt
from lead_funnel.deliveries import DeliveryCut, copy_raw_dir, write_first_delivery
from lead_funnel.generator import GeneratorParams, generate
from lead_funnel.quality.dirty import LATE_DAYS, write_dirty, write_previous_delivery
from lead_funnel.quality.explain import failing_rows

pytestmark = pytest.mark.slow

LEADS = 400
SEED = 16  # a seed whose re-delivered copies straddle the cutoff (the test below needs some)
DAYS = 45
NEW_DAYS = 5  # days N+1..N+k only the later deliveries hold
IN_FLIGHT_HOURS = 24.0  # < the default incremental_lookback_hours (72)
LATE_KINDS = ("late_page_views", "late_form_submissions")
BUILD = ["build", "--exclude-resource-type", "test", "unit_test"]
NO_LOOKBACK = "{incremental_lookback_hours: 0, incremental_late_window_days: 0}"


@dataclass(frozen=True)
class Builds:
    full_dir: Path
    first_dir: Path
    cut: DeliveryCut
    late_rows: dict[str, list[str]]
    incremental: Path
    full_refresh: Path
    zero_lookback: Path
    zero_lookback_test: DbtOutcome
    daily: Path
    incremental_models: tuple[str, ...]


def _dbt(args: list[str], raw_dir: Path, warehouse: Path, work: Path, check: bool = True) -> DbtOutcome:
    env = {"DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")}
    outcome = run_dbt(args, raw_dir=raw_dir, warehouse=warehouse, target="test", extra_env=env)
    if check:
        assert outcome.success, f"dbt {' '.join(args)} failed:\n" + "\n".join(outcome.failures)
    return outcome


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
    clean_dir = work / "clean"
    generate(params, clean_dir)
    full_dir = work / "full"
    changed = write_dirty(clean_dir, full_dir, LATE_KINDS)
    cut = DeliveryCut(cutoff=params.load_time - timedelta(days=NEW_DAYS), in_flight_hours=IN_FLIGHT_HOURS)
    first_dir = work / "first"
    write_first_delivery(full_dir, first_dir, cut)
    write_previous_delivery(full_dir, first_dir, from_dir=first_dir)  # the late rows arrive later

    landing = work / "landing"
    incremental = work / "incremental.duckdb"
    copy_raw_dir(first_dir, landing)
    _dbt(BUILD, landing, incremental, work)
    zero_lookback = work / "zero_lookback.duckdb"
    shutil.copyfile(incremental, zero_lookback)
    daily = work / "daily.duckdb"
    shutil.copyfile(incremental, daily)
    copy_raw_dir(full_dir, landing)  # the second delivery lands
    _dbt(BUILD, landing, incremental, work)

    # The landing folder now holds the full data; reading it there (same path) keeps dbt's
    # partial parsing valid between the builds.
    full_refresh = work / "full_refresh.duckdb"
    _dbt([*BUILD, "--full-refresh"], landing, full_refresh, work)
    models = _incremental_models(work)

    # Same second delivery, no lookback and no late window: only the incremental models need
    # building to show the miss (with all of staging they read: its tables of this delivery, and
    # its base views, since a copied file's views name the original file's catalog, which DuckDB
    # 1.5 does not resolve); then row_reconciliation's test.
    zero = [
        "run",
        "--select",
        "config.materialized:incremental",
        "path:models/staging",
        "--vars",
        NO_LOOKBACK,
    ]
    _dbt(zero, landing, zero_lookback, work)
    zero_test = _dbt(
        ["test", "--select", "row_reconciliation", "--vars", NO_LOOKBACK], landing, zero_lookback, work, False
    )

    # Five daily deliveries on a copy of the first build: the cut one day later each day.
    for day in range(1, NEW_DAYS + 1):
        if day < NEW_DAYS:
            later = DeliveryCut(cutoff=cut.cutoff + timedelta(days=day), in_flight_hours=IN_FLIGHT_HOURS)
            write_first_delivery(full_dir, landing, later)
        else:
            copy_raw_dir(full_dir, landing)
        _dbt(BUILD, landing, daily, work)
    late_rows = {kind: [k.split(":", 1)[1] for k in keys] for kind, keys in changed.items()}
    return Builds(
        full_dir,
        first_dir,
        cut,
        late_rows,
        incremental,
        full_refresh,
        zero_lookback,
        zero_test,
        daily,
        models,
    )


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
        "intermediate.int_score_awards_scheduled",
        "intermediate.int_lead_scores_evaluated",
        "marts.fct_lead_score_snapshots",
        "marts.fct_lead_stage_transitions",
        "marts.fct_lead_stage_intervals",
        "marts.fct_mql_touch_attribution",
        "quality.row_reconciliation",
    } <= set(builds.incremental_models)


def test_incremental_build_equals_full_refresh(builds: Builds) -> None:
    with duckdb.connect(str(builds.full_refresh), read_only=True) as con:
        marts = _tables(con, "full_refresh", "marts")
    assert len(marts) >= 4, marts
    diffs = _differences(
        builds.incremental, builds.full_refresh, builds.incremental_models, fingerprints=True
    )
    assert diffs == {}


def test_five_daily_deliveries_equal_one_full_refresh(builds: Builds) -> None:
    assert _differences(builds.daily, builds.full_refresh, builds.incremental_models, fingerprints=True) == {}


def test_late_rows_are_picked_up_and_logged(builds: Builds) -> None:
    """The late catalogue kinds (issue 13): beyond the lookback, never lost, recorded."""
    expected = {
        "stg_marketing__web_events": ("staging.stg_marketing__web_events", "web_event_id", "late_page_views"),
        "int_form_submissions_deduplicated": (
            "intermediate.int_form_submissions_deduplicated",
            "form_submission_id",
            "late_form_submissions",
        ),
    }
    with duckdb.connect(str(builds.incremental), read_only=True) as con:
        log = {
            name: (rows, first)
            for name, rows, first in con.execute(
                "select model_name, sum(late_rows), min(first_loaded_at)"
                " from quality.incremental_late_rows group by model_name"
            ).fetchall()
        }
        latest = {
            model: con.execute(f"select max(loaded_at) from {relation}").fetchall()[0][0]
            for model, (relation, _, _) in expected.items()
        }
        for model, (relation, key, kind) in expected.items():
            keys = builds.late_rows[kind]
            assert keys
            marks = ", ".join("?" for _ in keys)
            held = con.execute(f"select count(*) from {relation} where {key} in ({marks})", keys).fetchall()[
                0
            ][0]
            assert held == len(keys), f"{model}: {held} of {len(keys)} late rows"
            assert model in log and log[model][0] >= len(keys), log
            assert log[model][1] <= latest[model] - timedelta(days=LATE_DAYS - 1)


def test_without_lookback_and_late_window_the_comparison_and_the_reconciliation_catch_the_miss(
    builds: Builds,
) -> None:
    diffs = _differences(builds.zero_lookback, builds.full_refresh, builds.incremental_models)
    for model in ("staging.stg_marketing__web_events", "intermediate.int_form_submissions_deduplicated"):
        assert model in diffs, diffs
        only_incremental, only_full = diffs[model]
        assert only_incremental == 0 and only_full > 0  # rows missed, none invented
    outcome = builds.zero_lookback_test
    assert not outcome.success
    failed = [n for n in outcome.failed_nodes if n.test_name == "rows_reconcile"]
    assert failed, outcome.failures
    rows = {r["table_name"]: r for r in failing_rows(failed[0], builds.zero_lookback)}
    assert {"web_events", "form_submissions"} <= set(rows), rows
    assert rows["web_events"]["rows_lost"] == only_full_of(diffs, "staging.stg_marketing__web_events")
    assert rows["form_submissions"]["message"].startswith(
        "form_submissions: "
        + str(rows["form_submissions"]["rows_lost"])
        + " raw row(s) lost: neither in intermediate.int_form_submissions_deduplicated"
    )


def only_full_of(diffs: dict[str, tuple[int, int]], model: str) -> int:
    return diffs[model][1]


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


# Bounds of base_loaded_at_condition, each against the raw rows counted by pandas.
OPS = (">=", ">", "<=")


def test_the_raw_loaded_at_condition_selects_the_rows_of_the_typed_one(builds: Builds) -> None:
    """The incremental filters compare the raw loaded_at (macros/staging/raw_loaded_at.sql), not
    the staged one: at delivered values (the boundary) and between them, the compiled condition
    selects exactly the rows whose loaded_at in UTC meets the bound, counted by pandas on the file."""
    raw = pd.read_parquet(builds.full_dir / "web_events.parquet", columns=["loaded_at"])["loaded_at"]
    assert isinstance(raw.dtype, pd.DatetimeTZDtype)  # the raw form applies: a timestamp with time zone
    loaded = raw.dt.tz_convert("UTC").dt.tz_localize(None)
    values = loaded.dropna().sort_values().to_numpy()
    bounds = [pd.Timestamp(values[i]) for i in (0, len(values) // 2, len(values) - 1)]
    bounds.append(bounds[1] + pd.Timedelta(microseconds=1))
    cases = [(op, bound) for op in OPS for bound in bounds]
    base = "ref('base_marketing__web_events')"
    inline = " union all ".join(
        f"select {i} as case_number, count(*) as n from {{{{ {base} }}}} as b where "
        f"{{{{ base_loaded_at_condition({base}, '{op}', \"cast('{bound}' as timestamp)\", 'b') }}}}"
        for i, (op, bound) in enumerate(cases)
    )
    work = builds.incremental.parent
    outcome = _dbt(["compile", "--inline", inline], work / "landing", builds.incremental, work)
    (sql,) = outcome.compiled_code.values()
    assert sql.count("b.raw_loaded_at") == len(cases), sql
    with duckdb.connect(str(builds.incremental), read_only=True) as con:
        counted = dict(con.execute(sql).fetchall())
    compare = {">=": loaded.ge, ">": loaded.gt, "<=": loaded.le}
    expected = {i: int(compare[op](bound).sum()) for i, (op, bound) in enumerate(cases)}
    assert counted == expected
    assert 0 < expected[1] < len(loaded)  # a bound inside the data
