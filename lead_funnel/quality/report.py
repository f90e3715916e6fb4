"""The concise per-source validation report printed by ``lead-funnel validate``."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

from lead_funnel.quality.validate import Finding, ValidationReport


def _example(row: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in row.items())


def _print_finding(console: Console, finding: Finding) -> None:
    style = "red" if finding.severity == "error" else "yellow"
    console.print(
        f"  [{style}]{finding.severity.upper():5}[/{style}] {escape(finding.where)} "
        f"[bold]\\[{escape(finding.rule)}][/bold] {escape(finding.message)}",
        soft_wrap=True,
        highlight=False,
    )
    for row in finding.examples:
        console.print(f"        e.g. {escape(_example(row))}", soft_wrap=True, highlight=False)


def print_report(console: Console, report: ValidationReport) -> None:
    """Per source table: rule, column, failing count, up to 5 example rows; then the verdict."""
    console.print(
        f"validate {report.raw_dir} ({report.fmt}, {len(report.tables)} tables) in {report.seconds:.1f}s",
        soft_wrap=True,
        highlight=False,
    )
    clean = []
    for result in report.tables:
        if not result.findings:
            clean.append(result.table.name)
            continue
        rows = f"{result.file.row_count:,} rows" if result.file.row_count is not None else "unreadable"
        console.print(
            f"[bold]{result.table.source}.{result.table.name}[/bold] ({result.file.path.name}, {rows})",
            soft_wrap=True,
            highlight=False,
        )
        for finding in sorted(result.findings, key=lambda f: (f.severity != "error", f.rule, f.column)):
            _print_finding(console, finding)
    if clean:
        console.print(f"passed every check: {', '.join(clean)}", soft_wrap=True, highlight=False)
    if report.docs_index is not None:
        console.print(f"Data Docs: {report.docs_index}", soft_wrap=True, highlight=False)
    n_err, n_warn = len(report.errors), len(report.warnings)
    if n_err:
        console.print(
            f"[red]validation failed: {n_err} error(s), {n_warn} warning(s); the build is blocked[/red]",
            soft_wrap=True,
        )
    else:
        console.print(f"[green]validation passed[/green] with {n_warn} warning(s)", soft_wrap=True)
