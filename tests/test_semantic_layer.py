"""The semantic layer for real: MetricFlow (`mf query`, `lead-funnel metrics`) and `dbt docs
generate` on a served-like file (only the `marts` schema, catalog lead_funnel) through the
read-only `bi` target, while another process holds the file open read-only as a BI tool does.

Figures are checked against independent computations: ad spend from the raw ad_spend file, MQLs
and first-time MQLs from the pandas lifecycle reference (tests/reference), velocity medians with
pandas over the reference's MQL cycles. Never against the SQL under test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from reference.kpi_reference import mql_cycles as reference_mql_cycles
from reference.lifecycle_reference import build_reference, load_raw
from serving import copy_project, reader_holding, served_copy, writer_refused

from lead_funnel.dbt_invoke import run_dbt
from lead_funnel.report.queries import SOURCES
from lead_funnel.semantic import BI_TARGET, SERVING_PATH_ENV, mf_query_args, parse_semantic_manifest, run_mf

pytestmark = pytest.mark.slow

ACCEPTANCE_METRICS = ["mqls", "ad_spend", "cost_per_mql"]
# The conformed channel is the entity `channel` (dim_channels); its attributes are channel__*.
ACCEPTANCE_GROUP_BY = ["metric_time__month", "channel"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("semantic") / "project")


@pytest.fixture(scope="module")
def served(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return served_copy(warehouse, tmp_path_factory.mktemp("served") / "lead_funnel.duckdb")


@pytest.fixture(scope="module")
def reader(served: Path) -> Iterator[subprocess.Popen[str]]:
    """A BI reader holding the served file for the whole module; a writer is refused meanwhile."""
    with reader_holding(served) as process:
        assert "lock" in writer_refused(served).lower(), "the reader must hold the file"
        yield process


@pytest.fixture(scope="module")
def manifest(project: Path, served: Path, reader: subprocess.Popen[str]) -> dict:
    outcome = parse_semantic_manifest(served, project)
    assert outcome.success, outcome.exception
    return json.loads((project / "target" / "manifest.json").read_text(encoding="utf-8"))


def _mf(project: Path, served: Path, args: list[str]) -> pd.DataFrame:
    out = project / "mf_out.csv"
    out.unlink(missing_ok=True)
    result = run_mf([*args, "--csv", str(out)], served, project, capture=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return pd.read_csv(out, keep_default_na=True)


@pytest.fixture(scope="module")
def acceptance(project: Path, served: Path, manifest: dict) -> pd.DataFrame:
    """The issue's query: mqls, ad_spend and cost_per_mql by channel and month, as a user types it."""
    args = ["query", "--metrics", ",".join(ACCEPTANCE_METRICS), "--group-by", ",".join(ACCEPTANCE_GROUP_BY)]
    args += ["--order", ",".join(ACCEPTANCE_GROUP_BY)]
    frame = _mf(project, served, args)
    frame["metric_time__month"] = pd.to_datetime(frame["metric_time__month"])
    return frame


@pytest.fixture(scope="module")
def reference_cycles(raw_dir: Path, warehouse: Path) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        raw = load_raw(raw_dir, con)
    return reference_mql_cycles(build_reference(raw))


def _key(month: object, channel: object) -> tuple[pd.Timestamp, str | None]:
    return pd.Timestamp(month), None if pd.isna(channel) else str(channel)


def test_bi_target_is_read_only(served: Path, reader: subprocess.Popen[str]) -> None:
    profiles = (Path(__file__).resolve().parents[1] / "profiles" / "profiles.yml").read_text()
    bi = profiles.split("    bi:")[1].split("    ci:")[0]
    assert "access_mode: READ_ONLY" in bi
    assert (
        f"env_var('{SERVING_PATH_ENV}', env_var('LEAD_FUNNEL_DUCKDB_PATH', 'warehouse/lead_funnel.duckdb'))"
        in bi
    )
    assert reader.poll() is None, "the reader still holds the file"


def test_acceptance_query_rows_ordered(acceptance: pd.DataFrame) -> None:
    assert list(acceptance.columns) == [*ACCEPTANCE_GROUP_BY, *ACCEPTANCE_METRICS]
    assert len(acceptance) > 20
    keys = list(zip(acceptance["metric_time__month"], acceptance["channel"].fillna("~"), strict=True))
    assert keys == sorted(keys), "rows come back ordered by month, then channel"


def test_ad_spend_by_channel_and_month_equals_the_raw_file(acceptance: pd.DataFrame, raw_dir: Path) -> None:
    spend = pd.read_parquet(raw_dir / "ad_spend.parquet")
    spend["month"] = pd.to_datetime(spend["spend_date"]).dt.to_period("M").dt.to_timestamp()
    expected = spend.groupby(["month", "channel"])["spend"].sum()
    shown = acceptance.dropna(subset=["ad_spend"])
    actual = {
        _key(m, c): v
        for m, c, v in zip(shown["metric_time__month"], shown["channel"], shown["ad_spend"], strict=True)
    }
    assert set(actual) == {_key(m, c) for m, c in expected.index}
    for (month, channel), value in expected.items():
        assert actual[_key(month, channel)] == pytest.approx(value, rel=1e-9, abs=1e-6)


