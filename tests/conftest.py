"""Session fixtures: generate a small raw data set once and build the dbt project on it once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from lead_funnel.dbt_invoke import DbtOutcome, run_dbt
from lead_funnel.generator import GeneratorParams, generate

FIXTURE_LEADS = 1_500
FIXTURE_SEED = 7
# The session build scores leads in batches (macros/scoring/scoring_batches.sql; about 46,000
# awards, so 5 batches), as a full build at scale does: every scoring test against the Python
# reference checks the batched path; tests/test_scoring.py compares it with one batch.
SESSION_BUILD_VARS = "{scoring_batch_awards: 10000}"


@pytest.fixture(scope="session")
def fixture_params() -> GeneratorParams:
    return GeneratorParams(n_leads=FIXTURE_LEADS, seed=FIXTURE_SEED)


@pytest.fixture(scope="session")
def raw_dir(tmp_path_factory: pytest.TempPathFactory, fixture_params: GeneratorParams) -> Path:
    out = tmp_path_factory.mktemp("raw")
    generate(fixture_params, out)
    return out


@pytest.fixture(scope="session")
def dbt_build(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[DbtOutcome, Path]:
    """`dbt build` of the whole project into a fresh DuckDB file (the `test` target)."""
    work = tmp_path_factory.mktemp("warehouse")
    warehouse = work / "lead_funnel_test.duckdb"
    # Own target/log paths: test sessions never touch (or race on) the repo's target/.
    dbt_paths = {"DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")}
    outcome = run_dbt(
        ["build", "--vars", SESSION_BUILD_VARS],
        raw_dir=raw_dir,
        warehouse=warehouse,
        target="test",
        extra_env=dbt_paths,
    )
    return outcome, warehouse


@pytest.fixture(scope="session")
def warehouse(dbt_build: tuple[DbtOutcome, Path]) -> Path:
    outcome, path = dbt_build
    assert outcome.success, "dbt build failed:\n" + "\n".join(outcome.failures)
    return path


@pytest.fixture
def con(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        yield connection
    finally:
        connection.close()
