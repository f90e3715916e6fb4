"""What the command line calls: validate a landing folder, print the report, say if the build may go on."""

from __future__ import annotations

from pathlib import Path

from lead_funnel.paths import RAW_FORMAT_ENV, default_warehouse
from lead_funnel.quality.settings import DEFAULT_CHUNK_ROWS, load_settings, raw_format
from lead_funnel.quality.validate import Progress, ValidationReport


def default_docs_dir() -> Path:
    """GX Data Docs next to the serving warehouse: warehouse/data_docs/."""
    return default_warehouse().parent / "data_docs"


def default_history_file() -> Path:
    """The previous-run record next to the serving warehouse."""
    return default_warehouse().parent / "validation_history.json"


def raw_format_env(raw_dir: Path) -> dict[str, str]:
    """The env dbt needs to read this landing folder (Parquet or CSV)."""
    return {RAW_FORMAT_ENV: raw_format(raw_dir)}


def run_validation(
    raw_dir: Path,
    docs_dir: Path | None = None,
    history_file: Path | None = None,
    crm_vocabulary: str | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate ``raw_dir`` with Data Docs and the previous-run record next to the warehouse."""
    from lead_funnel.quality.validate import validate_raw

    settings = load_settings(crm_source_system=crm_vocabulary, chunk_rows=chunk_rows)
    return validate_raw(
        raw_dir,
        settings=settings,
        docs_dir=docs_dir or default_docs_dir(),
        history_file=history_file or default_history_file(),
        progress=progress,
    )
