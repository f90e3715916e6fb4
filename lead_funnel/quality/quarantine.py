"""Quarantine counts of a built warehouse, for the run summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table


@dataclass(frozen=True)
class Reconciliation:
    """Where the raw rows of one table went."""

    source: str
    table: str
    raw_rows: int
    staged_rows: int
    quarantined_rows: int
    duplicate_copies_dropped: int
    reasons: dict[str, int]


def _relation_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    rows = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchall()
    return bool(rows[0][0])


def reconciliation(warehouse: Path) -> list[Reconciliation]:
    """quality.row_reconciliation with the quarantine reasons of every table (empty if not built)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if not _relation_exists(con, "quality", "row_reconciliation"):
            return []
        rows = con.execute(
            "select source_name, table_name, raw_rows, staged_rows, quarantined_rows, "
            "duplicate_copies_dropped from quality.row_reconciliation"
        ).fetchall()
        out = []
        for source, name, raw, staged, quarantined, dropped in rows:
            reasons: dict[str, int] = {}
            relation = f"quarantine_{source}__{name}"
            if quarantined and _relation_exists(con, "quarantine", relation):
                reasons = {
                    str(reason): int(n)
                    for reason, n in con.execute(
                        f'select quarantine_reason, count(*) from quarantine."{relation}" '
                        "group by quarantine_reason order by count(*) desc, quarantine_reason"
                    ).fetchall()
                }
            out.append(
                Reconciliation(source, name, int(raw), int(staged), int(quarantined), int(dropped), reasons)
            )
    return out


def print_quarantine_summary(console: Console, warehouse: Path) -> None:
    """Rows per raw table: staged, quarantined (with reasons), dropped duplicate copies."""
    rows = reconciliation(warehouse)
    if not rows:
        return
    table = Table(title="Raw rows: staged, quarantined, dropped duplicate copies")
    for name in ("table", "raw", "staged", "quarantined", "dup. copies", "quarantine reasons"):
        table.add_column(name, justify="left" if name in ("table", "quarantine reasons") else "right")
    for r in rows:
        reasons = ", ".join(f"{reason} ({n:,})" for reason, n in r.reasons.items())
        table.add_row(
            f"{r.source}.{r.table}",
            f"{r.raw_rows:,}",
            f"{r.staged_rows:,}",
            f"{r.quarantined_rows:,}",
            f"{r.duplicate_copies_dropped:,}",
            reasons,
        )
    console.print(table)
    total = sum(r.quarantined_rows for r in rows)
    if total:
        console.print(
            f"[yellow]{total:,} raw row(s) quarantined[/yellow]: inspect them in the quarantine schema "
            "(quarantine.quarantine_<source>__<table>)",
            soft_wrap=True,
        )
