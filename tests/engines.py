"""Every mart of a built warehouse (DuckDB, Spark, PostgreSQL) as Python rows, and a row-by-row
comparison of two of them (the cross-engine equivalence test, docs/engines.md).

Values are compared by kind: doubles within 1e-9 (relative, or absolute near zero: a sum of
doubles depends on the order rows are added in, which differs between engines), decimals,
integers, text, booleans, dates and timestamps exactly (an integer equals the same decimal: a
Postgres sum of integers is numeric); a double never equals a decimal, a date never a timestamp,
a boolean never a number; null only equals null. Rows are matched
after sorting both sides on every column (doubles rounded to 9 significant digits for the sort
only), so row order never matters and each row is compared with its counterpart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

# Columns of an engine's own bookkeeping, not figures of a mart: the partition column of Spark's
# key-bucketed incremental models (macros/incremental/spark_key_buckets.sql), and the incremental
# models' input fingerprints, sums of each engine's own 64-bit hash (key_hash, dispatched:
# docs/incremental.md), so equal inputs give different fingerprints on different engines.
ENGINE_ONLY_COLUMNS = frozenset({"_key_bucket", "inputs_fingerprint"})
DOUBLE_TOLERANCE = 1e-9
SHOWN_DIFFERENCES = 3


@dataclass(frozen=True)
class Mart:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _mart(columns: list[str], rows: list[tuple[Any, ...]]) -> Mart:
    keep = [i for i, name in enumerate(columns) if name.lower() not in ENGINE_ONLY_COLUMNS]
    return Mart(tuple(columns[i].lower() for i in keep), [tuple(row[i] for i in keep) for row in rows])


def duckdb_marts(path: Path, schema: str = "marts") -> dict[str, Mart]:
    """Every table and view of a schema of a DuckDB warehouse file."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = ? order by 1",
                [schema],
            ).fetchall()
        ]
        marts = {}
        for name in names:
            result = con.execute(f"select * from {schema}.{name}")
            columns = [d[0] for d in result.description]
            marts[name] = _mart(columns, result.fetchall())
        return marts


def spark_marts(spark: Any, schema: str = "marts") -> dict[str, Mart]:
    """Every table of a schema of a Spark session's catalogue (timestamps as naive UTC: the
    process runs with TZ=UTC, as pyspark converts them to the local time)."""
    tables = spark.sql(f"show tables in {schema}").collect()
    names = sorted(row.tableName for row in tables if not row.isTemporary)
    marts = {}
    for name in names:
        frame = spark.table(f"{schema}.{name}")
        marts[name] = _mart(list(frame.columns), [tuple(row) for row in frame.collect()])
    return marts


def postgres_marts(dsn: str) -> dict[str, Mart]:
    import psycopg2

    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "select table_name from information_schema.tables"
            " where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
        )
        names = [r[0] for r in cur.fetchall()]
        marts = {}
        for name in names:
            cur.execute(f"select * from marts.{name}")
            columns = [d[0] for d in cur.description or []]
            marts[name] = _mart(columns, list(cur.fetchall()))
        return marts


def values_equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, float) or isinstance(right, float):
        # a double never equals a decimal (decimals are exact; the column types differ)
        if not all(isinstance(v, int | float) for v in (left, right)):
            return False
        a, b = float(left), float(right)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=DOUBLE_TOLERANCE, abs_tol=DOUBLE_TOLERANCE)
    if isinstance(left, int | Decimal) and isinstance(right, int | Decimal):
        return Decimal(left) == Decimal(right)
    if isinstance(left, date) or isinstance(right, date):
        # a timestamp never equals a date (datetime is a subclass of date)
        return isinstance(left, datetime) == isinstance(right, datetime) and left == right
    return type(left) is type(right) and left == right


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, float):
        return (1, value) if not math.isfinite(value) or value == 0 else (1, float(f"{value:.8e}"))
    if isinstance(value, int | Decimal):
        return (1, float(value))
    if isinstance(value, datetime | date):
        return (2, value.isoformat())
    return (3, str(value))


def _sorted(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(rows, key=lambda row: tuple(_sort_key(v) for v in row))


def compare_mart(left: Mart, right: Mart) -> list[str]:
    """What differs between two builds of one mart (empty: equal)."""
    if set(left.columns) != set(right.columns):
        return [
            f"columns differ: only left {sorted(set(left.columns) - set(right.columns))},"
            f" only right {sorted(set(right.columns) - set(left.columns))}"
        ]
    order = [right.columns.index(name) for name in left.columns]
    right_rows = [tuple(row[i] for i in order) for row in right.rows]
    if len(left.rows) != len(right_rows):
        return [f"{len(left.rows)} rows left, {len(right_rows)} rows right"]
    problems = []
    differing = 0
    for a, b in zip(_sorted(left.rows), _sorted(right_rows), strict=True):
        cells = [
            f"{name}: {x!r} != {y!r}"
            for name, x, y in zip(left.columns, a, b, strict=True)
            if not values_equal(x, y)
        ]
        if cells:
            differing += 1
            if differing <= SHOWN_DIFFERENCES:
                problems.append("; ".join(cells))
    if differing:
        problems.insert(0, f"{differing} of {len(left.rows)} rows differ")
    return problems


def compare_marts(left: dict[str, Mart], right: dict[str, Mart]) -> dict[str, list[str]]:
    """Per mart, what differs (only the marts that differ; a mart missing on one side differs)."""
    differences: dict[str, list[str]] = {}
    for name in sorted(set(left) | set(right)):
        if name not in left or name not in right:
            differences[name] = [f"only in the {'left' if name in left else 'right'} build"]
            continue
        problems = compare_mart(left[name], right[name])
        if problems:
            differences[name] = problems
    return differences


def report(differences: dict[str, list[str]], left: str, right: str) -> str:
    lines = [f"marts that differ between {left} (left) and {right} (right):"]
    for name, problems in differences.items():
        lines.append(f"  {name}:")
        lines.extend(f"    {p}" for p in problems)
    return "\n".join(lines)
