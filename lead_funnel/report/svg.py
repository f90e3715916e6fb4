"""Tiny SVG building blocks: escaped elements, linear scales, nice ticks, colours."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

Attrs = Mapping[str, object]


def _attr_value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if math.isfinite(value) else "0"
    return str(value)


def el(name: str, attrs: Attrs | None = None, *children: str) -> Markup:
    """<name attrs>children</name>; attribute values and plain-str children are escaped."""
    rendered = "".join(
        f' {key}="{escape(_attr_value(value))}"' for key, value in (attrs or {}).items() if value is not None
    )
    if not children:
        return Markup(f"<{name}{rendered}/>")
    body = "".join(child if isinstance(child, Markup) else str(escape(child)) for child in children)
    return Markup(f"<{name}{rendered}>{body}</{name}>")


def text(x: float, y: float, content: str, **attrs: object) -> Markup:
    """A text element; keyword names with underscores become hyphenated attributes.

    A newline in content starts a second line (a tspan 1.15em lower)."""
    lines = content.split("\n")
    if len(lines) == 1:
        return el("text", {"x": x, "y": y, **_hyphenate(attrs)}, content)
    spans = [el("tspan", {"x": x, "dy": "0" if i == 0 else "1.15em"}, line) for i, line in enumerate(lines)]
    return el("text", {"x": x, "y": y, **_hyphenate(attrs)}, *spans)


def _hyphenate(attrs: Mapping[str, object]) -> dict[str, object]:
    return {key.rstrip("_").replace("_", "-"): value for key, value in attrs.items()}


def titled(name: str, attrs: Attrs, tooltip: str) -> Markup:
    """A data mark with a native tooltip (<title>): no script needed."""
    return el(name, attrs, el("title", None, tooltip))


def group(children: Iterable[str], **attrs: object) -> Markup:
    return el("g", _hyphenate(attrs), *children) if attrs or children else Markup("")


def svg_root(name: str, width: float, height: float, title: str, desc: str, body: Iterable[str]) -> Markup:
    """The chart's <svg>: scalable (viewBox), labelled for assistive technology."""
    return el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {_attr_value(float(width))} {_attr_value(float(height))}",
            "role": "img",
            "aria-labelledby": f"{name}-title {name}-desc",
            "class": "chart",
        },
        el("title", {"id": f"{name}-title"}, title),
        el("desc", {"id": f"{name}-desc"}, desc),
        *body,
    )


def polyline_path(points: Sequence[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{x:.2f},{y:.2f}" for x, y in points)


def segments(values: Sequence[float | None]) -> list[list[int]]:
    """Runs of consecutive indexes whose value is not None (lines break at gaps)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(i)
    if current:
        runs.append(current)
    return runs


@dataclass(frozen=True)
class Linear:
    """Maps [d0, d1] onto [r0, r1]."""

    d0: float
    d1: float
    r0: float
    r1: float

    def __call__(self, value: float) -> float:
        span = self.d1 - self.d0
        if span == 0:
            return self.r0
        return self.r0 + (value - self.d0) / span * (self.r1 - self.r0)


def nice_ticks(high: float, count: int = 5, low: float = 0.0) -> list[float]:
    """Round tick values from low up to at least high (1, 2, 2.5, 5 x 10^n steps)."""
    if high <= low:
        high = low + 1.0
    raw_step = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    ticks = []
    value = math.floor(low / step) * step
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        if value >= high:
            break
        value += step
    return ticks


# Categorical palette (Tableau 10 with two additions), colour-blind friendly enough for 12 channels.
PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#2f4b7c",
    "#a0cbe8",
    "#8cd17d",
)
UNKNOWN_COLOUR = "#bab0ac"


def category_colours(names: Iterable[str]) -> dict[str, str]:
    """A stable colour per category in sorted order; 'unknown' is grey."""
    ordered = sorted(set(names))
    colours: dict[str, str] = {}
    i = 0
    for name in ordered:
        if name == "unknown":
            colours[name] = UNKNOWN_COLOUR
            continue
        colours[name] = PALETTE[i % len(PALETTE)]
        i += 1
    return colours


# ColorBrewer "Blues": a sequential scale that stays saturated in the middle.
BLUES: tuple[str, ...] = (
    "#f7fbff",
    "#deebf7",
    "#c6dbef",
    "#9ecae1",
    "#6baed6",
    "#4292c6",
    "#2171b5",
    "#08519c",
    "#08306b",
)


def _rgb(colour: str) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


def ramp(value: float, stops: Sequence[str] = BLUES) -> str:
    """Sequential colour for value in [0, 1], piecewise linear between the stops."""
    t = min(max(value, 0.0), 1.0) * (len(stops) - 1)
    i = min(int(t), len(stops) - 2)
    a, b = _rgb(stops[i]), _rgb(stops[i + 1])
    f = t - i
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))
