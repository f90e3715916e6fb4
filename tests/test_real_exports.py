"""Exports shaped like real ones (tests/exports/builders.py) run end to end and their KPIs are right.

Each landing folder is what a new user maps onto the raw contract by hand: tables absent,
columns missing, no loaded_at, the CRM's own words, nulls, a currency without a rate, old dates.
`lead-funnel run --raw-dir` must succeed on each (validate, build, publish), and the published
marts must equal an independent pandas computation of the KPIs from the same CSV files
(tests/reference/kpi_reference.py on the lifecycle reference): MQLs by month and channel, won
deals and won USD by month (with the deals left unconverted), MQL -> won within 180 days by
cohort, win rate, deal size and sales cycle by close month and segment.

The mapping workflow is exercised on the opportunities-only export: `lead-funnel mapping` writes
the stub, the test fills it in as a user would, applies it to a copy of the project, rebuilds, and
no value is left unmapped.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner
from exports.builders import BUILDERS
from reference.kpi_reference import (
    mql_cycles,
    mqls_by_month_and_channel,
    opportunities,
    opportunity_kpis,
    won_by_month,
    won_within_window,
)
from reference.lifecycle_reference import build_reference, load_raw

from lead_funnel.cli import main
from lead_funnel.contract import TABLES_BY_NAME
from lead_funnel.dbt_invoke import run_dbt
from lead_funnel.mapping import read_stub, stub_rows
from lead_funnel.paths import PROJECT_DIR, SEEDS_DIR

WINDOW_DAYS = 180


@dataclass
class Built:
    raw_dir: Path
    warehouse: Path  # the served file
    output: str

    @property
    def build(self) -> Path:
        """The full build beside the served file (its quarantine tables: docs/serving.md)."""
        return self.warehouse.parent / "build" / self.warehouse.name


def _run(raw_dir: Path, work: Path, monkeypatch: pytest.MonkeyPatch) -> Built:
    warehouse = work / "warehouse" / "lead_funnel.duckdb"
    monkeypatch.setenv("LEAD_FUNNEL_DUCKDB_PATH", str(warehouse))
    monkeypatch.setenv("DBT_TARGET_PATH", str(work / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(work / "logs"))
    result = CliRunner().invoke(main, ["run", "--raw-dir", str(raw_dir)])
    assert result.exit_code == 0, result.output[-4000:]
    assert "published" in result.output
    return Built(raw_dir, warehouse, result.output)


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp(request.param)
    raw_dir = BUILDERS[request.param](work / "raw")
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _run(raw_dir, work, monkeypatch)


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _as_of(raw_dir: Path, entries: pd.DataFrame, opps: pd.DataFrame) -> pd.Timestamp:
    """The documented as-of (docs/kpis.md): the latest event of the data."""
    instants = [entries["entered_at"].max(), opps["created_at"].max(), opps["closed_at"].max()]
    return max(pd.Timestamp(t) for t in instants if not pd.isna(t))


def test_every_raw_row_is_staged(built: Built) -> None:
    rows = _query(built.warehouse, "select table_name, raw_rows, staged_rows from quality.row_reconciliation")
    for table, raw, staged in rows:
        assert raw == staged, f"{table}: {raw} raw rows, {staged} staged"
    delivered = {t for t, raw, _ in rows if raw}
    files = {p.stem for p in built.raw_dir.glob("*.csv")}
    assert delivered == files


def test_the_served_file_stands_alone(built: Built) -> None:
    """With the raw folder gone, every relation of the served file answers: it holds tables of
    the BI-facing schemas only, none of which reads a raw file (docs/serving.md)."""
    from lead_funnel.publish import SERVED_SCHEMAS

    away = built.raw_dir.with_name(built.raw_dir.name + ".away")
    built.raw_dir.rename(away)
    try:
        with duckdb.connect(str(built.warehouse), read_only=True) as con:
            relations = con.execute(
                "select table_schema, table_name, table_type from information_schema.tables"
            ).fetchall()
            for schema, name, _ in relations:
                con.execute(f'select count(*) from "{schema}"."{name}"').fetchall()
    finally:
        away.rename(built.raw_dir)
    assert {kind for _, _, kind in relations} == {"BASE TABLE"}
    with duckdb.connect(str(built.build), read_only=True) as con:
        expected = con.execute(
            "select table_schema, table_name from information_schema.tables where table_schema in "
            f"({', '.join(repr(s) for s in SERVED_SCHEMAS)})"
        ).fetchall()
    assert sorted((schema, name) for schema, name, _ in relations) == sorted(expected)
    assert {schema for schema, _ in expected} == set(SERVED_SCHEMAS) and len(expected) > 20


def test_mqls_by_month_and_channel(built: Built) -> None:
    with duckdb.connect(str(built.build), read_only=True) as con:
        reference = build_reference(load_raw(built.raw_dir, con))
    expected = mqls_by_month_and_channel(mql_cycles(reference))
    actual = {
        (pd.Timestamp(m), c): int(n)
        for m, c, n in _query(
            built.warehouse,
            "select funnel_month, channel, sum(mqls) from marts.fct_funnel_monthly group by all "
            "having sum(mqls) > 0",
        )
    }
    assert actual == expected


def test_mql_to_won_within_180_days(built: Built) -> None:
    with duckdb.connect(str(built.build), read_only=True) as con:
        reference = build_reference(load_raw(built.raw_dir, con))
    opps = opportunities(built.raw_dir)
    expected = won_within_window(
        mql_cycles(reference), _as_of(built.raw_dir, reference.entries, opps), WINDOW_DAYS
    )
    actual = {
        (pd.Timestamp(m), c): (int(members), int(won))
        for m, c, members, won in _query(
            built.warehouse,
            "select cohort_month, channel, members, won_within_window from marts.fct_mql_cohorts "
            f"where window_days = {WINDOW_DAYS}",
        )
    }
    assert actual == expected


def test_won_deals_and_usd_by_month(built: Built) -> None:
    expected = won_by_month(opportunities(built.raw_dir))
    rows = _query(
        built.warehouse,
        "select kpi_month, sum(opportunities_won), sum(won_amount_usd), sum(won_amount_unconverted_count) "
        "from marts.fct_opportunity_kpis_monthly group by kpi_month having sum(opportunities_won) > 0",
    )
    actual = {pd.Timestamp(m): (int(won), float(usd), int(unconverted)) for m, won, usd, unconverted in rows}
    assert set(actual) == set(expected)
    for key, outcome in expected.items():
        won, usd, unconverted = actual[key]
        assert (won, unconverted) == (outcome.won, outcome.unconverted), key
        assert usd == pytest.approx(outcome.won_usd, rel=1e-9, abs=1e-6), key


def test_win_rate_deal_size_and_cycle_by_month_and_segment(built: Built) -> None:
    expected = opportunity_kpis(opportunities(built.raw_dir))
    rows = _query(
        built.warehouse,
        "select kpi_month, segment, opportunities_closed, opportunities_won, win_rate_by_count, "
        "average_won_deal_size_usd, median_sales_cycle_days from marts.fct_opportunity_kpis_monthly "
        "where opportunities_closed > 0",
    )
    actual = {(pd.Timestamp(r[0]), r[1]): r[2:] for r in rows}
    assert set(actual) == set(expected)
    for key, kpis in expected.items():
        closed, won, rate, size, cycle = actual[key]
        assert (closed, won) == (kpis.closed, kpis.won), key
        assert rate == pytest.approx(kpis.win_rate, rel=1e-12), key
        assert (size is None) == (kpis.average_won_usd is None), key
        if size is not None:
            assert size == pytest.approx(kpis.average_won_usd, rel=1e-9), key
        assert (cycle is None) == (kpis.median_cycle_days is None), key
        if cycle is not None:
            assert cycle == pytest.approx(kpis.median_cycle_days, rel=1e-9), key


def test_the_export_shape_is_exercised(built: Built) -> None:
    """Each fixture carries what it is meant to test (so a regression cannot pass vacuously)."""
    name = built.raw_dir.parent.name.rstrip("0123456789")
    deliveries = {
        t: (delivered, missing)
        for t, delivered, missing in _query(
            built.warehouse, "select table_name, is_delivered, missing_columns from quality.raw_deliveries"
        )
    }
    channels = {
        c for (c,) in _query(built.warehouse, "select distinct channel from marts.fct_funnel_monthly")
    }
    if name == "opportunities_only":
        assert not deliveries["leads"][0] and deliveries["accounts"][0]
        no_account = _query(
            built.warehouse, "select avg((account_id is null)::int) from marts.fct_opportunities"
        )
        assert 0.1 < no_account[0][0] < 0.3
    else:
        assert not deliveries["web_events"][0] and "loaded_at" in deliveries["lead_status_changes"][1]
    if name == "own_lead_sources":
        assert {"unmapped", "unknown", None} <= channels
    if name == "unrated_currency":
        assert _query(
            built.warehouse, "select count(*) from marts.fct_opportunities where is_amount_unconverted"
        )[0][0]
        assert "no USD rate" in built.output
    if name == "old_dates":
        years = {
            y
            for (y,) in _query(
                built.warehouse, "select distinct year(entered_at) from marts.fct_lead_stage_transitions"
            )
        }
        assert years <= {2015, 2016, 2017, 2018} and 2015 in years
        assert (
            _query(built.warehouse, "select min(date_day) from marts.metricflow_time_spine")[0][0].year
            == 2015
        )


# --------------------------------------------------------------------------- the mapping workflow

FILL = {
    "opportunity_stage": {"engaging": "open", "won": "won", "lost": "lost"},
    # the pipeline's own sector words (the seed already maps 'software', 'retail', 'finance', ...)
    "industry": {"technolgy": "software", "medical": "healthcare", "marketing": "media"},
}


def _project_copy(target: Path) -> Path:
    for name in ("models", "macros", "seeds", "snapshots", "profiles"):
        shutil.copytree(PROJECT_DIR / name, target / name)
    shutil.copytree(PROJECT_DIR / "tests" / "dbt", target / "tests" / "dbt")
    shutil.copy(PROJECT_DIR / "dbt_project.yml", target / "dbt_project.yml")
    return target


def test_mapping_round_trip(tmp_path: Path) -> None:
    raw_dir = BUILDERS["opportunities_only"](tmp_path / "raw")
    stub = tmp_path / "stub.csv"
    result = CliRunner().invoke(main, ["mapping", "--raw-dir", str(raw_dir), "--out", str(stub)])
    assert result.exit_code == 0, result.output
    rows = read_stub(stub)
    listed = {(r["vocabulary"], r["source_value"].lower()) for r in rows}
    assert listed == {(v, s) for v, values in FILL.items() for s in values}
    # a user fills the value column
    for row in rows:
        row["value"] = FILL.get(row["vocabulary"], {}).get(row["source_value"].lower(), "")
    unknown = [r for r in rows if not r["value"]]
    assert not unknown, unknown
    filled = tmp_path / "filled.csv"
    pd.DataFrame(rows).to_csv(filled, index=False)
    project = _project_copy(tmp_path / "project")
    from lead_funnel.mapping import apply_stub

    added = apply_stub(filled, project / "seeds")
    assert sum(added.values()) == len(rows)
    assert (project / "seeds").resolve() != SEEDS_DIR.resolve()
    # rebuild: nothing unmapped is left, and the now-mapped KPIs equal the reference on the new seeds
    warehouse = tmp_path / "mapped.duckdb"
    outcome = run_dbt(
        ["build"],
        raw_dir,
        warehouse,
        target="test",
        project_dir=project,
        extra_env={"DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")},
    )
    assert outcome.success, outcome.failures
    assert stub_rows(raw_dir, seeds_dir=project / "seeds") == []
    unmapped = _query(
        warehouse,
        "select (select count(*) from staging.stg_crm__opportunities where stage_category = 'unmapped') "
        "+ (select count(*) from staging.stg_crm__accounts where industry = 'unmapped')",
    )
    assert unmapped == [(0,)]
    expected = opportunity_kpis(opportunities(raw_dir, project / "seeds"))
    actual = {
        (pd.Timestamp(m), s): (int(closed), int(won))
        for m, s, closed, won in _query(
            warehouse,
            "select kpi_month, segment, opportunities_closed, opportunities_won "
            "from marts.fct_opportunity_kpis_monthly where opportunities_closed > 0",
        )
    }
    assert actual == {k: (v.closed, v.won) for k, v in expected.items()}
    assert sum(v.won for v in expected.values()) > 50


# --------------------------------------------------------------------------- a marketing-only delivery


def test_a_marketing_only_delivery_runs_end_to_end(
    raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No CRM table at all: `lead-funnel run` validates (the CRM tables are reported as not
    provided), builds, publishes and writes the report; the lead funnel is empty and the spend in
    fct_channel_costs is the ad spend of the files (pandas: by month and channel, a spend row
    without a channel taking its campaign's)."""
    marketing = tmp_path / "raw"
    marketing.mkdir()
    for path in raw_dir.glob("*.parquet"):
        if TABLES_BY_NAME[path.stem].source == "marketing":
            shutil.copyfile(path, marketing / path.name)
    built = _run(marketing, tmp_path, monkeypatch)
    assert "not provided" in built.output and "report:" in " ".join(built.output.split())
    spend = pd.read_parquet(marketing / "ad_spend.parquet")
    campaigns = pd.read_parquet(marketing / "campaigns.parquet")[["campaign_id", "channel"]]
    spend = spend.merge(campaigns, on="campaign_id", how="left", suffixes=("", "_campaign"))
    spend["channel"] = spend["channel"].fillna(spend["channel_campaign"]).str.strip().str.lower()
    spend["month"] = pd.to_datetime(spend["spend_date"]).dt.to_period("M").dt.to_timestamp()
    spend["cents"] = (spend["spend"] * 100).round().astype("int64")  # staged to the cent
    expected = {
        (m, c): int(v) / 100 for (m, c), v in spend.groupby(["month", "channel"])["cents"].sum().items()
    }
    actual = {
        (pd.Timestamp(m), c): float(v)
        for m, c, v in _query(
            built.warehouse,
            "select cost_month, channel, sum(spend) from marts.fct_channel_costs "
            "where spend is not null group by all",
        )
    }
    assert actual.keys() == expected.keys()
    for key, value in expected.items():
        assert actual[key] == pytest.approx(value, abs=1e-9), key
    assert _query(built.warehouse, "select count(*) from marts.fct_funnel_monthly") == [(0,)]


