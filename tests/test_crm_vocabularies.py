"""A plain `dbt build` passes with each CRM vocabulary, and its lifecycle is right.

The session build (tests/conftest.py) uses the default Salesforce vocabulary and the default MQL
evidence (crm). Here a small data set is generated in HubSpot's and in Marketo's words and built
with `crm_source_system` set to match, every data and unit test included (the unit-test fixtures
must not depend on the vocabulary). Each build also takes one of the other MQL evidence sources
(hubspot: earliest, marketo: score), so the three settings of `mql_evidence_source` are each built
once. The stage entries must equal the independent pandas reference row by row, with the scoring
reference's threshold crossings and hand-raises as MQL evidence.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from reference.lifecycle_reference import build_reference, load_raw
from reference.scoring_reference import score_mql_evidence

from lead_funnel.dbt_invoke import run_dbt
from lead_funnel.generator import GeneratorParams, generate

pytestmark = pytest.mark.slow

SETTINGS = {"hubspot": "earliest", "marketo": "score"}
ENTRY_COLUMNS = [
    "lead_id",
    "lead_entry_number",
    "stage",
    "entry_number",
    "entered_at",
    "exited_at",
    "is_recycle",
    "is_reopen",
    "is_skip",
    "evidence_source",
]


@dataclass(frozen=True)
class Built:
    crm: str
    overrides: dict[str, str]
    raw_dir: Path
    warehouse: Path


@pytest.fixture(scope="module", params=sorted(SETTINGS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    crm = request.param
    work = tmp_path_factory.mktemp(crm)
    params = GeneratorParams(n_leads=600, seed=23, start_date=date(2025, 10, 1), days=120, crm_vocabulary=crm)
    generate(params, work / "raw")
    overrides = {"crm_source_system": crm, "mql_evidence_source": SETTINGS[crm]}
    vars_yaml = "{" + ", ".join(f"{k}: {v}" for k, v in overrides.items()) + "}"
    env = {"DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")}
    warehouse = work / "warehouse.duckdb"
    outcome = run_dbt(["build", "--vars", vars_yaml], work / "raw", warehouse, target="test", extra_env=env)
    assert outcome.success, f"dbt build --vars '{vars_yaml}' failed:\n" + "\n".join(outcome.failures)
    return Built(crm, overrides, work / "raw", warehouse)


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.sort_values(["lead_id", "lead_entry_number"]).reset_index(drop=True)
    for column in ("entered_at", "exited_at"):
        frame[column] = frame[column].astype("datetime64[us]")
    for column in ("lead_entry_number", "entry_number"):
        frame[column] = frame[column].astype(np.int64)
    for column in ("is_recycle", "is_reopen", "is_skip"):
        frame[column] = frame[column].astype(bool)
    return frame[ENTRY_COLUMNS]


def test_stage_entries_match_the_reference(built: Built) -> None:
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        raw = load_raw(built.raw_dir, con, built.overrides)
        reference = build_reference(raw, score_mql_evidence(built.raw_dir, con), overrides=built.overrides)
        actual = con.execute(f"select {', '.join(ENTRY_COLUMNS)} from marts.fct_lead_stage_transitions").df()
    expected = reference.entries
    assert (expected["evidence_source"].isin(["score_threshold", "hand_raise"])).sum() > 0
    pd.testing.assert_frame_equal(_normalised(actual), _normalised(expected), check_dtype=False)


def test_every_status_and_stage_is_mapped(built: Built) -> None:
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        unmapped = con.execute(
            "select (select count(*) from marts.fct_lead_stage_transitions where stage = 'unmapped'),"
            " (select count(*) from marts.fct_opportunities where stage_category = 'unmapped'),"
            " (select count(*) from marts.fct_lead_stage_transitions)"
        ).fetchone()
    assert unmapped is not None
    assert unmapped[:2] == (0, 0)
    assert unmapped[2] > 0


# Every var set away from its default at once (and valid): a unit test whose expectation depends on
# a var must pin it in its overrides, so a project with other settings can still `dbt build`.
NON_DEFAULT_VARS = (
    "{crm_source_system: marketo, mql_evidence_source: score, kpi_channel_model: first_touch,"
    " kpi_attribution_model: u_shape, mql_acceptance_days: 7, kpi_stale_mql_hours: 48,"
    " mql_handoff_evidence_sources: [score_threshold], lead_merge_max_depth: 2,"
    " scoring_backtest_window_days: 30, incremental_lookback_hours: 5, opportunity_default_currency: EUR,"
    ' kpi_as_of: "2026-03-01 00:00:00", scoring_days_per_month: 31}'
)


def test_unit_tests_do_not_depend_on_the_project_vars(warehouse: Path, raw_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    env = {"DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}
    args = ["test", "--select", "test_type:unit", "--vars", NON_DEFAULT_VARS]
    outcome = run_dbt(args, raw_dir, copy, target="test", extra_env=env)
    assert outcome.success, "unit tests fail under other vars:\n" + "\n".join(outcome.failures)
    assert sum(n for (kind, _), n in outcome.counts.items() if kind == "unit_test") >= 40
