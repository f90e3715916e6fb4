"""Data-quality settings shared by the expectation suites and the staging quarantine rules.

The tolerances live once, as dbt vars in ``dbt_project.yml`` (``quality_*``), so the Python
expectations and the SQL quarantine rules in ``models/staging/*/base/`` agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from lead_funnel.paths import PROJECT_DIR, RAW_FORMAT_ENV, SEEDS_DIR

DBT_PROJECT_FILE = PROJECT_DIR / "dbt_project.yml"
DEFAULT_CHUNK_ROWS = 500_000


@dataclass(frozen=True)
class QualitySettings:
    """Tolerances and limits of one validation run. ``now`` only names the run (Data Docs, the
    load history); no rule compares a value with it."""

    now: datetime
    min_timestamp: datetime
    future_tolerance: timedelta
    lead_life_tolerance: timedelta
    crm_source_system: str
    chunk_rows: int = DEFAULT_CHUNK_ROWS
    # Volume against the previous load: below error_ratio x previous blocks, outside warn_range warns.
    volume_error_ratio: float = 0.1
    volume_warn_range: tuple[float, float] = (0.5, 2.0)
    duckdb_memory_limit: str = "2GB"
    # Merge pointers followed before a chain counts as unresolved (var lead_merge_max_depth).
    lead_merge_max_depth: int = 5
    # The seeds the vocabulary and bounds checks read (a copy of the project may have its own).
    seeds_dir: Path = SEEDS_DIR

    def with_(self, **changes: object) -> QualitySettings:
        return replace(self, **changes)  # type: ignore[arg-type]


def dbt_vars(project_file: Path = DBT_PROJECT_FILE) -> dict[str, object]:
    """The ``vars:`` block of dbt_project.yml."""
    return dict(yaml.safe_load(project_file.read_text(encoding="utf-8")).get("vars") or {})


def load_settings(
    now: datetime | None = None,
    crm_source_system: str | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> QualitySettings:
    """Settings from dbt_project.yml vars; ``now`` defaults to the current UTC time."""
    values = dbt_vars()
    min_ts = datetime.fromisoformat(str(values.get("quality_min_timestamp", "2000-01-01"))).replace(
        tzinfo=UTC
    )
    return QualitySettings(
        now=(now or datetime.now(UTC)).astimezone(UTC),
        min_timestamp=min_ts,
        future_tolerance=timedelta(hours=float(str(values.get("quality_future_tolerance_hours", 24)))),
        lead_life_tolerance=timedelta(hours=float(str(values.get("quality_lead_life_tolerance_hours", 24)))),
        crm_source_system=crm_source_system or str(values.get("crm_source_system", "salesforce")),
        chunk_rows=chunk_rows,
        duckdb_memory_limit=os.environ.get("LEAD_FUNNEL_VALIDATE_MEMORY_LIMIT", "2GB"),
        lead_merge_max_depth=int(str(values.get("lead_merge_max_depth", 5))),
    )


def raw_format(raw_dir: Path) -> str:
    """``parquet`` or ``csv``: $LEAD_FUNNEL_RAW_FORMAT, else what the folder holds (Parquet first)."""
    from lead_funnel.contract import TABLES

    configured = os.environ.get(RAW_FORMAT_ENV)
    if configured:
        return configured
    for fmt in ("parquet", "csv"):
        if any((raw_dir / f"{t.name}.{fmt}").exists() for t in TABLES):
            return fmt
    return "parquet"