# --------------------------------------------------------------------------- a failed build says what to fix


def test_a_lost_required_column_is_explained_as_one_cascade(
    raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """leads.parquet without created_at: validate predicts the cascade and blocks; a build past
    validation quarantines every lead, the circuit breaker stops the publish, and the output says
    the root cause, the orphaned child rows per table and the fix, in one line. The counts are
    recomputed here from the raw files (every row that references a lead, or a deal of one)."""
    from lead_funnel.contract import children_of
    from lead_funnel.quality.dirty import write_dirty

    dirty = tmp_path / "raw"
    write_dirty(raw_dir, dirty, ("missing_column",))
    leads = pd.read_parquet(dirty / "leads.parquet")
    assert "created_at" not in leads.columns
    lead_ids = set(leads["lead_id"])
    children: dict[str, int] = {}
    orphaned_opportunities: set[str] = set()
    for child, column in children_of("leads"):
        frame = pd.read_parquet(dirty / f"{child.name}.parquet")
        hit = frame[column].isin(lead_ids)
        children[child.name] = int(hit.sum())
        if child.name == "opportunities":
            orphaned_opportunities = set(frame.loc[hit, "opportunity_id"])
    stage_changes = pd.read_parquet(dirty / "opportunity_stage_changes.parquet")
    children["opportunity_stage_changes"] = int(
        stage_changes["opportunity_id"].isin(orphaned_opportunities).sum()
    )
    total = sum(children.values())
    expected = (
        f"{len(leads):,} leads quarantined: null created_at on {len(leads):,} rows; {total:,} child rows"
    )

    monkeypatch.setenv("LEAD_FUNNEL_DUCKDB_PATH", str(tmp_path / "wh" / "lead_funnel.duckdb"))
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    runner = CliRunner()
    validated = runner.invoke(main, ["validate", "--raw-dir", str(dirty)])
    assert validated.exit_code == 1
    assert expected in " ".join(validated.output.split()), validated.output[-3000:]
    built = runner.invoke(main, ["build", "--skip-validate", "--raw-dir", str(dirty)])
    assert built.exit_code == 1
    text = " ".join(built.output.split())
    assert "not published" in text and not (tmp_path / "wh" / "lead_funnel.duckdb").exists()
    line = next(ln for ln in built.output.splitlines() if ln.startswith("cascade "))
    assert expected in line and "Fix: deliver created_at in leads" in line
    for name, n in children.items():
        assert f"{name} {n:,}" in line, (name, n, line)
    assert "quarantine circuit breaker" in text and "main_reason='null created_at'" in text
