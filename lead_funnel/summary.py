"""The short summary printed after a build."""

from __future__ import annotations

from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from lead_funnel.dbt_invoke import DbtOutcome


def mart_row_counts(warehouse: Path) -> dict[str, int]:
    """Rows per table in the marts schema of a built warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        counts = {}
        for name in names:
            row = con.execute(f'select count(*) from marts."{name}"').fetchone()
            counts[name] = int(row[0]) if row else 0
    return counts


def print_summary(console: Console, raw_counts: dict[str, int], outcome: DbtOutcome, warehouse: Path) -> None:
    """Rows per source table, models built, tests passed, rows per mart."""
    raw = Table(title="Raw rows per source table")
    raw.add_column("table")
    raw.add_column("rows", justify="right")
    for name, n in raw_counts.items():
        raw.add_row(name, f"{n:,}")
    console.print(raw)

    built = Table(title="dbt build")
    built.add_column("resource")
    built.add_column("ok", justify="right")
    built.add_column("warn", justify="right")
    built.add_column("error/fail", justify="right")
    for rtype in ("seed", "model", "snapshot", "test", "unit_test"):
        ok = outcome.count(rtype, "success") + outcome.count(rtype, "pass")
        warn = outcome.count(rtype, "warn")
        bad = outcome.count(rtype, "error") + outcome.count(rtype, "fail")
        if ok or warn or bad:
            built.add_row(rtype, str(ok), str(warn), str(bad))
    console.print(built)

    if warehouse.exists() and outcome.success:
        marts = mart_row_counts(warehouse)
        if marts:
            mt = Table(title=f"Marts in {warehouse}")
            mt.add_column("mart")
            mt.add_column("rows", justify="right")
            for name, n in marts.items():
                mt.add_row(name, f"{n:,}")
            console.print(mt)
