"""Arrow schemas from the contract, one ParquetWriter per table, and the manifest."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from lead_funnel import contract

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
}
MANIFEST_NAME = "_manifest.json"
# Fixed writer options: same data -> same bytes.
_PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
}
_ROW_GROUP_SIZE = 1_000_000

Columns = Mapping[str, pa.Array | np.ndarray]


def arrow_schema(table: contract.Table) -> pa.Schema:
    """The Arrow schema of a raw table: contract column order, types and nullability."""
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type], nullable=c.nullable) for c in table.columns])


def _to_arrow(values: pa.Array | np.ndarray, column: contract.Column) -> pa.Array:
    target = ARROW_TYPES[column.type]
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        if pa.types.is_dictionary(values.type):
            values = values.dictionary_decode()
        return values if values.type == target else values.cast(target)
    arr = np.asarray(values)
    if column.type == "timestamp":
        return pa.array(arr.astype(np.int64), type=pa.int64()).view(target)
    if column.type == "date":
        return pa.array(arr.astype(np.int32), type=pa.int32()).view(target)
    return pa.array(arr, type=target)


def to_table(table: contract.Table, columns: Columns) -> pa.Table:
    """Arrow table in contract order; checks the column set and non-null columns."""
    missing = set(table.column_names) ^ set(columns)
    if missing:
        raise ValueError(f"{table.name}: column mismatch {sorted(missing)}")
    arrays = [_to_arrow(columns[c.name], c) for c in table.columns]
    lengths = {len(a) for a in arrays}
    if len(lengths) > 1:
        raise ValueError(f"{table.name}: columns of different lengths {lengths}")
    for col, arr in zip(table.columns, arrays, strict=True):
        if not col.nullable and arr.null_count:
            raise ValueError(f"{table.name}.{col.name}: {arr.null_count} nulls in a non-null column")
    return pa.Table.from_arrays(arrays, schema=arrow_schema(table))


class TableWriters:
    """One open ParquetWriter per contract table under ``out_dir`` (``<table>.parquet``)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.row_counts: dict[str, int] = {t.name: 0 for t in contract.TABLES}
        self._writers: dict[str, pq.ParquetWriter] = {}

    def __enter__(self) -> TableWriters:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for t in contract.TABLES:
            self._writers[t.name] = pq.ParquetWriter(
                self.out_dir / f"{t.name}.parquet", arrow_schema(t), **_PARQUET_OPTIONS
            )
        return self

    def write(self, name: str, columns: Columns) -> None:
        tbl = to_table(contract.table(name), columns)
        if tbl.num_rows:
            self._writers[name].write_table(tbl, row_group_size=_ROW_GROUP_SIZE)
            self.row_counts[name] += tbl.num_rows

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for writer in self._writers.values():
            writer.close()


def write_manifest(out_dir: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (out_dir / MANIFEST_NAME).write_text(text, encoding="utf-8")
