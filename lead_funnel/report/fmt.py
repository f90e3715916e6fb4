"""Formatting of the marts' values for people (the only thing Python does to a number)."""

from __future__ import annotations

from datetime import date, datetime

MISSING = "\u2013"  # en dash


def integer(value: float | None) -> str:
    return MISSING if value is None else f"{value:,.0f}"


def pct(value: float | None, digits: int = 1) -> str:
    return MISSING if value is None else f"{value * 100:.{digits}f}%"


def usd(value: float | None) -> str:
    if value is None:
        return MISSING
    if abs(value) >= 1_000_000:
        return f"${value / 1_000_000:,.2f}M"
    if abs(value) >= 10 or value == 0:
        return f"${value:,.0f}"
    return f"${value:,.2f}"


def days(value: float | None) -> str:
    return MISSING if value is None else f"{value:,.1f} d"


def multiple(value: float | None) -> str:
    return MISSING if value is None else f"{value:,.2f}\u00d7"


def number(value: float | None, digits: int = 1) -> str:
    return MISSING if value is None else f"{value:,.{digits}f}"


def month(value: date | None) -> str:
    """'Oct 2025' ("n/a" when the marts hold no month: a delivery without leads)."""
    return "n/a" if value is None else value.strftime("%b %Y")


def month_short(value: date) -> str:
    """'Oct 25'."""
    return value.strftime("%b %y")


def month_axis(value: date, first: bool = False) -> str:
    """'Oct', with the year on a second line for the first label and each January."""
    return value.strftime("%b\n%Y") if first or value.month == 1 else value.strftime("%b")


def day(value: date) -> str:
    return value.isoformat()


def timestamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def raw(value: float | int | str | None) -> str:
    """A value as the marts hold it, for data-value attributes (floats round-trip exactly)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)
