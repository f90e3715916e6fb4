"""What the template renders: charts with their table fallback, figures with their raw values."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass(frozen=True)
class Figure:
    """A number shown on the page; rendered with data-figure=name and data-value=the raw value."""

    name: str
    value: float | int | None
    text: str
    label: str = ""
    note: str = ""


Cell = str | Figure


@dataclass(frozen=True)
class Table:
    """A chart's table fallback: formatted cells, the first `label_columns` left-aligned."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    label_columns: int = 1
    total_last: bool = False  # the last row is a total (shown bold)


@dataclass(frozen=True)
class Chart:
    """One chart: data-chart=name, an inline SVG, a legend and the same data as a table."""

    name: str
    title: str
    summary: str
    svg: Markup
    table: Table
    legend: tuple[tuple[str, str], ...] = ()
    wide: bool = True
    table_open: bool = False


@dataclass(frozen=True)
class Section:
    """A report section: what it shows, where its numbers come from, its charts."""

    key: str
    title: str
    intro: str
    source: str
    charts: tuple[Chart, ...]
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    legend: tuple[tuple[str, str], ...] = ()  # shared by the section's charts
