"""Server-side SVG charts. Every data mark has class "mark" and a native tooltip (<title>).

Each function takes values the marts computed (already picked and sorted) and returns an <svg>;
the geometry is the only arithmetic here.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from lead_funnel.report.svg import (
    Linear,
    el,
    group,
    nice_ticks,
    polyline_path,
    ramp,
    segments,
    svg_root,
    text,
    titled,
)

Formatter = Callable[[float], str]
Chart = Callable[..., Markup]
NO_DATA = "No data for this chart in this delivery (its tables were not provided or hold no rows)."


def empty_placeholder(data_argument: str) -> Callable[[Chart], Chart]:
    """A chart whose data argument is empty renders a labelled placeholder instead (a partial
    delivery builds marts without rows; the report still opens)."""

    def decorate(chart: Chart) -> Chart:
        signature = inspect.signature(chart)

        @functools.wraps(chart)
        def draw(*args: object, **kwargs: object) -> Markup:
            bound = signature.bind(*args, **kwargs)
            if not bound.arguments.get(data_argument):
                name, title = str(bound.arguments["name"]), str(bound.arguments["title"])
                body = [text(260, 60, NO_DATA, class_="no-data", text_anchor="middle")]
                return svg_root(name, 520, 110, title, NO_DATA, body)
            return chart(*args, **kwargs)

        return draw

    return decorate


FONT_SMALL = 10.5
FONT = 12


# ----------------------------------------------------------------------------- shared pieces


def _y_axis(scale: Linear, ticks: Sequence[float], x0: float, x1: float, fmt: Formatter) -> Markup:
    """Horizontal grid lines with tick labels left of x0."""
    parts = []
    for tick in ticks:
        y = scale(tick)
        parts.append(el("line", {"x1": x0, "x2": x1, "y1": y, "y2": y, "class": "grid"}))
        parts.append(text(x0 - 6, y + 3.5, fmt(tick), class_="tick", text_anchor="end"))
    return group(parts, class_="axis y")


def _axis_title(x: float, y: float, label: str, rotate: bool = False) -> Markup:
    if rotate:
        return text(
            0,
            0,
            label,
            class_="axis-title",
            text_anchor="middle",
            transform=f"translate({x},{y}) rotate(-90)",
        )
    return text(x, y, label, class_="axis-title", text_anchor="middle")


def _x_labels(positions: Sequence[tuple[float, str]], y: float) -> Markup:
    return group(
        (text(x, y, label, class_="tick", text_anchor="middle") for x, label in positions), class_="axis x"
    )


def _every(n: int, limit: int) -> int:
    """Label every k-th category so that at most `limit` labels show."""
    return max(1, -(-n // limit))


# ----------------------------------------------------------------------------- funnel


@dataclass(frozen=True)
class FunnelStep:
    label: str
    value: int
    value_text: str
    rate_text: str  # conversion from the previous step, '' for the first
    tooltip: str


@empty_placeholder("steps")
def funnel(name: str, title: str, desc: str, steps: Sequence[FunnelStep]) -> Markup:
    """Centred horizontal bars, widest first, with trapezoid connectors and conversion labels."""
    width, row, bar_h, top = 1040.0, 58.0, 40.0, 8.0
    centre, max_w = 460.0, 600.0
    scale = Linear(0, max(s.value for s in steps) or 1, 0, max_w)
    body: list[str] = []
    for i, step in enumerate(steps):
        w = max(scale(step.value), 3.0)
        y = top + i * row
        colour = ramp(0.45 + 0.5 * i / max(len(steps) - 1, 1))
        if i + 1 < len(steps):
            nw = max(scale(steps[i + 1].value), 3.0)
            connector = [
                (centre - w / 2, y + bar_h),
                (centre + w / 2, y + bar_h),
                (centre + nw / 2, y + row),
                (centre - nw / 2, y + row),
            ]
            body.append(el("path", {"d": polyline_path(connector) + " Z", "class": "connector"}))
        body.append(
            titled(
                "rect",
                {
                    "x": centre - w / 2,
                    "y": y,
                    "width": w,
                    "height": bar_h,
                    "rx": 3,
                    "fill": colour,
                    "class": "mark",
                },
                step.tooltip,
            )
        )
        body.append(
            text(
                centre - max_w / 2 - 14, y + bar_h / 2 + 5, step.label, class_="step-label", text_anchor="end"
            )
        )
        body.append(text(centre + max_w / 2 + 20, y + bar_h / 2 - 2, step.value_text, class_="step-value"))
        if step.rate_text:
            body.append(text(centre + max_w / 2 + 20, y + bar_h / 2 + 14, step.rate_text, class_="step-rate"))
    height = top + len(steps) * row - (row - bar_h) + 8
    return svg_root(name, width, height, title, desc, body)


# ----------------------------------------------------------------------------- stacked bars


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: Sequence[float | None]
    dashed: bool = False


@empty_placeholder("categories")
def stacked_bars(
    name: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    y_label: str,
    fmt: Formatter,
    tooltip: Callable[[int, Series, float], str],
    width: float = 510.0,
    height: float = 290.0,
) -> Markup:
    """Vertical bars per category, one stacked segment per series (None and 0 draw nothing)."""
    left, right, top, bottom = 56.0, 8.0, 12.0, 44.0
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    ticks = nice_ticks(max(totals, default=0) or 1)
    y = Linear(0, ticks[-1], height - bottom, top)
    band = (width - left - right) / max(len(categories), 1)
    body: list[str] = [_y_axis(y, ticks, left, width - right, lambda v: fmt(v))]
    for i in range(len(categories)):
        base = 0.0
        x = left + i * band + band * 0.14
        for s in series:
            value = s.values[i] or 0
            if value <= 0:
                continue
            y_top, y_bottom = y(base + value), y(base)
            body.append(
                titled(
                    "rect",
                    {
                        "x": x,
                        "y": y_top,
                        "width": band * 0.72,
                        "height": y_bottom - y_top,
                        "fill": s.colour,
                        "class": "mark",
                    },
                    tooltip(i, s, value),
                )
            )
            base += value
    step = _every(len(categories), 14)
    body.append(
        _x_labels(
            [(left + i * band + band / 2, c) for i, c in enumerate(categories) if i % step == 0],
            height - bottom + 16,
        )
    )
    body.append(_axis_title(14, (top + height - bottom) / 2, y_label, rotate=True))
    return svg_root(name, width, height, title, desc, body)


# ----------------------------------------------------------------------------- grouped bars


@empty_placeholder("categories")
def grouped_bars(
    name: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    y_label: str,
    fmt: Formatter,
    tooltip: Callable[[int, Series, float], str],
    reference: tuple[float, str] | None = None,
    y_max: float | None = None,
    width: float = 510.0,
    height: float = 290.0,
) -> Markup:
    """Vertical bars side by side per category, an optional dashed reference line."""
    left, right, top, bottom = 56.0, 8.0, 14.0, 34.0
    high = max([v for s in series for v in s.values if v is not None] + [reference[0] if reference else 0])
    ticks = nice_ticks(y_max if y_max is not None else (high or 1))
    y = Linear(0, ticks[-1], height - bottom, top)
    band = (width - left - right) / max(len(categories), 1)
    bar_w = band * 0.74 / max(len(series), 1)
    body: list[str] = [_y_axis(y, ticks, left, width - right, fmt)]
    for i in range(len(categories)):
        for j, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            x = left + i * band + band * 0.13 + j * bar_w
            body.append(
                titled(
                    "rect",
                    {
                        "x": x + 1,
                        "y": y(value),
                        "width": bar_w - 2,
                        "height": max(y(0) - y(value), 0.5),
                        "fill": s.colour,
                        "class": "mark",
                    },
                    tooltip(i, s, value),
                )
            )
            body.append(
                text(x + bar_w / 2, y(value) - 4, fmt(value), class_="bar-value", text_anchor="middle")
            )
    if reference is not None:
        ry = y(reference[0])
        body.append(el("line", {"x1": left, "x2": width - right, "y1": ry, "y2": ry, "class": "reference"}))
        body.append(
            text(width - right - 2, ry - 5, reference[1], class_="reference-label", text_anchor="end")
        )
    body.append(
        _x_labels([(left + i * band + band / 2, c) for i, c in enumerate(categories)], height - bottom + 16)
    )
    body.append(_axis_title(14, (top + height - bottom) / 2, y_label, rotate=True))
    return svg_root(name, width, height, title, desc, body)


# ----------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class LinePanel:
    """One panel of a line chart: series over shared x positions."""

    series: Sequence[Series]
    y_label: str
    fmt: Formatter
    y_max: float | None = None
    area_first: bool = False  # fill the first series down to zero
    points: bool = True
    bars: bool = False  # draw the series as thin bars instead of lines


def _line_series(
    s: Series,
    xs: Sequence[float],
    x: Linear,
    y: Linear,
    points: bool,
    tooltip: Callable[[int, Series, float], str],
) -> list[str]:
    parts: list[str] = []
    for run in segments(s.values):
        coords = [(x(xs[i]), y(s.values[i] or 0.0)) for i in run]
        if len(coords) > 1:
            parts.append(
                titled(
                    "path",
                    {
                        "d": polyline_path(coords),
                        "stroke": s.colour,
                        "class": "mark line" + (" dashed" if s.dashed else ""),
                    },
                    s.name,
                )
            )
        if points or len(coords) == 1:
            for i, (cx, cy) in zip(run, coords, strict=True):
                value = s.values[i]
                assert value is not None
                parts.append(
                    titled(
                        "circle",
                        {"cx": cx, "cy": cy, "r": 3.2, "fill": s.colour, "class": "mark"},
                        tooltip(i, s, value),
                    )
                )
    return parts


def _area(s: Series, xs: Sequence[float], x: Linear, y: Linear) -> list[str]:
    parts: list[str] = []
    for run in segments(s.values):
        coords = [(x(xs[i]), y(s.values[i] or 0.0)) for i in run]
        outline = [*coords, (coords[-1][0], y(0)), (coords[0][0], y(0))]
        parts.append(
            titled(
                "path", {"d": polyline_path(outline) + " Z", "fill": s.colour, "class": "mark area"}, s.name
            )
        )
    return parts


def _bars(
    s: Series,
    xs: Sequence[float],
    x: Linear,
    y: Linear,
    w: float,
    tooltip: Callable[[int, Series, float], str],
) -> list[str]:
    parts: list[str] = []
    for i, value in enumerate(s.values):
        if value is None:
            continue
        parts.append(
            titled(
                "rect",
                {
                    "x": x(xs[i]) - w / 2,
                    "y": y(value),
                    "width": w,
                    "height": max(y(0) - y(value), 0.5),
                    "fill": s.colour,
                    "class": "mark",
                },
                tooltip(i, s, value),
            )
        )
    return parts


@empty_placeholder("xs")
def line_chart(
    name: str,
    title: str,
    desc: str,
    xs: Sequence[float],
    x_ticks: Sequence[tuple[float, str]],
    panels: Sequence[LinePanel],
    tooltip: Callable[[int, Series, float], str],
    x_label: str = "",
    width: float = 510.0,
    panel_height: float = 230.0,
) -> Markup:
    """Lines (or an area, or thin bars) over numeric x positions; panels stack and share x."""
    left, right, top, gap, bottom = 56.0, 14.0, 12.0, 34.0, 44.0 + (14.0 if x_label else 0.0)
    pad = (max(xs) - min(xs)) * 0.03 if len(xs) > 1 else 1.0
    x = Linear(min(xs) - pad, max(xs) + pad, left, width - right)
    body: list[str] = []
    y0 = top
    for panel in panels:
        values = [v for s in panel.series for v in s.values if v is not None]
        ticks = nice_ticks(panel.y_max if panel.y_max is not None else (max(values, default=0) or 1))
        y = Linear(0, ticks[-1], y0 + panel_height, y0)
        body.append(_y_axis(y, ticks, left, width - right, panel.fmt))
        body.append(_axis_title(14, y0 + panel_height / 2, panel.y_label, rotate=True))
        bar_w = max((width - left - right) / max(len(xs), 1) * 0.5, 2.0)
        for k, s in enumerate(panel.series):
            if panel.bars:
                body.extend(_bars(s, xs, x, y, bar_w, tooltip))
            elif panel.area_first and k == 0:
                body.extend(_area(s, xs, x, y))
            else:
                body.extend(_line_series(s, xs, x, y, panel.points, tooltip))
        y0 += panel_height + gap
    axis_y = y0 - gap
    body.append(_x_labels([(x(v), label) for v, label in x_ticks], axis_y + 16))
    if x_label:
        body.append(_axis_title((left + width - right) / 2, axis_y + 44, x_label))
    return svg_root(name, width, axis_y + bottom - 8, title, desc, body)


# ----------------------------------------------------------------------------- heat map


@dataclass(frozen=True)
class HeatCell:
    value: float | None  # the rate; None = withheld (immature) or no cohort
    label: str  # text inside the cell
    tooltip: str
    immature: bool


@dataclass(frozen=True)
class HeatPanel:
    title: str
    rows: Sequence[str]
    columns: Sequence[str]
    column_groups: Sequence[tuple[int, str]]  # (first column index, label) e.g. years
    cells: dict[tuple[int, int], HeatCell]
    high: float  # top of the colour scale
    high_text: str


@empty_placeholder("panels")
def heatmap(name: str, title: str, desc: str, panels: Sequence[HeatPanel], columns: int = 2) -> Markup:
    """Panels of rows x columns cells coloured by value; immature cells hatched, no value shown."""
    width, gap = 1040.0, 26.0
    panel_w = (width - gap * (columns - 1)) / columns
    label_w, header, row_h = 124.0, 46.0, 20.0
    body: list[str] = [
        el(
            "defs",
            None,
            el(
                "pattern",
                {
                    "id": f"{name}-hatch",
                    "width": 6,
                    "height": 6,
                    "patternUnits": "userSpaceOnUse",
                    "patternTransform": "rotate(45)",
                },
                el("rect", {"width": 6, "height": 6, "fill": "#f3f4f6"}),
                el("line", {"x1": 0, "y1": 0, "x2": 0, "y2": 6, "stroke": "#c4c9d0", "stroke-width": 2.4}),
            ),
        )
    ]
    panel_h = 0.0
    for p_index, panel in enumerate(panels):
        ox = (p_index % columns) * (panel_w + gap)
        panel_h = header + len(panel.rows) * row_h + 8
        oy = (p_index // columns) * (panel_h + gap)
        body.append(_heat_panel(name, panel, ox, oy, panel_w, label_w, header, row_h))
    n_rows = -(-len(panels) // columns)
    height = n_rows * panel_h + (n_rows - 1) * gap
    return svg_root(name, width, height, title, desc, body)


def _heat_panel(
    name: str,
    panel: HeatPanel,
    ox: float,
    oy: float,
    panel_w: float,
    label_w: float,
    header: float,
    row_h: float,
) -> Markup:
    cell_w = (panel_w - label_w) / max(len(panel.columns), 1)
    parts: list[str] = [text(ox, oy + 14, panel.title, class_="panel-title")]
    # colour scale key, right-aligned in the header
    for k in range(6):
        parts.append(
            el(
                "rect",
                {
                    "x": ox + panel_w - 150 + k * 16,
                    "y": oy + 4,
                    "width": 16,
                    "height": 10,
                    "fill": ramp(k / 5),
                },
            )
        )
    parts.append(text(ox + panel_w - 154, oy + 13, "0%", class_="tick", text_anchor="end"))
    parts.append(text(ox + panel_w - 52, oy + 13, panel.high_text, class_="tick"))
    for first, label in panel.column_groups:
        parts.append(text(ox + label_w + first * cell_w + 2, oy + 29, label, class_="tick group-label"))
    for j, column in enumerate(panel.columns):
        parts.append(
            text(
                ox + label_w + (j + 0.5) * cell_w,
                oy + header - 5,
                column,
                class_="tick",
                text_anchor="middle",
            )
        )
    for i, row in enumerate(panel.rows):
        y = oy + header + i * row_h
        parts.append(text(ox + label_w - 8, y + row_h / 2 + 4, row, class_="tick", text_anchor="end"))
        for j in range(len(panel.columns)):
            cell = panel.cells.get((i, j))
            if cell is None:
                continue
            parts.append(_heat_cell(name, cell, ox + label_w + j * cell_w, y, cell_w, row_h, panel.high))
    return group(parts, class_="panel")


def _heat_cell(name: str, cell: HeatCell, x: float, y: float, w: float, h: float, high: float) -> Markup:
    t = (cell.value or 0.0) / high if high else 0.0
    fill = f"url(#{name}-hatch)" if cell.immature or cell.value is None else ramp(t)
    rect = titled(
        "rect",
        {"x": x + 1, "y": y + 1, "width": w - 2, "height": h - 2, "fill": fill, "class": "mark cell"},
        cell.tooltip,
    )
    colour = "#ffffff" if t > 0.55 and not cell.immature else "#374151"
    label = text(
        x + w / 2, y + h / 2 + 3.5, cell.label, class_="cell-label", text_anchor="middle", fill=colour
    )
    return group([rect, label])


# ----------------------------------------------------------------------------- small multiples


@dataclass(frozen=True)
class BandSeries:
    """One small multiple: median line and a median-to-p75 band over the x positions."""

    median: Sequence[float | None]
    p75: Sequence[float | None]
    tooltips: Sequence[str]


@dataclass(frozen=True)
class BandColumn:
    title: str
    colour: str
    cells: Sequence[BandSeries]  # one per row
    high: float


@empty_placeholder("columns")
def band_grid(
    name: str,
    title: str,
    desc: str,
    rows: Sequence[str],
    columns: Sequence[BandColumn],
    x_ticks: Sequence[tuple[int, str]],
    n_x: int,
    fmt: Formatter,
) -> Markup:
    """Rows x columns of small band charts; each column has its own y scale (shown in its header)."""
    width, label_w, gap, header, row_h, cell_h = 1040.0, 132.0, 26.0, 40.0, 46.0, 36.0
    col_w = (width - label_w - gap * (len(columns) - 1)) / max(len(columns), 1)
    body: list[str] = []
    for c, column in enumerate(columns):
        ox = label_w + c * (col_w + gap)
        ticks = nice_ticks(column.high or 1, count=5)
        y_top = ticks[-1]
        body.append(text(ox, 14, column.title, class_="panel-title"))
        body.append(text(ox, 30, f"days, scale 0\u2013{fmt(y_top)} (higher p75 clipped)", class_="tick"))
        x = Linear(0, max(n_x - 1, 1), ox + 4, ox + col_w - 4)
        for r, cell in enumerate(column.cells):
            oy = header + r * row_h
            y = Linear(0, y_top, oy + cell_h, oy)
            body.append(_band_cell(cell, x, y, ox, oy, col_w, cell_h, column.colour))
    for r, row in enumerate(rows):
        body.append(
            text(label_w - 10, header + r * row_h + cell_h / 2 + 4, row, class_="tick", text_anchor="end")
        )
    axis_y = header + len(rows) * row_h + 6
    for c in range(len(columns)):
        ox = label_w + c * (col_w + gap)
        x = Linear(0, max(n_x - 1, 1), ox + 4, ox + col_w - 4)
        body.append(_x_labels([(x(i), label) for i, label in x_ticks], axis_y))
    body.append(text(label_w, axis_y + 34, "MQL cohort month \u2192", class_="axis-title"))
    return svg_root(name, width, axis_y + 40, title, desc, body)


def _band_cell(
    cell: BandSeries, x: Linear, y: Linear, ox: float, oy: float, w: float, h: float, colour: str
) -> Markup:
    parts: list[str] = [
        el("rect", {"x": ox, "y": oy, "width": w, "height": h, "class": "cell-bg"}),
        el("line", {"x1": ox, "x2": ox + w, "y1": y(y.d1 / 2), "y2": y(y.d1 / 2), "class": "grid"}),
    ]
    both = [
        m if m is not None and p is not None else None for m, p in zip(cell.median, cell.p75, strict=True)
    ]
    for run in segments(both):
        if len(run) < 2:
            continue
        upper = [(x(i), y(min(cell.p75[i] or 0.0, y.d1))) for i in run]
        lower = [(x(i), y(cell.median[i] or 0.0)) for i in reversed(run)]
        parts.append(
            el("path", {"d": polyline_path(upper + lower) + " Z", "fill": colour, "class": "mark band"})
        )
    for run in segments(cell.median):
        coords = [(x(i), y(min(cell.median[i] or 0.0, y.d1))) for i in run]
        if len(coords) > 1:
            parts.append(el("path", {"d": polyline_path(coords), "stroke": colour, "class": "mark line"}))
        for i, (cx, cy) in zip(run, coords, strict=True):
            parts.append(
                titled(
                    "circle",
                    {"cx": cx, "cy": cy, "r": 2.4, "fill": colour, "class": "mark"},
                    cell.tooltips[i],
                )
            )
    return group(parts)


# ----------------------------------------------------------------------------- bar panels


@dataclass(frozen=True)
class BarPanel:
    title: str
    values: Sequence[float | None]
    fmt: Formatter
    colour: str
    reference: tuple[float, str] | None = None
    missing: str = "n/a"  # shown where the value is null (a zero denominator)


@empty_placeholder("rows")
def bar_panels(name: str, title: str, desc: str, rows: Sequence[str], panels: Sequence[BarPanel]) -> Markup:
    """Horizontal bars per row, one panel per measure side by side (each with its own scale)."""
    width, label_w, gap, header, row_h = 1040.0, 150.0, 22.0, 34.0, 30.0
    panel_w = (width - label_w - gap * (len(panels) - 1)) / max(len(panels), 1)
    value_w = 62.0
    body: list[str] = []
    for r, row in enumerate(rows):
        body.append(
            text(
                label_w - 10,
                header + r * row_h + row_h / 2 + 4,
                row,
                class_="tick row-label",
                text_anchor="end",
            )
        )
    for p, panel in enumerate(panels):
        ox = label_w + p * (panel_w + gap)
        high = max(
            [v for v in panel.values if v is not None] + [panel.reference[0] if panel.reference else 0]
        )
        x = Linear(0, high or 1, ox, ox + panel_w - value_w)
        body.append(text(ox, 16, panel.title, class_="panel-title"))
        body.append(
            el(
                "line",
                {
                    "x1": ox,
                    "x2": ox,
                    "y1": header - 4,
                    "y2": header + len(rows) * row_h,
                    "class": "axis-line",
                },
            )
        )
        for r, value in enumerate(panel.values):
            y = header + r * row_h + 6
            if value is None:
                body.append(text(ox + 4, y + 13, panel.missing, class_="tick muted"))
                continue
            body.append(
                titled(
                    "rect",
                    {
                        "x": ox,
                        "y": y,
                        "width": max(x(value) - ox, 1.5),
                        "height": row_h - 12,
                        "rx": 2,
                        "fill": panel.colour,
                        "class": "mark",
                    },
                    f"{rows[r]} · {panel.title}: {panel.fmt(value)}",
                )
            )
            body.append(text(x(value) + 5, y + 13, panel.fmt(value), class_="bar-value"))
        if panel.reference is not None:
            rx = x(panel.reference[0])
            body.append(
                el(
                    "line",
                    {
                        "x1": rx,
                        "x2": rx,
                        "y1": header - 4,
                        "y2": header + len(rows) * row_h,
                        "class": "reference",
                    },
                )
            )
            body.append(text(rx + 3, header - 6, panel.reference[1], class_="reference-label"))
    return svg_root(name, width, header + len(rows) * row_h + 8, title, desc, body)
