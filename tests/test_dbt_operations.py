"""dbt operability: source freshness, dbt clone, tags / groups / access, slim CI, pre-commit.

Source freshness is dbt's own check against its clock (never a model's): the test writes raw
files whose load times are known offsets from the test's clock, so every status is known.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from serving import copy_project

from lead_funnel.ci import clone
from lead_funnel.cli import main
from lead_funnel.contract import TABLES
from lead_funnel.dbt_invoke import run_dbt
from lead_funnel.paths import PROJECT_DIR

pytestmark = pytest.mark.slow

# Hours since each raw table's load, and whether its file keeps loaded_at (else: the file's
# modification time is its load time, as staging uses). Run with warn after 10 h, error after 40 h.
FRESHNESS_VARS = "{raw_freshness_warn_after_hours: 10, raw_freshness_error_after_hours: 40}"
LOAD_AGES: dict[str, tuple[float, bool]] = {
    "lead_status_changes": (1, True),
    "opportunity_stage_changes": (20, True),  # warn here; the defaults (24 h) would pass it
    "activities": (100, True),
    "web_events": (2, False),
    "email_events": (50, False),  # error here; the defaults (72 h) would only warn
    "form_submissions": (30, True),
    "leads": (5, False),
}
EXPECTED_STATUS = {
    "lead_status_changes": "pass",
    "opportunity_stage_changes": "warn",
    "activities": "error",
    "web_events": "pass",
    "email_events": "error",
    "form_submissions": "warn",
    "leads": "pass",
}


@pytest.fixture(scope="module")
def aged_raw(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture's raw tables with load times set hours before now; ad_spend not delivered."""
    out = tmp_path_factory.mktemp("aged_raw")
    now = datetime.now(UTC)
    for path in sorted(raw_dir.glob("*.parquet")):
        if path.stem == "ad_spend":
            continue
        target = out / path.name
        age, keep_loaded_at = LOAD_AGES.get(path.stem, (3, True))
        loaded = now - timedelta(hours=age)
        frame = pd.read_parquet(path)
        if "loaded_at" in frame.columns and keep_loaded_at:
            # Older copies too: the latest load is what counts.
            frame["loaded_at"] = pd.Timestamp(loaded) - pd.to_timedelta(frame.index % 3, unit="D")
        elif "loaded_at" in frame.columns:
            frame = frame.drop(columns=["loaded_at"])
        frame.to_parquet(target, index=False)
        # A file with loaded_at is judged by it, whatever its modification time (500 h ago here).
        stamp = (now - timedelta(hours=500)) if "loaded_at" in frame.columns else loaded
        os.utime(target, (stamp.timestamp(), stamp.timestamp()))
    return out


