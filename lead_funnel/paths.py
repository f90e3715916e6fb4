"""Where things live: the dbt project, raw data and the warehouse file."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PROFILES_DIR = PROJECT_DIR / "profiles"
SEEDS_DIR = PROJECT_DIR / "seeds"

RAW_DIR_ENV = "LEAD_FUNNEL_RAW_DIR"
RAW_FORMAT_ENV = "LEAD_FUNNEL_RAW_FORMAT"
DUCKDB_PATH_ENV = "LEAD_FUNNEL_DUCKDB_PATH"
BUILD_PATH_ENV = "LEAD_FUNNEL_BUILD_DUCKDB_PATH"


def default_raw_dir() -> Path:
    """The landing folder: $LEAD_FUNNEL_RAW_DIR, else data/raw in the project."""
    return Path(os.environ.get(RAW_DIR_ENV, PROJECT_DIR / "data" / "raw")).resolve()


def default_warehouse() -> Path:
    """The served DuckDB file: $LEAD_FUNNEL_DUCKDB_PATH, else warehouse/lead_funnel.duckdb. The
    full build (the dev target) lives beside it in build/ (lead_funnel/publish.py)."""
    return Path(os.environ.get(DUCKDB_PATH_ENV, PROJECT_DIR / "warehouse" / "lead_funnel.duckdb")).resolve()


def seed_path(name: str, seeds_dir: Path = SEEDS_DIR) -> Path:
    """The CSV file of a seed, wherever it lives under seeds/ (or another project's seeds)."""
    matches = sorted(seeds_dir.rglob(f"{name}.csv"))
    if not matches:
        raise FileNotFoundError(f"no seed {name}.csv under {seeds_dir}")
    return matches[0]
