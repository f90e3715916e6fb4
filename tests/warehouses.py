"""Compare two built warehouse files table by table (incremental and as-of equivalence tests)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables"
        " where table_catalog = ? and table_schema = ? and table_type = 'BASE TABLE' order by 1",
        [catalog, schema],
    ).fetchall()
    return [f"{schema}.{r[0]}" for r in rows]


SIGNIFICANT_DIGITS = 10
# Bookkeeping of the incremental models (docs/incremental.md): the fingerprint of the inputs a row
# was computed from. Two data sets that give the same rows may spell their inputs differently (an
# as-of cut of the export, evidence that collapses into the same entry), so it is compared only
# where the inputs are the same (tests/test_incremental_equivalence.py, fingerprints=True).
BOOKKEEPING = ("inputs_fingerprint",)


def select_list(con: duckdb.DuckDBPyConnection, catalog: str, table: str, fingerprints: bool = False) -> str:
    """Every column (but the bookkeeping ones unless ``fingerprints``); floating-point ones rounded
    to SIGNIFICANT_DIGITS significant digits.

    A sum of doubles depends on the order its rows are added in (physical row order, thread
    schedule), so the same data summed twice can differ in the last bits; such noise is not a
    difference between the builds. Everything else is compared exactly.
    """
    schema, name = table.split(".")
    columns = con.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
        [catalog, schema, name],
    ).fetchall()
    items = []
    for column, data_type in columns:
        if column in BOOKKEEPING and not fingerprints:
            continue
        if data_type in ("DOUBLE", "FLOAT", "REAL"):
            items.append(
                f"case when {column} is null or {column} = 0 or isinf({column}) or isnan({column})"
                f" then {column}"
                f" else round({column}, {SIGNIFICANT_DIGITS - 1}"
                f" - cast(floor(log10(abs({column}))) as integer)) end as {column}"
            )
        else:
            items.append(column)
    return ", ".join(items)


def differences(
    left: Path, right: Path, extra_tables: tuple[str, ...], fingerprints: bool = False
) -> dict[str, tuple[int, int]]:
    """Per table: (rows only in left, rows only in right), multiset semantics; only tables that differ.
    ``fingerprints``: compare the incremental models' input fingerprints too (same inputs)."""
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        compared = sorted(set(tables(con, "l", "marts")) | set(extra_tables))
        assert set(tables(con, "r", "marts")) == set(tables(con, "l", "marts"))
        diffs: dict[str, tuple[int, int]] = {}
        for table in compared:
            columns = select_list(con, "r", table, fingerprints)
            counts = []
            for a, b in (("l", "r"), ("r", "l")):
                row = con.execute(
                    f"select count(*) from (select {columns} from {a}.{table}"
                    f" except all select {columns} from {b}.{table})"
                ).fetchone()
                counts.append(int(row[0]) if row else 0)
            if any(counts):
                diffs[table] = (counts[0], counts[1])
        return diffs
