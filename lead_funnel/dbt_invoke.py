"""Run dbt in-process (dbtRunner) against this project with explicit paths."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from dbt.cli.main import dbtRunner

from lead_funnel.paths import BUILD_PATH_ENV, PROFILES_DIR, PROJECT_DIR, RAW_DIR_ENV, RAW_FORMAT_ENV


@dataclass(frozen=True)
class FailedNode:
    """A node that errored or failed: enough to explain it in words and show its failing rows."""

    unique_id: str
    resource_type: str
    name: str
    status: str
    message: str
    compiled_code: str | None = None
    database: str | None = None
    test_name: str | None = None
    test_kwargs: dict[str, object] = field(default_factory=dict)
    attached_node: str | None = None
    original_file_path: str = ""
    failures: int | None = None


@dataclass
class DbtOutcome:
    """What a dbt invocation did: success, node statuses counted by resource type, and the SQL
    each node compiled to (``dbt compile --inline``: the inline query's)."""

    success: bool
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    exception: BaseException | None = None
    failed_nodes: list[FailedNode] = field(default_factory=list)
    compiled_code: dict[str, str] = field(default_factory=dict)

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
    project_dir: Path = PROJECT_DIR,
) -> DbtOutcome:
    """Invoke ``dbt <args>`` on this project (or a copy of it), reading raw files from ``raw_dir``."""
    from lead_funnel.quality.settings import raw_format

    # Parquet or CSV: what the landing folder holds (LEAD_FUNNEL_RAW_FORMAT, when set, wins).
    env = {RAW_DIR_ENV: str(raw_dir.resolve()), RAW_FORMAT_ENV: raw_format(raw_dir), **(extra_env or {})}
    if warehouse is not None:
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        env[BUILD_PATH_ENV if target == "dev" else "LEAD_FUNNEL_TEST_DUCKDB_PATH"] = str(warehouse.resolve())
    full_args = [
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(PROFILES_DIR),
        "--target",
        target,
    ]
    cwd = Path.cwd()
    os.chdir(project_dir)
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
        if getattr(node, "compiled_code", None):
            outcome.compiled_code[node.unique_id] = node.compiled_code
        if status in {"error", "fail", "runtime error"}:
            outcome.failures.append(f"{node.unique_id}: {node_result.message}")
            outcome.failed_nodes.append(_failed_node(node, status, node_result))
    return outcome


def _failed_node(node: object, status: str, node_result: object) -> FailedNode:
    metadata = getattr(node, "test_metadata", None)
    attached = getattr(node, "attached_node", None)
    return FailedNode(
        unique_id=str(getattr(node, "unique_id", "")),
        resource_type=str(getattr(node, "resource_type", "")),
        name=str(getattr(node, "name", "")),
        status=status,
        message=str(getattr(node_result, "message", "") or ""),
        compiled_code=getattr(node, "compiled_code", None),
        database=getattr(node, "database", None),
        test_name=getattr(metadata, "name", None) if metadata is not None else None,
        test_kwargs=dict(getattr(metadata, "kwargs", {}) or {}) if metadata is not None else {},
        attached_node=str(attached) if attached else None,
        original_file_path=str(getattr(node, "original_file_path", "") or ""),
        failures=getattr(node_result, "failures", None),
    )
