"""Run dbt in-process (dbtRunner) against this project with explicit paths."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from dbt.cli.main import dbtRunner

from lead_funnel.paths import DUCKDB_PATH_ENV, PROFILES_DIR, PROJECT_DIR, RAW_DIR_ENV


@dataclass
class DbtOutcome:
    """What a dbt invocation did: success, and node statuses counted by resource type."""

    success: bool
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    exception: BaseException | None = None

    def count(self, resource_type: str, status: str | None = None) -> int:
        return sum(
            n for (rtype, st), n in self.counts.items() if rtype == resource_type and status in (None, st)
        )


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in-process after a run, so the file can be
    opened again (e.g. read-only), by another process, or renamed by write-audit-publish."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        env, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
    if env is not None:
        env.close()


def run_dbt(
    args: Sequence[str],
    raw_dir: Path,
    warehouse: Path | None = None,
    target: str = "dev",
    extra_env: dict[str, str] | None = None,
) -> DbtOutcome:
    """Invoke ``dbt <args>`` on this project, reading raw files from ``raw_dir``."""
    env = {RAW_DIR_ENV: str(raw_dir.resolve()), **(extra_env or {})}
    if warehouse is not None:
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        env[DUCKDB_PATH_ENV if target == "dev" else "LEAD_FUNNEL_TEST_DUCKDB_PATH"] = str(warehouse.resolve())
    full_args = [
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROFILES_DIR),
        "--target",
        target,
    ]
    cwd = Path.cwd()
    os.chdir(PROJECT_DIR)
    try:
        with _environment(env):
            result = dbtRunner().invoke(full_args)
    finally:
        os.chdir(cwd)
        _release_duckdb()
    outcome = DbtOutcome(success=result.success, exception=result.exception)
    for node_result in getattr(result.result, "results", None) or []:
        node = node_result.node
        status = str(node_result.status)
        outcome.counts[(str(node.resource_type), status)] += 1
        if status in {"error", "fail"}:
            outcome.failures.append(f"{node.unique_id}: {node_result.message}")
    return outcome
