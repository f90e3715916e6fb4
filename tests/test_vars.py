"""Every var is checked before anything runs (macros/check_vars.sql), and the docs say what the seeds say.

One dbt invocation with a wrong value for many vars must stop before building anything, naming
each var, the value and what is allowed (an unknown CRM used to fail one unit test, 'yesterday' a
raw conversion error deep in a model, a negative backtest window nothing at all).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from lead_funnel.dbt_invoke import run_dbt
from lead_funnel.paths import PROJECT_DIR, SEEDS_DIR

WRONG = {
    "crm_source_system": ("salesforse", "allowed salesforce, hubspot, marketo"),
    "mql_evidence_source": ("scores", "allowed crm, score, earliest"),
    "kpi_attribution_model": ("w_shape", "allowed first_touch, last_touch, linear, u_shape"),
    "kpi_channel_model": ("utm", "allowed lead_source, first_touch, last_touch"),
    "kpi_as_of": ("yesterday", "allowed null"),
    "scoring_backtest_window_days": ("-5", "allowed a whole number >= 1"),
    "mql_acceptance_days": ("0", "allowed a whole number >= 1"),
    "quarantine_max_share": ("2", "allowed a share from 0 to 1"),
}


def test_wrong_vars_stop_the_build_naming_each_var(raw_dir: Path, tmp_path: Path) -> None:
    vars_yaml = "{" + ", ".join(f"{name}: {value}" for name, (value, _) in WRONG.items()) + "}"
    env = {"DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}
    outcome = run_dbt(
        ["build", "--vars", vars_yaml], raw_dir, tmp_path / "w.duckdb", target="test", extra_env=env
    )
    assert not outcome.success
    assert outcome.count("model") == 0, "nothing may be built with invalid vars"
    message = str(outcome.exception)
    for name, (value, allowed) in WRONG.items():
        assert f"{name} = {value}: {allowed}" in message, name


def test_scoring_doc_states_the_seeded_mql_threshold() -> None:
    with (SEEDS_DIR / "scoring" / "scoring_thresholds.csv").open(encoding="utf-8") as handle:
        rows = {r["threshold_type"]: r for r in csv.DictReader(handle)}
    threshold = rows["mql_threshold"]["lower_bound"]
    doc = (PROJECT_DIR / "docs" / "scoring.md").read_text(encoding="utf-8")
    stated = re.findall(r"`mql_threshold` \((\d+)", doc)
    assert stated and set(stated) == {threshold}
