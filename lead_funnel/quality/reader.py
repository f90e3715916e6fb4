"""Read raw files with DuckDB: inspect them (columns, types, rows) and stream row batches.

Every raw file is read in place and never modified. CSV is read strictly as the contract
says it lands: comma-separated UTF-8 with a header, every column as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from lead_funnel.contract import Table
from lead_funnel.quality.settings import QualitySettings

DUCKDB_TYPES = {
    "string": "varchar",
    "int64": "bigint",
    "float64": "double",
    "bool": "boolean",
    "timestamp": "timestamptz",
    "date": "date",
}

_INTS = (
    "BIGINT",
    "INTEGER",
    "SMALLINT",
    "TINYINT",
    "UBIGINT",
    "UINTEGER",
    "USMALLINT",
    "UTINYINT",
    "HUGEINT",
)
# Physical Parquet types (as DuckDB names them) that staging's cast turns into the contract type.
ACCEPTED_TYPES: dict[str, tuple[str, ...]] = {
    "string": ("VARCHAR",),
    "int64": _INTS,
    "float64": ("DOUBLE", "FLOAT", "DECIMAL", *_INTS),
    "bool": ("BOOLEAN",),
    "timestamp": (
        "TIMESTAMP WITH TIME ZONE",
        "TIMESTAMP",
        "TIMESTAMP_NS",
        "TIMESTAMP_MS",
        "TIMESTAMP_S",
    ),
    "date": ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE"),
}


@dataclass
class FileInfo:
    """What a raw file holds: its columns and types, its row count, or why it cannot be read."""

    table: Table
    path: Path
    fmt: str
    columns: dict[str, str] = field(default_factory=dict)
    row_count: int | None = None
    error: str | None = None
    # The delivery has no file for the table (not an error: the table is not provided).
    absent: bool = False
    note: str = ""

    @property
    def readable(self) -> bool:
        return self.error is None and not self.absent

    @property
    def provided(self) -> bool:
        """Delivered with at least one row."""
        return self.readable and bool(self.row_count)

    def has(self, *columns: str) -> bool:
        return self.readable and all(c in self.columns for c in columns)


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def reader_sql(path: Path, fmt: str) -> str:
    """The DuckDB table function that reads one raw file."""
    if fmt == "csv":
        return (
            f"read_csv({quote_literal(str(path))}, header = true, all_varchar = true, "
            "delim = ',', quote = '\"', escape = '\"', encoding = 'utf-8')"
        )
    return f"read_parquet({quote_literal(str(path))})"


def connect(settings: QualitySettings) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection in UTC with bounded memory."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"set memory_limit = {quote_literal(settings.duckdb_memory_limit)}")
    con.execute("set preserve_insertion_order = false")
    return con


def _first_line(error: Exception) -> str:
    """DuckDB's message, on one line, without the echoed SQL or the raw line (it may hold PII)."""
    kept = []
    for line in str(error).splitlines():
        if line.startswith(("LINE 1:", "Possible Solution")):
            break
        if not line.startswith("Original Line:"):
            kept.append(line)
    text = " ".join(" ".join(kept).split())
    return text if len(text) <= 300 else text[:297] + "..."


_DELIMITERS = ((";", "semicolon"), ("\t", "tab"), ("|", "pipe"))


def csv_header_problem(path: Path) -> str | None:
    """The file's first line is not a comma-separated header (another delimiter is used)."""
    with path.open("rb") as handle:
        header = handle.readline(65536).decode("utf-8", errors="replace")
    for delimiter, name in _DELIMITERS:
        if header.count(delimiter) > header.count(","):
            return (
                f"is {name}-delimited (header {header.strip()[:60]!r}): the contract expects "
                "comma-separated UTF-8 CSV; re-export it with ',' as the delimiter"
            )
    return None


def _normalise_type(duckdb_type: str) -> str:
    return re.sub(r"^DECIMAL\(.*\)$", "DECIMAL", duckdb_type)


def _read_error(path: Path, fmt: str, error: Exception) -> str:
    message = _first_line(error)
    if fmt == "parquet":
        return f"cannot be read as Parquet (truncated or corrupt file?): {message}"
    if "unicode" in message.lower() or "utf-8" in message.lower() or "utf8" in message.lower():
        return f"is not valid UTF-8 (the contract expects UTF-8 CSV; re-export it as UTF-8): {message}"
    return f"cannot be read as comma-separated CSV: {message}"


def inspect_file(con: duckdb.DuckDBPyConnection, table: Table, raw_dir: Path, fmt: str) -> FileInfo:
    """Columns, types and row count of one raw file, or the reason it cannot be read."""
    path = raw_dir / f"{table.name}.{fmt}"
    info = FileInfo(table=table, path=path, fmt=fmt)
    if not path.exists():
        other = raw_dir / f"{table.name}.{'csv' if fmt == 'parquet' else 'parquet'}"
        info.absent = True
        if other.exists():
            info.note = f" ({other.name} exists: the folder is read as {fmt}; deliver one format)"
        return info
    if path.stat().st_size == 0:
        info.error = "is empty (0 bytes): the export wrote nothing"
        return info
    if fmt == "csv":
        info.error = csv_header_problem(path)
        if info.error:
            return info
    source = reader_sql(path, fmt)
    try:
        described = con.execute(f"describe select * from {source}").fetchall()
        info.columns = {str(row[0]): _normalise_type(str(row[1])) for row in described}
        info.row_count = int(con.execute(f"select count(*) from {source}").fetchall()[0][0])
    except duckdb.Error as exc:
        info.columns = {}
        info.error = _read_error(path, fmt, exc)
    return info


def stream_batches(con: duckdb.DuckDBPyConnection, sql: str, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Run ``sql`` and yield its rows as pandas frames of at most ``chunk_rows`` rows."""
    reader = con.sql(sql).to_arrow_reader(chunk_rows)
    buffered: list[pa.RecordBatch] = []
    rows = 0
    for batch in reader:
        if not batch.num_rows:
            continue
        buffered.append(batch)
        rows += batch.num_rows
        if rows >= chunk_rows:
            yield _drain(buffered)
            rows = 0
    if buffered:
        yield _drain(buffered)


def _drain(buffered: list[pa.RecordBatch]) -> pd.DataFrame:
    """The buffered batches as one frame; the buffer is emptied, so only the frame stays alive."""
    table = pa.Table.from_batches(buffered)
    buffered.clear()
    return table.to_pandas()
