"""Find and count the raw files of the contract in a landing folder."""

from __future__ import annotations

from pathlib import Path

import duckdb

from lead_funnel.contract import TABLES


def raw_file(raw_dir: Path, table_name: str, fmt: str = "parquet") -> Path:
    """The path a raw table is read from."""
    return raw_dir / f"{table_name}.{fmt}"


def delivered_tables(raw_dir: Path, fmt: str = "parquet") -> list[str]:
    """Contract tables that have a non-empty file in the landing folder."""
    return [
        t.name
        for t in TABLES
        if raw_file(raw_dir, t.name, fmt).exists() and raw_file(raw_dir, t.name, fmt).stat().st_size > 0
    ]


def has_any_raw_file(raw_dir: Path) -> bool:
    """Whether the folder holds a file of any contract table, in either format."""
    return any(raw_file(raw_dir, t.name, fmt).exists() for t in TABLES for fmt in ("parquet", "csv"))


def count_rows(raw_dir: Path, fmt: str = "parquet") -> dict[str, int]:
    """Rows per raw table, read with DuckDB (Parquet metadata or a CSV scan); 0 when not delivered."""
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    counts: dict[str, int] = {}
    delivered = set(delivered_tables(raw_dir, fmt))
    with duckdb.connect() as con:
        for tbl in TABLES:
            if tbl.name not in delivered:
                counts[tbl.name] = 0
                continue
            path = raw_file(raw_dir, tbl.name, fmt)
            try:
                row = con.execute(f"select count(*) from {reader}(?)", [str(path)]).fetchone()
            except duckdb.Error:
                row = None
            counts[tbl.name] = int(row[0]) if row else 0
    return counts
