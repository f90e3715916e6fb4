"""The files mirrored from the raw-data contract must not drift from it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lead_funnel.contract import TABLES
from lead_funnel.contract_render import rendered_files
from lead_funnel.paths import PROJECT_DIR

STAGING_RENAMES = {
    ("lead_status_changes", "change_id"): "status_change_id",
    ("lead_status_changes", "old_value"): "old_source_status",
    ("lead_status_changes", "new_value"): "new_source_status",
    ("opportunity_stage_changes", "change_id"): "stage_change_id",
    ("opportunity_stage_changes", "old_stage"): "old_stage_name",
    ("opportunity_stage_changes", "new_stage"): "new_stage_name",
    ("accounts", "country"): "country_code",
    ("users", "role"): "user_role",
    ("leads", "status"): "source_status",
    ("opportunities", "currency"): "currency_code",
    ("web_events", "event_id"): "web_event_id",
    ("web_events", "url"): "page_url",
    ("email_events", "event_id"): "email_event_id",
    ("form_submissions", "submission_id"): "form_submission_id",
    ("campaign_members", "status"): "member_status",
}


@pytest.mark.parametrize("path", sorted(rendered_files()), ids=lambda p: str(p.relative_to(PROJECT_DIR)))
def test_rendered_file_is_current(path: Path) -> None:
    expected = rendered_files()[path]
    assert path.exists(), f"{path} is missing: run `make docs`"
    assert path.read_text(encoding="utf-8") == expected, f"{path} drifted from the contract: run `make docs`"


def _staging_models() -> dict[str, dict]:
    models: dict[str, dict] = {}
    for yml in (PROJECT_DIR / "models" / "staging").glob("*/_*__models.yml"):
        for model in yaml.safe_load(yml.read_text())["models"]:
            models[model["name"]] = model
    return models


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_staging_model_documents_every_contract_column(table) -> None:
    model = _staging_models()[f"stg_{table.source}__{table.name}"]
    documented = {c["name"] for c in model["columns"]}
    expected = {STAGING_RENAMES.get((table.name, c.name), c.name) for c in table.columns}
    assert expected <= documented, f"undocumented staging columns: {sorted(expected - documented)}"
    # The renaming and casting live in the base model (base/base_<source>__<table>.sql, which also
    # computes quarantine_reason); the stg_ view selects the clean rows' columns by name.
    folder = PROJECT_DIR / "models" / "staging" / table.source
    sql = (folder / "base" / f"base_{table.source}__{table.name}.sql").read_text()
    stg_sql = (folder / f"{model['name']}.sql").read_text()
    for name in expected:
        assert f"        {name}" in stg_sql, f"{model['name']}.sql does not select {name}"
        assert f" as {name}" in sql, f"{model['name']}.sql does not produce {name}"


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_staging_accepted_values_match_contract(table) -> None:
    model = _staging_models()[f"stg_{table.source}__{table.name}"]
    columns = {c["name"]: c for c in model["columns"]}
    for col in table.columns:
        if not col.allowed:
            continue
        staged = columns[STAGING_RENAMES.get((table.name, col.name), col.name)]
        tests = [
            t["accepted_values"]
            for t in staged.get("data_tests", [])
            if isinstance(t, dict) and "accepted_values" in t
        ]
        assert tests, f"{model['name']}.{staged['name']} has no accepted_values test"
        assert set(tests[0]["arguments"]["values"]) == {*col.allowed, "unknown"}


def _not_null_columns(model: dict) -> set[str]:
    """Columns a model-level not_null_columns test covers."""
    return {
        name
        for t in model.get("data_tests", [])
        if isinstance(t, dict) and "not_null_columns" in t
        for name in t["not_null_columns"]["arguments"]["column_names"]
    }


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_key_is_tested_unique_and_not_null(table) -> None:
    model = _staging_models()[f"stg_{table.source}__{table.name}"]
    columns = {c["name"]: c for c in model["columns"]}
    if len(table.key) == 1:
        key = STAGING_RENAMES.get((table.name, table.key[0]), table.key[0])
        tests = columns[key].get("data_tests", [])
        assert "unique" in tests, f"{model['name']}.{key} has no unique test"
        assert "not_null" in tests or key in _not_null_columns(model), (
            f"{model['name']}.{key} has no not_null test"
        )
    else:
        combos = [t for t in model.get("data_tests", []) if "unique_combination_of_columns" in t]
        assert combos, f"{model['name']} has no unique_combination_of_columns test on its key"
