"""Snapshots follow corrections (issue 13): a re-export that changes a lead record, with or without
moving its updated_at, makes the corrected values the current version of the record; nothing is
versioned by the wall clock. Checked against the re-exported file itself (pandas)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from lead_funnel.dbt_invoke import run_dbt

SELECT = [
    "build",
    "--select",
    "+snp_crm__leads",
    "--indirect-selection",
    "cautious",
    "--exclude-resource-type",
    "unit_test",
]
COLUMNS = ["source_status", "owner_id", "is_deleted", "merged_into_lead_id", "created_at", "updated_at"]


def _build(raw: Path, warehouse: Path, work: Path) -> None:
    env = {"DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")}
    outcome = run_dbt(SELECT, raw, warehouse, target="test", extra_env=env)
    assert outcome.success, outcome.failures


def _current(warehouse: Path) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            f"select lead_id, {', '.join(COLUMNS)} from snapshots.snp_crm__leads where dbt_valid_to is null"
        ).df()


@pytest.fixture(scope="module")
def corrected(
    raw_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[pd.DataFrame, Path, list[str]]:
    work = tmp_path_factory.mktemp("snapshot_corrections")
    first, second = work / "raw1", work / "raw2"
    shutil.copytree(raw_dir, first)
    shutil.copytree(raw_dir, second)
    warehouse = work / "w.duckdb"
    _build(first, warehouse, work)
    leads = pd.read_parquet(second / "leads.parquet")
    statuses = sorted(leads["status"].dropna().unique())
    picked = leads[leads["updated_at"].notna()].sort_values("lead_id").index[:12]
    for n, index in enumerate(picked):
        current = leads.at[index, "status"]
        leads.at[index, "status"] = next(s for s in statuses if s != current)
        if n % 3 == 2:  # a correction whose updated_at is older than the version it corrects
            leads.at[index, "updated_at"] = leads.at[index, "updated_at"] - pd.Timedelta(days=1)
    leads.to_parquet(second / "leads.parquet", index=False)
    _build(second, warehouse, work)
    return leads, warehouse, list(leads.loc[picked, "lead_id"])


def test_the_current_version_holds_the_re_exported_values(corrected) -> None:
    leads, warehouse, picked = corrected
    current = _current(warehouse).set_index("lead_id").sort_index()
    expected = leads.set_index("lead_id").sort_index()
    assert list(current.index) == list(expected.index), "one current version per lead"
    for lead in picked:
        assert current.at[lead, "source_status"] == expected.at[lead, "status"].strip(), lead
    assert (current["source_status"].fillna("") == expected["status"].fillna("").str.strip()).all()


def test_a_correction_never_starts_before_the_version_it_corrects(corrected) -> None:
    _, warehouse, picked = corrected
    with duckdb.connect(str(warehouse), read_only=True) as con:
        versions = con.execute(
            "select lead_id, count(*), min(dbt_valid_from), "
            "count(*) filter (where dbt_valid_to < dbt_valid_from) "
            "from snapshots.snp_crm__leads group by lead_id"
        ).fetchall()
    by_lead = {lead: (n, backwards) for lead, n, _, backwards in versions}
    assert all(backwards == 0 for _, backwards in by_lead.values())
    assert all(by_lead[lead][0] == 2 for lead in picked), "the wrong version is kept as history"
    assert sum(n for n, _ in by_lead.values()) == len(by_lead) + len(picked), "unchanged records: one version"
