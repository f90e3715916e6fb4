"""dbt operability: slim CI against the last published build, clones, source freshness.

Slim CI (`make ci-slim`, `lead-funnel ci-slim`): ``dbt build --select state:modified+ --defer``
against the manifest the last publish saved (``warehouse/build/manifest/manifest.json``). Only the
models a change touches, and their descendants, are built and tested, into a scratch file
(``warehouse/ci/lead_funnel_ci.duckdb``, the ``ci`` target); every other ref resolves to the last
full build (the dev target's file, ``warehouse/build/lead_funnel.duckdb``), attached read-only
under its own catalog name. Without a saved manifest, the project as it stands is
parsed against that build and saved as the baseline (docs/operations.md).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lead_funnel.dbt_invoke import DbtOutcome, run_dbt
from lead_funnel.paths import BUILD_PATH_ENV, PROJECT_DIR

CI_TARGET = "ci"
CI_PATH_ENV = "LEAD_FUNNEL_CI_DUCKDB_PATH"
DEFER_PATH_ENV = "LEAD_FUNNEL_DEFER_DUCKDB_PATH"
BUILD_DIR = PROJECT_DIR / "warehouse" / "build"
DEFAULT_STATE_DIR = BUILD_DIR / "manifest"
BUILD_WAREHOUSE = BUILD_DIR / "lead_funnel.duckdb"  # the dev target's default
DEFAULT_CI_WAREHOUSE = PROJECT_DIR / "warehouse" / "ci" / "lead_funnel_ci.duckdb"


def default_defer_warehouse() -> Path:
    """The full build, the dev target's file: $LEAD_FUNNEL_BUILD_DUCKDB_PATH, else
    warehouse/build/lead_funnel.duckdb (the served file lacks the schemas below the marts)."""
    value = os.environ.get(BUILD_PATH_ENV)
    return Path(value).resolve() if value else BUILD_WAREHOUSE


class CiError(Exception):
    """Slim CI cannot start (no build to defer to), as one line for the user."""


@dataclass
class SlimResult:
    outcome: DbtOutcome
    ci_warehouse: Path
    baseline_created: bool


def ci_environment(ci_warehouse: Path, defer_warehouse: Path, target_path: Path) -> dict[str, str]:
    """Environment of the `ci` target: its scratch file and the build attached for deferral."""
    return {
        CI_PATH_ENV: str(ci_warehouse.resolve()),
        DEFER_PATH_ENV: str(defer_warehouse.resolve()),
        "DBT_TARGET_PATH": str(target_path),
        "DBT_LOG_PATH": str(target_path.parent / "logs"),
    }


def save_baseline(
    raw_dir: Path, defer_warehouse: Path, state_dir: Path, project_dir: Path = PROJECT_DIR
) -> None:
    """`dbt parse` of the dev target on ``defer_warehouse``: the manifest slim CI compares with."""
    outcome = run_dbt(
        ["parse", "--quiet"],
        raw_dir=raw_dir,
        extra_env={
            BUILD_PATH_ENV: str(defer_warehouse.resolve()),
            "DBT_TARGET_PATH": str(state_dir),
            "DBT_LOG_PATH": str(state_dir.parent / "logs"),
        },
        project_dir=project_dir,
    )
    if not outcome.success:
        raise CiError(f"could not parse the project for a baseline manifest: {outcome.exception}")


def fresh_ci_warehouse(ci_warehouse: Path) -> None:
    """Start from an empty scratch file: every ref not built here defers to the build."""
    for path in (ci_warehouse, ci_warehouse.with_name(ci_warehouse.name + ".wal")):
        path.unlink(missing_ok=True)
    ci_warehouse.parent.mkdir(parents=True, exist_ok=True)


def slim_ci(
    raw_dir: Path,
    state_dir: Path = DEFAULT_STATE_DIR,
    defer_warehouse: Path | None = None,
    ci_warehouse: Path = DEFAULT_CI_WAREHOUSE,
    project_dir: Path = PROJECT_DIR,
    extra_args: Sequence[str] = (),
) -> SlimResult:
    """Build and test ``state:modified+`` into ``ci_warehouse``, deferring the rest to the build."""
    defer_warehouse = defer_warehouse or default_defer_warehouse()
    if not defer_warehouse.exists():
        raise CiError(
            f"no build to defer to at {defer_warehouse}: run `make run` (or pass --defer-warehouse)"
        )
    baseline = not (state_dir / "manifest.json").exists()
    if baseline:
        save_baseline(raw_dir, defer_warehouse, state_dir, project_dir)
    fresh_ci_warehouse(ci_warehouse)
    work = ci_warehouse.parent / "target"
    shutil.rmtree(work, ignore_errors=True)
    args = ["build", "--select", "state:modified+", "--defer", "--state", str(state_dir), *extra_args]
    outcome = run_dbt(
        args,
        raw_dir=raw_dir,
        target=CI_TARGET,
        extra_env=ci_environment(ci_warehouse, defer_warehouse, work),
        project_dir=project_dir,
    )
    return SlimResult(outcome, ci_warehouse, baseline)


def clone(
    raw_dir: Path,
    state_dir: Path,
    defer_warehouse: Path,
    ci_warehouse: Path,
    project_dir: Path = PROJECT_DIR,
    extra_args: Sequence[str] = (),
) -> DbtOutcome:
    """`dbt clone` of the build described by ``state_dir`` into ``ci_warehouse`` (views on DuckDB)."""
    fresh_ci_warehouse(ci_warehouse)
    work = ci_warehouse.parent / "clone_target"
    return run_dbt(
        ["clone", "--state", str(state_dir), *extra_args],
        raw_dir=raw_dir,
        target=CI_TARGET,
        extra_env=ci_environment(ci_warehouse, defer_warehouse, work),
        project_dir=project_dir,
    )
