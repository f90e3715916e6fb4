"""The cross-engine comparison (tests/engines.py) finds every kind of difference and ignores only
double-precision noise and row order. Hand-made marts: no engine needed (part of `make test`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from engines import Mart, compare_marts

COLUMNS = ("lead_id", "entered_at", "entry_month", "amount_usd", "score", "is_won", "deals")
ROWS = [
    ("L1", datetime(2026, 1, 2, 3, 4, 5, 123456), date(2026, 1, 1), Decimal("1200.50"), 12.5, True, 1),
    ("L2", datetime(2026, 1, 3), date(2026, 1, 1), None, 1e6 / 3, False, 0),
    ("L3", None, None, Decimal("0.00"), 0.0, None, None),
]


def _with(row_index: int, column: str, value: object, rows: list[tuple] = ROWS) -> list[tuple]:
    changed = [list(r) for r in rows]
    changed[row_index][COLUMNS.index(column)] = value
    return [tuple(r) for r in changed]


def _diff(rows: list[tuple], columns: tuple[str, ...] = COLUMNS) -> dict[str, list[str]]:
    return compare_marts({"fct_x": Mart(COLUMNS, ROWS)}, {"fct_x": Mart(columns, rows)})


def test_identical_marts_in_another_row_and_column_order_are_equal() -> None:
    order = [6, 0, 2, 1, 5, 3, 4]
    shuffled = [tuple(row[i] for i in order) for row in reversed(ROWS)]
    assert _diff(shuffled, tuple(COLUMNS[i] for i in order)) == {}


def test_double_noise_below_1e9_is_equal() -> None:
    assert _diff(_with(1, "score", 1e6 / 3 * (1 + 1e-12))) == {}
    assert _diff(_with(2, "score", 1e-12)) == {}


def test_every_kind_of_difference_is_found() -> None:
    changes = {
        "double beyond 1e-9": _with(1, "score", 1e6 / 3 * (1 + 1e-8)),
        "decimal by a cent": _with(0, "amount_usd", Decimal("1200.49")),
        "decimal vs double": _with(0, "amount_usd", 1200.5),
        "null vs zero": _with(1, "amount_usd", Decimal("0")),
        "timestamp by a microsecond": _with(0, "entered_at", datetime(2026, 1, 2, 3, 4, 5, 123457)),
        "timestamp vs date": _with(1, "entered_at", date(2026, 1, 3)),
        "text": _with(2, "lead_id", "L4"),
        "boolean vs integer": _with(0, "is_won", 1),
        "integer": _with(0, "deals", 2),
        "a missing row": ROWS[:2],
        "a duplicated row": [*ROWS, ROWS[0]],
    }
    for label, rows in changes.items():
        assert _diff(rows), label
    assert _diff(ROWS, ("lead_id", "entered_at", "entry_month", "amount_usd", "score", "is_won", "n"))


def test_a_mart_missing_on_one_side_differs() -> None:
    assert compare_marts({"fct_x": Mart(COLUMNS, ROWS)}, {}) == {"fct_x": ["only in the left build"]}


def test_spark_partition_column_is_not_part_of_the_mart() -> None:
    from engines import _mart

    mart = _mart([*COLUMNS, "_key_bucket"], [(*row, 3) for row in ROWS])
    assert compare_marts({"fct_x": Mart(COLUMNS, ROWS)}, {"fct_x": mart}) == {}
