"""Order-independent checksums of every table of a schema (idempotent-build checks).

A table's checksum is its row count and the MD5 of the sorted MD5s of its rows (each row as
text): the same rows in any physical order give the same checksum; any changed, added,
removed or duplicated row changes it.

Floating-point columns are compared at full precision: ``%.17g`` prints every double so that it
reads back as the same bits. Builds are bit-identical (issue 13): money is an exact decimal, scores
are exact decimal sums rounded to 9 decimals, rates are integer or decimal ratios;
`scripts/reliability.py --determinism` compares two 20,000-lead builds with 2 threads at full
precision.
"""

from __future__ import annotations

import duckdb

FLOAT_SIGNIFICANT_DIGITS = 17
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _column_expr(column: str, data_type: str) -> str:
    ref = _quote(column)
    if data_type.upper() in FLOAT_TYPES:
        return f"printf('%.{FLOAT_SIGNIFICANT_DIGITS}g', {ref})"
    return ref


def table_checksum(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> tuple[int, str]:
    """(rows, checksum) of ``schema.table``, independent of row order."""
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    fields = ", ".join(f"{_quote(str(c))} := {_column_expr(str(c), str(t))}" for c, t in columns)
    row = con.execute(
        "select count(*), coalesce(md5(string_agg(row_md5, ',' order by row_md5)), '') "
        f"from (select md5(cast(struct_pack({fields}) as varchar)) as row_md5 "
        f"from {_quote(schema)}.{_quote(table)})"
    ).fetchall()[0]
    return int(row[0]), str(row[1])


def schema_checksums(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, tuple[int, str]]:
    """Checksum of every table of ``schema``, by table name."""
    tables = [
        str(r[0])
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by table_name",
            [schema],
        ).fetchall()
    ]
    return {table: table_checksum(con, schema, table) for table in tables}
