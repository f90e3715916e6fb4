"""The HTML funnel report in a real headless browser: Debian's Chromium driven by Playwright.

The report is built from the session's test warehouse (1,500 generated leads) and opened from a
file:// URL in a fresh browser profile. Checked: no console errors, page errors or failed
requests, no request beyond the file itself (self-contained, works offline); every chart renders
data marks of non-zero size; figures on the page equal values read from the marts with SQL here.
A full-page screenshot is kept in tests/output/ (ignored by git).

Chromium: `make test` installs it when missing (scripts/install_chromium.sh). Playwright only drives
it (its wheel bundles the driver); `playwright install` is never needed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from lead_funnel.cli import main
from lead_funnel.report import write_report

CHROMIUM = Path(os.environ.get("LEAD_FUNNEL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT_DIR = Path(__file__).resolve().parent / "output"
SCREENSHOT = OUTPUT_DIR / "lead_funnel_report.png"

EXPECTED_CHARTS = {
    "funnel",
    "mqls_trend",
    "sqls_trend",
    "cohort_heatmap",
    "velocity",
    "channel_costs",
    "sla_trend",
    "sla_by_team",
    "score_lift",
    "threshold_curve",
    "stale_mqls",
}

# Per chart: its data marks (class "mark") and how many have a non-zero bounding box.
CHART_STATS_JS = """
() => Array.from(document.querySelectorAll('[data-chart]')).map((chart) => {
  const marks = Array.from(chart.querySelectorAll('svg .mark'));
  const drawn = marks.filter((m) => { const b = m.getBBox(); return b.width > 0 || b.height > 0; });
  const svg = chart.querySelector('svg');
  return {
    name: chart.dataset.chart,
    marks: marks.length,
    drawn: drawn.length,
    cells: chart.querySelectorAll('svg .mark.cell').length,
    width: svg ? svg.getBoundingClientRect().width : 0,
    height: svg ? svg.getBoundingClientRect().height : 0,
  };
})
"""

FIGURES_JS = """
() => Object.fromEntries(Array.from(document.querySelectorAll('[data-figure]')).map(
  (e) => [e.dataset.figure,
          {value: e.dataset.value, text: e.textContent.trim(), visible: e.checkVisibility()}]))