def test_source_freshness_statuses(aged_raw: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    outcome = run_dbt(
        ["source", "freshness", "--vars", FRESHNESS_VARS],
        raw_dir=aged_raw,
        target="raw",
        extra_env={"DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(tmp_path / "logs")},
    )
    assert not outcome.success, "stale sources make the check fail"
    results = json.loads((target / "sources.json").read_text(encoding="utf-8"))["results"]
    status = {r["unique_id"].split(".")[-1]: r["status"] for r in results}
    for table, expected in EXPECTED_STATUS.items():
        assert status[table] == expected, table
    assert set(status) == {t.name for t in TABLES} - {"ad_spend"}
    # The table not delivered: a runtime error naming its file (dbt leaves it out of sources.json).
    assert outcome.count("source", "runtime error") == 1
    (message,) = [m for m in outcome.failures if m.startswith("source.lead_funnel.marketing.ad_spend")]
    assert "ad_spend was not delivered" in message and "ad_spend.parquet" in message
    ages = {r["unique_id"].split(".")[-1]: r["max_loaded_at_time_ago_in_s"] for r in _freshness(target)}
    assert ages["web_events"] == pytest.approx(2 * 3600, abs=600), "no loaded_at: the file's load time"
    assert ages["lead_status_changes"] == pytest.approx(3600, abs=600), "the latest loaded_at, not the file's"
    assert ages["accounts"] == pytest.approx(3 * 3600, abs=600)


def _freshness(target: Path) -> list[dict]:
    return json.loads((target / "sources.json").read_text(encoding="utf-8"))["results"]


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory, raw_dir: Path) -> Path:
    """`dbt parse` of the project (lint target) into its own target folder."""
    target = tmp_path_factory.mktemp("parsed")
    outcome = run_dbt(
        ["parse", "--quiet"],
        raw_dir=raw_dir,
        target="lint",
        extra_env={"DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target / "logs")},
    )
    assert outcome.success, outcome.exception
    return target


@pytest.fixture(scope="module")
def manifest(parsed: Path) -> dict:
    return json.loads((parsed / "manifest.json").read_text(encoding="utf-8"))


def test_source_freshness_thresholds_are_the_vars(manifest: dict) -> None:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["raw_freshness_warn_after_hours"] == 24
    assert project["vars"]["raw_freshness_error_after_hours"] == 72
    for source in manifest["sources"].values():
        assert source["freshness"]["warn_after"] == {"count": 24, "period": "hour"}
        assert source["loaded_at_query"] == f"{{{{ raw_loaded_at_query('{source['name']}') }}}}"


@pytest.fixture(scope="module")
def state(dbt_build: tuple[object, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session build's manifest, as a publish saves it."""
    _, warehouse = dbt_build
    folder = tmp_path_factory.mktemp("state")
    shutil.copyfile(warehouse.parent / "target" / "manifest.json", folder / "manifest.json")
    return folder


def test_clone_of_the_build(raw_dir: Path, warehouse: Path, state: Path, tmp_path: Path) -> None:
    cloned = tmp_path / "lead_funnel_clone.duckdb"
    outcome = clone(raw_dir, state, warehouse, cloned, extra_args=["--select", "tag:scoring"])
    assert outcome.success, outcome.failures or outcome.exception
    assert outcome.count("model", "success") >= 8
    with duckdb.connect(str(cloned)) as con:
        con.execute(f"attach '{warehouse}' as {warehouse.stem} (read_only)")
        kind = con.execute(
            "select table_type from information_schema.tables where table_catalog = 'lead_funnel_clone'"
            " and table_schema = 'marts' and table_name = 'fct_lead_score_ledger'"
        ).fetchone()
        assert kind == ("VIEW",)
        rows = con.execute("select count(*) from lead_funnel_clone.marts.fct_lead_score_ledger").fetchone()
        built = con.execute(f"select count(*) from {warehouse.stem}.marts.fct_lead_score_ledger").fetchone()
    assert rows == built and rows is not None and rows[0] > 1000, "the hook deleted nothing"


def test_ls_tag_kpis_lists_the_kpi_area(parsed: Path) -> None:
    outcome = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "ls",
            "--quiet",
            "--select",
            "tag:kpis",
            "--resource-type",
            "model",
            "--output",
            "name",
            "--target",
            "lint",
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"), "DBT_TARGET_PATH": str(parsed)},
        capture_output=True,
        text=True,
        check=True,
    )
    listed = set(outcome.stdout.split())
    on_disk = {
        p.stem
        for area in ("intermediate", "marts")
        for p in (PROJECT_DIR / "models" / area / "kpis").glob("*.sql")
    }
    assert listed == on_disk


def test_groups_owners_and_access(manifest: dict) -> None:
    groups = {g["name"]: g for g in manifest["groups"].values()}
    assert {"ingestion", "lifecycle", "marketing", "scoring", "kpis", "semantic"} <= set(groups)
    assert all(g["owner"]["email"] and g["owner"]["name"] for g in groups.values())
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    for node in models:
        layer = node["original_file_path"].split("/")[1]
        assert node["group"] in groups, node["name"]
        assert node["name"] in {"dim_channels"} or node["tags"], node["name"]
        if layer == "marts":
            assert node["access"] == "public", node["name"]
        else:
            assert node["access"] in {"protected", "private"}, node["name"]
    assert sum(n["access"] == "private" for n in models) >= 20
    assert "doc.lead_funnel.__overview__" in manifest["docs"]


def test_ci_slim_builds_only_the_change_and_its_children(
    raw_dir: Path, warehouse: Path, tmp_path: Path
) -> None:
    project = copy_project(tmp_path / "project")
    state = tmp_path / "state"
    ci_file = tmp_path / "ci" / "lead_funnel_ci.duckdb"
    args = ["ci-slim", "--raw-dir", str(raw_dir), "--state", str(state), "--defer-warehouse", str(warehouse)]
    args += ["--ci-warehouse", str(ci_file), "--project-dir", str(project)]

    # No published manifest: the project as it stands becomes the baseline; nothing differs yet.
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "saved the project as it stands as the baseline" in first.output
    assert "ci-slim: 0 node(s) built" in first.output

    model = project / "models" / "marts" / "kpis" / "fct_speed_to_lead.sql"
    model.write_text(
        model.read_text(encoding="utf-8").replace("\nwith\n", "\n-- a reviewed change\nwith\n", 1)
    )
    before = warehouse.stat().st_mtime_ns
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0, second.output
    assert "ci-slim: 3 node(s) built" in second.output
    assert warehouse.stat().st_mtime_ns == before, "the build deferred to is never written"
    with duckdb.connect(str(ci_file), read_only=True) as con:
        built = con.execute(
            "select table_name from information_schema.tables"
            " where table_catalog = 'lead_funnel_ci' order by 1"
        ).fetchall()
    # fct_speed_to_lead and its descendants (fct_stale_mqls_daily and fct_speed_to_lead_attainment
    # read it); every other ref came from the build.
    assert [b[0] for b in built] == [
        "fct_speed_to_lead",
        "fct_speed_to_lead_attainment",
        "fct_stale_mqls_daily",
    ]


def test_pre_commit_runs_the_venv_linters_without_fetching(tmp_path: Path) -> None:
    config = yaml.safe_load((PROJECT_DIR / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert all(repo["repo"] == "local" for repo in config["repos"]), "local hooks only: nothing to fetch"
    assert {h["language"] for h in hooks} == {"system"}
    assert {h["id"] for h in hooks} >= {"sqlfluff-lint", "ruff-check", "ruff-format"}
    pre_commit = Path(sys.executable).parent / "pre-commit"
    result = subprocess.run(
        [
            str(pre_commit),
            "run",
            "--files",
            "lead_funnel/paths.py",
            "models/marts/semantic/dim_channels.sql",
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,  # a hook that fetched or hung would stop here rather than block the suite
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for hook in ("sqlfluff-lint", "ruff-check", "ruff-format"):
        assert hook.replace("-", " ") in result.stdout.lower().replace("-", " "), result.stdout
    assert "Passed" in result.stdout
