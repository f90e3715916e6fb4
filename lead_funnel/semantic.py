"""The semantic layer from the command line: `lead-funnel metrics` runs MetricFlow's `mf query`
on the served warehouse through the read-only `bi` target (docs/semantic_layer.md).

MetricFlow reads ``<project>/target/semantic_manifest.json``; :func:`parse_semantic_manifest`
writes it with ``dbt parse --target bi`` so the relations it names are the served file's. Rows are
ordered by the group-bys unless an order (or a saved query's order) is given: MetricFlow itself
returns them in no particular order.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from lead_funnel.dbt_invoke import DbtOutcome, run_dbt
from lead_funnel.paths import PROFILES_DIR, PROJECT_DIR, default_raw_dir, default_warehouse

SERVING_PATH_ENV = "LEAD_FUNNEL_SERVING_PATH"
BI_TARGET = "bi"


def serving_path() -> Path:
    """The served file: $LEAD_FUNNEL_SERVING_PATH, else the served warehouse
    ($LEAD_FUNNEL_DUCKDB_PATH, else warehouse/lead_funnel.duckdb)."""
    value = os.environ.get(SERVING_PATH_ENV)
    return Path(value).resolve() if value else default_warehouse()


def bi_environment(serving: Path, project_dir: Path = PROJECT_DIR) -> dict[str, str]:
    """Environment for dbt and `mf` on the served file through the read-only `bi` target."""
    return {
        "DBT_PROFILES_DIR": str(PROFILES_DIR),
        "DBT_PROJECT_DIR": str(project_dir),
        "LEAD_FUNNEL_TARGET": BI_TARGET,
        SERVING_PATH_ENV: str(serving.resolve()),
        "DO_NOT_TRACK": "1",
    }


def parse_semantic_manifest(serving: Path, project_dir: Path = PROJECT_DIR) -> DbtOutcome:
    """``dbt parse --target bi``: writes <project>/target/semantic_manifest.json (read by `mf`)."""
    env = {
        SERVING_PATH_ENV: str(serving.resolve()),
        "DBT_TARGET_PATH": str(project_dir / "target"),
        "DBT_LOG_PATH": str(project_dir / "logs"),
    }
    return run_dbt(
        ["parse", "--quiet"],
        raw_dir=default_raw_dir(),
        target=BI_TARGET,
        extra_env=env,
        project_dir=project_dir,
    )


def mf_query_args(
    metrics: Sequence[str] = (),
    group_by: Sequence[str] = (),
    order: Sequence[str] = (),
    where: Sequence[str] = (),
    saved_query: str | None = None,
    csv: Path | None = None,
) -> list[str]:
    """The `mf query` arguments; rows ordered by the group-bys when nothing else orders them."""
    args = ["query"]
    if saved_query:
        args += ["--saved-query", saved_query]
    if metrics:
        args += ["--metrics", ",".join(metrics)]
    if group_by:
        args += ["--group-by", ",".join(group_by)]
    if order or (group_by and not saved_query):
        args += ["--order", ",".join(order or group_by)]
    for condition in where:
        args += ["--where", condition]
    if csv is not None:
        args += ["--csv", str(csv)]
    return args


def mf_executable() -> str:
    """`mf` installed beside this Python (the project's venv)."""
    candidate = Path(sys.executable).parent / "mf"
    return str(candidate) if candidate.exists() else "mf"


def run_mf(
    args: Sequence[str], serving: Path, project_dir: Path = PROJECT_DIR, capture: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run `mf <args>` in the project on the served file, read-only."""
    env = {**os.environ, **bi_environment(serving, project_dir)}
    for variable in ("DBT_TARGET_PATH", "DBT_LOG_PATH"):
        env.pop(variable, None)  # mf reads <project>/target whatever these say
    return subprocess.run(
        [mf_executable(), *args],
        cwd=project_dir,
        env=env,
        check=False,
        text=True,
        capture_output=capture,
    )


def export_saved_queries(
    serving: Path, out_dir: Path, names: Sequence[str] = (), project_dir: Path = PROJECT_DIR
) -> dict[str, Path]:
    """Run saved queries (default: every one) in this process with MetricFlow's engine on the
    served file, read-only; write ``<out_dir>/<name>.csv`` each, rows in the query's order.

    Call after :func:`parse_semantic_manifest`. One engine for all queries: no per-query start-up.
    """
    import csv

    from dbt_metricflow.cli.cli_configuration import CLIConfiguration
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    os.environ.update(bi_environment(serving, project_dir))
    config = CLIConfiguration()
    config.setup(dbt_profiles_path=PROFILES_DIR, dbt_project_path=project_dir, configure_file_logging=False)
    wanted = list(names) or sorted(q.name for q in config.semantic_manifest.saved_queries)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name in wanted:
        result = config.mf.query(MetricFlowQueryRequest.create(saved_query_name=name))
        table = result.result_df
        path = out_dir / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.column_names)
            writer.writerows(table.rows)
        written[name] = path
    return written
