"""Write the report: query the warehouse read-only, build the sections, render one HTML file."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from lead_funnel.paths import PROJECT_DIR
from lead_funnel.report import fmt
from lead_funnel.report.model import Figure
from lead_funnel.report.queries import SOURCES, ReportData, load_report_data, open_warehouse
from lead_funnel.report.sections import build_sections, headline_figures

REPORT_FILE_NAME = "lead_funnel_report.html"


@dataclass(frozen=True)
class Provenance:
    """Where the numbers come from, shown at the top of the page."""

    warehouse: str
    warehouse_modified: str
    generated_at: str
    generator: str
    sources: tuple[str, ...]


def default_report_path(warehouse: Path) -> Path:
    """warehouse/report/lead_funnel_report.html beside the warehouse file."""
    return warehouse.resolve().parent / "report" / REPORT_FILE_NAME


def _package_version() -> str:
    try:
        return version("lead_funnel")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def _git_commit() -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def provenance(warehouse: Path) -> Provenance:
    modified = datetime.fromtimestamp(warehouse.stat().st_mtime, tz=UTC)
    commit = _git_commit()
    generator = f"lead-funnel report {_package_version()}" + (f" (commit {commit})" if commit else "")
    return Provenance(
        warehouse=str(warehouse.resolve()),
        warehouse_modified=fmt.timestamp(modified),
        generated_at=fmt.timestamp(datetime.now(tz=UTC)),
        generator=generator,
        sources=SOURCES,
    )


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("lead_funnel.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["raw"] = fmt.raw
    env.tests["figure"] = lambda value: isinstance(value, Figure)
    return env


def render_html(data: ReportData, prov: Provenance) -> str:
    """The whole page as one string: inline CSS and SVG, no script, no external resource."""
    template = _environment().get_template("report.html.j2")
    data_range = data.data_range
    return template.render(
        headlines=headline_figures(data),
        sections=build_sections(data),
        provenance=prov,
        as_of=fmt.timestamp(data_range.as_of_at),
        as_of_raw=data_range.as_of_at.isoformat(),
        first_month=fmt.month(data_range.first_month),
        last_month=fmt.month(data_range.last_month),
    )


def write_report(warehouse: Path, out: Path | None = None) -> Path:
    """Render the report of a built warehouse into `out` (default: beside it) and return its path."""
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: build it first (lead-funnel build / make run)")
    con = open_warehouse(str(warehouse))
    try:
        data = load_report_data(con)
    finally:
        con.close()
    target = (out or default_report_path(warehouse)).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".tmp")
    partial.write_text(render_html(data, provenance(warehouse)), encoding="utf-8")
    partial.replace(target)
    return target