def test_mqls_and_cost_per_mql_equal_the_reference(
    acceptance: pd.DataFrame, reference_cycles: pd.DataFrame
) -> None:
    all_mqls = reference_cycles.groupby(["month", "channel"], dropna=False).size()
    expected_mqls = {_key(m, c): int(n) for (m, c), n in all_mqls.items()}
    shown = acceptance[acceptance["mqls"].fillna(0) > 0]
    actual_mqls = {
        _key(m, c): int(n)
        for m, c, n in zip(shown["metric_time__month"], shown["channel"], shown["mqls"], strict=True)
    }
    assert actual_mqls == expected_mqls

    # cost_per_mql = ad spend / first-time MQLs of the month and channel (where both exist).
    first = reference_cycles[reference_cycles["entry_number"] == 1].groupby(["month", "channel"]).size()
    priced = acceptance.dropna(subset=["cost_per_mql"])
    assert len(priced) > 10
    for month, channel, spend, cost in zip(
        priced["metric_time__month"],
        priced["channel"],
        priced["ad_spend"],
        priced["cost_per_mql"],
        strict=True,
    ):
        assert cost == pytest.approx(spend / first[(month, channel)], rel=1e-9), (month, channel)


def test_velocity_median_by_channel_equals_pandas(
    project: Path, served: Path, manifest: dict, reference_cycles: pd.DataFrame
) -> None:
    frame = _mf(project, served, mf_query_args(["mql_cycles", "median_days_mql_to_won"], ["channel"]))
    won = reference_cycles.dropna(subset=["days_to_won"])
    expected = won.groupby("channel")["days_to_won"].median()
    actual = frame.dropna(subset=["median_days_mql_to_won"]).set_index("channel")["median_days_mql_to_won"]
    assert len(expected) >= 3
    assert sorted(actual.index) == sorted(expected.index)
    for channel, value in expected.items():
        assert actual[channel] == pytest.approx(value, rel=1e-9), channel
    counts = reference_cycles.groupby("channel").size()
    assert (
        frame.dropna(subset=["channel"]).set_index("channel")["mql_cycles"].astype(int).to_dict()
        == counts.to_dict()
    )


@pytest.fixture(scope="module")
def exported(project: Path, served: Path, manifest: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`lead-funnel metrics --export DIR`: every saved query, one engine, on the held file."""
    out = tmp_path_factory.mktemp("exported")
    command = [str(Path(sys.executable).parent / "lead-funnel"), "metrics", "--export", str(out)]
    command += ["--warehouse", str(served), "--project-dir", str(project)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=os.environ.copy())
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_every_exposure_has_saved_queries_that_run(manifest: dict, exported: Path) -> None:
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    saved = {q["name"]: q for q in manifest["saved_queries"].values()}
    assert len(exposures) == 5
    used: set[str] = set()
    for name, exposure in exposures.items():
        assert exposure["url"].startswith("warehouse/report/lead_funnel_report.html"), name
        names = exposure["config"]["meta"]["saved_queries"]
        assert names and set(names) <= set(saved), name
        used.update(names)
        metrics = {m.split(".")[-1] for m in exposure["depends_on"]["nodes"] if m.startswith("metric.")}
        if name != "funnel_report":
            for query in names:
                assert set(saved[query]["query_params"]["metrics"]) <= metrics, (name, query)
    assert used == set(saved), "every saved query belongs to an exposure"
    assert {p.stem for p in exported.glob("*.csv")} == set(saved)
    for query in saved:
        frame = pd.read_csv(exported / f"{query}.csv")
        assert len(frame) > 0, query
        assert frame.notna().any().all(), f"{query}: a column without any value"
        months = pd.to_datetime(frame["metric_time__month"])
        if "mql_cohort__window_name" not in frame.columns:
            # Nulls last: open deals have no close month (conversion_rate_trend's opportunity metrics).
            dated = months.dropna()
            assert dated.is_monotonic_increasing and dated.index.max() < len(dated), f"{query}: rows ordered"


def test_saved_query_sla_handoffs_add_up_to_the_mart(served: Path, exported: Path) -> None:
    frame = pd.read_csv(exported / "speed_to_lead.csv")
    with duckdb.connect(str(served), read_only=True) as con:
        expected = dict(
            con.execute(
                "select handoff_type, sum(handoffs) from marts.fct_speed_to_lead_attainment group by 1"
            ).fetchall()
        )
    actual = frame.groupby("sla_cell__handoff_type")["sla_handoffs"].sum().astype(int).to_dict()
    assert actual == expected


def test_report_exposure_lists_what_the_report_reads(manifest: dict) -> None:
    report = next(e for e in manifest["exposures"].values() if e["name"] == "funnel_report")
    models = {n.split(".")[-1] for n in report["depends_on"]["nodes"]}
    assert all(source.startswith("marts.") for source in SOURCES), "the report reads only served marts"
    assert models == {source.split(".")[1] for source in SOURCES}


def test_docs_generate_while_a_reader_holds_the_file(
    project: Path, served: Path, reader: subprocess.Popen[str]
) -> None:
    target = project / "target_docs"
    outcome = run_dbt(
        ["docs", "generate", "--no-compile"],
        raw_dir=project,
        target=BI_TARGET,
        extra_env={
            SERVING_PATH_ENV: str(served),
            "DBT_TARGET_PATH": str(target),
            "DBT_LOG_PATH": str(project / "logs"),
        },
        project_dir=project,
    )
    assert outcome.success, outcome.exception
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    assert "model.lead_funnel.fct_funnel_monthly" in catalog["nodes"]
    assert "model.lead_funnel.dim_channels" in catalog["nodes"]
    assert reader.poll() is None
    assert (target / "index.html").is_file()
