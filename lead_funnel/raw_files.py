"""Find and count the raw files of the contract in a landing folder."""

from __future__ import annotations

from pathlib import Path

import duckdb

from lead_funnel.contract import TABLES


def raw_file(raw_dir: Path, table_name: str, fmt: str = "parquet") -> Path:
    """The path a raw table is read from."""
    return raw_dir / f"{table_name}.{fmt}"


def missing_tables(raw_dir: Path, fmt: str = "parquet") -> list[str]:
    """Contract tables that have no file in the landing folder."""
    return [t.name for t in TABLES if not raw_file(raw_dir, t.name, fmt).exists()]


def count_rows(raw_dir: Path, fmt: str = "parquet") -> dict[str, int]:
    """Rows per raw table, read with DuckDB (Parquet metadata or a CSV scan)."""
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    counts: dict[str, int] = {}
    with duckdb.connect() as con:
        for tbl in TABLES:
            path = raw_file(raw_dir, tbl.name, fmt)
            row = con.execute(f"select count(*) from {reader}(?)", [str(path)]).fetchone()
            counts[tbl.name] = int(row[0]) if row else 0
    return counts
