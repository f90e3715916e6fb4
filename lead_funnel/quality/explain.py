"""After a build, what to fix, in words: the quarantine cascade and each failing test with rows.

* :func:`quarantine_cascades`: per table whose rows were quarantined for their own defects, the
  reasons and the child rows quarantined as orphans through them (recursively), as one line
  with the fix ("4,000 leads quarantined: null created_at on 4,000 rows; 21,000 child rows
  orphaned through them (...)").
* :func:`explain_failures`: each failed test or errored node as a sentence naming the model, the
  column and the rule, with up to 5 failing rows (the test's own SQL, run on the build's file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from lead_funnel.contract import TABLES, TABLES_BY_NAME, children_of
from lead_funnel.dbt_invoke import FailedNode

MAX_ROWS = 5


@dataclass
class QuarantineCascade:
    """Rows quarantined for their own defects, and their orphaned descendants."""

    table: str
    rows: int
    reasons: dict[str, int]
    children: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        reasons = ", ".join(f"{reason} on {n:,} rows" for reason, n in self.reasons.items())
        text = f"{self.rows:,} {self.table} quarantined: {reasons}"
        if self.children:
            total = sum(self.children.values())
            parts = ", ".join(f"{name} {n:,}" for name, n in self.children.items())
            text += f"; {total:,} child rows orphaned through them ({parts})"
        return text + f". Fix: {self.fix()}"

    def fix(self) -> str:
        nulls = [r.removeprefix("null ") for r in self.reasons if r.startswith("null ")]
        if nulls:
            return (
                f"deliver {', '.join(nulls)} in {self.table} (or map your export's column onto it, "
                "docs/raw_data_contract.md)"
            )
        return f"correct the rows of {self.table} listed in quarantine.quarantine_*__{self.table}"


def _quarantine_relation(table: str) -> str:
    return f'quarantine."quarantine_{TABLES_BY_NAME[table].source}__{table}"'


def _exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    rows = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchall()
    return bool(rows[0][0])


def quarantine_cascades(warehouse: Path, min_child_rows: int = 0) -> list[QuarantineCascade]:
    """Root causes of the quarantine: rows set aside for their own defect (not as orphans)."""
    if not warehouse.exists():
        return []
    out = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for tbl in TABLES:
            relation = f"quarantine_{tbl.source}__{tbl.name}"
            if not _exists(con, "quarantine", relation):
                continue
            rows = con.execute(
                f"select quarantine_reason, count(*) from {_quarantine_relation(tbl.name)} "
                "where quarantine_reason not like 'orphan %' group by 1 order by 2 desc, 1"
            ).fetchall()
            if not rows:
                continue
            reasons = {str(r): int(n) for r, n in rows}
            cascade = QuarantineCascade(tbl.name, sum(reasons.values()), reasons)
            key = tbl.staged_key()[0]
            keys_sql = (
                f"select {key} from {_quarantine_relation(tbl.name)} "
                "where quarantine_reason not like 'orphan %'"
            )
            _orphans(con, tbl.name, keys_sql, cascade.children)
            if sum(cascade.children.values()) >= min_child_rows:
                out.append(cascade)
    return out


def _orphans(con: duckdb.DuckDBPyConnection, parent: str, keys_sql: str, counts: dict[str, int]) -> None:
    for child, column in children_of(parent):
        relation = f"quarantine_{child.source}__{child.name}"
        if not _exists(con, "quarantine", relation) or len(child.key) != 1:
            continue
        ref = child.column(column).staged_name
        where = f"quarantine_reason = 'orphan {column}' and {ref} in ({keys_sql})"
        n = int(
            con.execute(f"select count(*) from {_quarantine_relation(child.name)} where {where}").fetchall()[
                0
            ][0]
        )
        if not n:
            continue
        counts[child.name] = counts.get(child.name, 0) + n
        child_keys = f"select {child.staged_key()[0]} from {_quarantine_relation(child.name)} where {where}"
        _orphans(con, child.name, child_keys, counts)


# --------------------------------------------------------------------------- failing tests


def _model_of(node: FailedNode) -> str:
    if node.attached_node:
        return node.attached_node.split(".")[-1]
    model = node.test_kwargs.get("model")
    if isinstance(model, str) and "ref(" in model:
        return model.split("'")[1]
    return node.name


def describe(node: FailedNode) -> str:
    """The failure in words: what was checked, on which model and column, how many rows broke it."""
    model = _model_of(node)
    column = node.test_kwargs.get("column_name")
    count = f"{node.failures:,} failing row(s)" if node.failures is not None else "failed"
    name = node.test_name
    if node.resource_type == "unit_test":
        return f"unit test {node.name} of {model}: the model's output differs from the expected rows"
    if node.resource_type not in ("test",):
        first_line = node.message.splitlines()[0] if node.message else ""
        return f"{node.resource_type} {node.name} did not build: {first_line}"
    if name in ("not_null", "not_null_columns"):
        cols = node.test_kwargs.get("column_names") or [column]
        what = f"column(s) {', '.join(str(c) for c in cols)}"
        return f"{model}: {what} must not be null ({count})"
    if name in ("unique", "unique_combination_of_columns"):
        cols = node.test_kwargs.get("combination_of_columns") or [column]
        return f"{model}: {', '.join(str(c) for c in cols)} must be unique ({count})"
    if name in ("relationships", "references_if_delivered"):
        return (
            f"{model}.{column} must reference {node.test_kwargs.get('to')}.{node.test_kwargs.get('field')} "
            f"({count})"
        )
    if name in ("accepted_values", "in_vocabulary"):
        return f"{model}.{column} holds values outside its allowed set ({count})"
    if name == "expression_is_true":
        return f"{model}: `{node.test_kwargs.get('expression')}` must hold on every row ({count})"
    if name == "rows_reconcile":
        return (
            f"row_reconciliation: raw rows lost (or duplicated) on the way to staging in {count}: each "
            "row below names the table, the relation the rows are missing from and how many"
        )
    if name == "quarantine_share_within_limit":
        return (
            f"the quarantine circuit breaker: more than the allowed share (var quarantine_max_share) of a "
            f"table's raw rows was quarantined ({count}: table, share, main reason below)"
        )
    if name == "accepted_range":
        low, high = node.test_kwargs.get("min_value"), node.test_kwargs.get("max_value")
        return f"{model}.{column} must lie within [{low}, {high}] ({count})"
    if name:
        return f"{model}: test {name} on {column or 'the model'} ({count})"
    return f"test {node.name} ({node.original_file_path}): {count}"


def failing_rows(node: FailedNode, warehouse: Path, limit: int = MAX_ROWS) -> list[dict[str, Any]]:
    """Up to ``limit`` rows of the test's own query, run on the build's file (attached under the
    database name the compiled SQL uses)."""
    if node.resource_type != "test" or not node.compiled_code or not warehouse.exists():
        return []
    con = duckdb.connect()
    try:
        alias = node.database or warehouse.stem
        con.execute(f"attach '{warehouse}' as \"{alias}\" (read_only)")
        con.execute(f'use "{alias}"')
        cursor = con.execute(f"select * from ({node.compiled_code}) as failing limit {limit}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    except duckdb.Error:
        return []
    finally:
        con.close()


def explain_failures(nodes: list[FailedNode], warehouse: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    """(sentence, failing rows) for every failed node."""
    return [(describe(node), failing_rows(node, warehouse)) for node in nodes]
