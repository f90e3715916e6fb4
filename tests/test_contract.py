"""The files mirrored from the raw-data contract must not drift from it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lead_funnel.contract import TABLES
from lead_funnel.contract_render import rendered_files
from lead_funnel.paths import PROJECT_DIR


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
    expected = {name for c in table.columns for name in c.staged_names} | {
        n for n, _ in (*table.derived, *table.staged_extra_columns)
    }
    assert expected == documented, f"documented vs contract: {sorted(expected ^ documented)}"


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_built_staging_relations_have_the_documented_columns(table, con) -> None:
    """The generated models (one macro per model) produce exactly the columns the YAML documents."""
    model = _staging_models()[f"stg_{table.source}__{table.name}"]
    documented = {c["name"] for c in model["columns"]}
    built = {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'staging' "
            "and table_name = ?",
            [model["name"]],
        ).fetchall()
    }
    assert built == documented


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_vocabulary_column_is_tested_against_its_seed(table) -> None:
    model = _staging_models()[f"stg_{table.source}__{table.name}"]
    columns = {c["name"]: c for c in model["columns"]}
    for col in table.columns:
        if not col.vocabulary:
            continue
        tests = [t for t in columns[col.mapped_name].get("data_tests", []) if isinstance(t, dict)]
        vocabularies = [t["in_vocabulary"]["arguments"]["vocabulary"] for t in tests if "in_vocabulary" in t]
        assert vocabularies == [col.vocabulary], f"{model['name']}.{col.mapped_name}"


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
        key = table.column(table.key[0]).staged_name
        tests = columns[key].get("data_tests", [])
        assert "unique" in tests, f"{model['name']}.{key} has no unique test"
        assert "not_null" in tests or key in _not_null_columns(model), (
            f"{model['name']}.{key} has no not_null test"
        )
    else:
        combos = [t for t in model.get("data_tests", []) if "unique_combination_of_columns" in t]
        assert combos, f"{model['name']} has no unique_combination_of_columns test on its key"


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_raw_rows_typed_again_only_behind_a_plain_base_model(table) -> None:
    """staged_rows(copies_from_raw=true) and quarantined_rows(from_raw=true) type raw rows again
    with a plain base_rows(table) call: allowed only when the base model is exactly that call
    (derived columns or extra rules of the base model would be missing from those rows)."""
    staging = PROJECT_DIR / "models" / "staging" / table.source
    stg = (staging / f"stg_{table.source}__{table.name}.sql").read_text()
    quarantine = (staging / "quarantine" / f"quarantine_{table.source}__{table.name}.sql").read_text()
    if "copies_from_raw=true" not in stg and "from_raw=true" not in quarantine:
        return
    base = (staging / "base" / f"base_{table.source}__{table.name}.sql").read_text()
    calls = [line for line in base.splitlines() if "{{" in line or "{%" in line]
    assert calls == [f"{{{{ base_rows('{table.name}') }}}}"], calls
