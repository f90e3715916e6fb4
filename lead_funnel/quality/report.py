"""The concise per-source validation report printed by ``lead-funnel validate``."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

from lead_funnel.quality.delivery import MAX_LISTED_VALUES, seed_row_hint
from lead_funnel.quality.validate import Finding, ValidationReport

STYLES = {"error": "red", "warn": "yellow", "info": "cyan"}


def _example(row: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in row.items())


def _print_finding(console: Console, finding: Finding) -> None:
    style = STYLES[finding.severity]
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
        if result.file.absent:
            rows = "not delivered"
        elif result.file.row_count is not None:
            rows = f"{result.file.row_count:,} rows"
        else:
            rows = "unreadable"
        console.print(
            f"[bold]{result.table.source}.{result.table.name}[/bold] ({result.file.path.name}, {rows})",
            soft_wrap=True,
            highlight=False,
        )
        order = {"error": 0, "warn": 1, "info": 2}
        for finding in sorted(result.findings, key=lambda f: (order[f.severity], f.rule, f.column)):
            _print_finding(console, finding)
    _print_unmapped(console, report)
    if clean:
        console.print(f"passed every check: {', '.join(clean)}", soft_wrap=True, highlight=False)
    if report.docs_index is not None:
        console.print(f"Data Docs: {report.docs_index}", soft_wrap=True, highlight=False)
    n_err, n_warn, n_info = len(report.errors), len(report.warnings), len(report.infos)
    if n_err:
        console.print(
            f"[red]validation failed: {n_err} error(s), {n_warn} warning(s); the build is blocked[/red]",
            soft_wrap=True,
        )
    else:
        console.print(
            f"[green]validation passed[/green] with {n_warn} warning(s) and {n_info} note(s)", soft_wrap=True
        )


def _print_unmapped(console: Console, report: ValidationReport) -> None:
    """Every value no seed row maps, with its count, and the seed rows to add."""
    if not report.unmapped:
        return
    from lead_funnel.contract import VOCABULARIES

    console.print(
        f"[bold]unmapped values[/bold]: {len(report.unmapped)} value(s) no seed row maps; staging keeps them "
        "as given and maps them to 'unmapped'. `lead-funnel mapping --raw-dir DIR` writes these rows as a "
        "stub.",
        soft_wrap=True,
        highlight=False,
    )
    groups: dict[tuple[str, str], list] = {}
    for item in report.unmapped:
        groups.setdefault((item.table, item.column), []).append(item)
    for (table, column), items in groups.items():
        vocab = VOCABULARIES[items[0].vocabulary]
        counts = ", ".join(f"{i.value!r} ({i.rows:,})" for i in items[:MAX_LISTED_VALUES])
        more = f" and {len(items) - MAX_LISTED_VALUES} more" if len(items) > MAX_LISTED_VALUES else ""
        console.print(
            f"  {escape(table)}.{escape(column)}: {escape(counts)}{more}; "
            f"add to seeds/vocabularies/{vocab.seed}.csv:",
            soft_wrap=True,
            highlight=False,
        )
        for item in items[:MAX_LISTED_VALUES]:
            console.print(
                f"        {escape(seed_row_hint(item, report.settings))}", soft_wrap=True, highlight=False
            )