"""


@dataclass
class LoadedPage:
    """What the browser saw while loading the report."""

    url: str
    html: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def report_file(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(warehouse, tmp_path_factory.mktemp("report") / "lead_funnel_report.html")


@pytest.fixture(scope="module")
def page(report_file: Path, pytestconfig: pytest.Config) -> Iterator[LoadedPage]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: run `bash scripts/install_chromium.sh` (make test does)")
    loaded = LoadedPage(url=report_file.as_uri(), html=report_file.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="lead-funnel-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 900},
            offline=True,
        )
        try:
            tab = context.new_page()
            tab.on("console", lambda m: loaded.console_errors.append(m.text) if m.type == "error" else None)
            tab.on("pageerror", lambda e: loaded.page_errors.append(str(e)))
            tab.on("request", lambda r: loaded.requests.append(r.url))
            tab.on("requestfailed", lambda r: loaded.failed_requests.append(f"{r.url}: {r.failure}"))
            tab.goto(loaded.url, wait_until="load")
            loaded.charts = tab.evaluate(CHART_STATS_JS)
            loaded.figures = tab.evaluate(FIGURES_JS)
            OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(SCREENSHOT), full_page=True)
            shutil.copyfile(report_file, OUTPUT_DIR / report_file.name)
            _say(pytestconfig, f"report screenshot: {SCREENSHOT}")
        finally:
            context.close()
    yield loaded


def test_page_loads_without_errors_or_network(page: LoadedPage) -> None:
    assert page.console_errors == []
    assert page.page_errors == []
    assert page.failed_requests == []
    assert page.requests == [page.url], "the report must need nothing but its own file"


def test_html_is_self_contained(page: LoadedPage) -> None:
    assert "<script" not in page.html
    links = re.findall(r'\b(?:href|src)="([^"]*)"', page.html)
    assert links and all(link.startswith("#") for link in links), links
    assert re.findall(r"https?://[^\"')\s]+", page.html) == ["http://www.w3.org/2000/svg"] * page.html.count(
        'xmlns="http://www.w3.org/2000/svg"'
    )


def test_every_chart_renders_data(page: LoadedPage) -> None:
    by_name = {c["name"]: c for c in page.charts}
    assert set(by_name) == EXPECTED_CHARTS
    for name, chart in by_name.items():
        assert chart["width"] > 300 and chart["height"] > 100, (name, chart)
        assert chart["drawn"] > 0, (name, chart)
        assert chart["drawn"] == chart["marks"], f"{name}: marks of zero size {chart}"
    assert SCREENSHOT.stat().st_size > 50_000


def test_charts_show_every_mart_row(page: LoadedPage, con: duckdb.DuckDBPyConnection) -> None:
    charts = {c["name"]: c for c in page.charts}
    cohort_rows = _scalar(con, "select count(*) from marts.fct_mql_cohorts")
    assert charts["cohort_heatmap"]["cells"] == cohort_rows
    # Funnel: one bar per step (lead, MQL, SAL, SQL, opportunity, won).
    assert charts["funnel"]["marks"] == 6


def test_figures_match_the_marts(page: LoadedPage, con: duckdb.DuckDBPyConnection) -> None:
    figures = page.figures

    mqls = _scalar(con, "select sum(mqls) from marts.fct_funnel_monthly")
    assert int(figures["mqls"]["value"]) == mqls
    assert figures["mqls"]["text"] == f"{mqls:,}"

    sla = _scalar(
        con,
        "select sum(handoffs_within_sla)::double / sum(observable_handoffs) "
        "from marts.fct_speed_to_lead_attainment",
    )
    assert float(figures["sla_attainment"]["value"]) == pytest.approx(sla, rel=1e-12)
    assert figures["sla_attainment"]["text"] == f"{sla * 100:.1f}%"

    cost = _scalar(
        con,
        "select sum(spend) / sum(mqls) from marts.fct_channel_costs where channel = 'paid_search'",
    )
    shown = figures["cost_per_mql.paid_search"]
    assert float(shown["value"]) == pytest.approx(cost, rel=1e-12)
    assert shown["text"] == f"${cost:,.0f}"
    assert all(figures[name]["visible"] for name in ("mqls", "sla_attainment", "cost_per_mql.paid_search"))


def test_figures_at_the_marts_own_grain(page: LoadedPage, con: duckdb.DuckDBPyConnection) -> None:
    lift = _scalar(
        con,
        "select sql_lift from marts.fct_scoring_backtest where analysis = 'score_band' and segment = 'hot'",
    )
    assert float(page.figures["sql_lift.hot"]["value"]) == lift
    stale = _scalar(
        con, "select stale_mqls from marts.fct_stale_mqls_daily order by activity_date desc limit 1"
    )
    assert int(page.figures["stale_mqls"]["value"]) == stale


def test_cli_report_writes_the_file_and_prints_its_path(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "nested" / "report.html"
    result = CliRunner().invoke(main, ["report", "--warehouse", str(warehouse), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.stat().st_size > 10_000
    assert f"report: {out.resolve()}" in result.output


def test_cli_report_without_warehouse_fails(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--warehouse", str(tmp_path / "missing.duckdb")])
    assert result.exit_code == 1
    assert "report not written" in result.output


def _say(config: pytest.Config, line: str) -> None:
    """Print past pytest's output capture (the screenshot path belongs in every run's log)."""
    capture = config.pluginmanager.get_plugin("capturemanager")
    if capture is None:  # pragma: no cover - pytest -p no:capture
        print(line)
        return
    with capture.global_and_fixture_disabled():
        print(f"\n{line}")


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def test_query_layer_fails_loudly_on_a_changed_mart(con: duckdb.DuckDBPyConnection) -> None:
    from lead_funnel.report.queries import StaleRow, _select

    with pytest.raises(ValueError, match="StaleRow: query columns"):
        _select(con, "select activity_date, open_mqls from marts.fct_stale_mqls_daily", StaleRow)


def test_nice_ticks_and_raw_values() -> None:
    from lead_funnel.report.fmt import raw
    from lead_funnel.report.svg import nice_ticks

    assert nice_ticks(0.93, count=5) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(1472.4) == [0, 500, 1000, 1500]
    assert float(raw(0.1 + 0.2)) == 0.1 + 0.2
    assert raw(None) == ""


def test_report_needs_only_the_served_marts(warehouse: Path, tmp_path: Path) -> None:
    """The served file holds only schema marts: the report reads nothing else."""
    from serving import served_copy

    served = served_copy(warehouse, tmp_path / "served" / "lead_funnel.duckdb")
    out = write_report(served, tmp_path / "report.html")
    assert 'data-figure="mqls"' in out.read_text(encoding="utf-8")
