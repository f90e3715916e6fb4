"""`lead-funnel`: the project's command line.

lead-funnel generate --leads N --seed S --out DIR   write the raw-data contract with synthetic data
lead-funnel generate --dirty KIND|all --out DIR     corrupted copies of a clean set (docs/bad_inputs.md)
lead-funnel validate [--raw-dir DIR]                expectation suites on the raw files, report, Data Docs
lead-funnel build [--raw-dir DIR]                   validate, dbt build into a new file, publish if tests pass
lead-funnel run                                     generate the demo data if absent, validate, build, report
lead-funnel mapping --raw-dir DIR [--apply STUB]    the seed rows a delivery's unmapped values need
lead-funnel report [--warehouse PATH] [--out PATH]  the self-contained HTML funnel report (docs/report.md)
lead-funnel metrics --metrics M --group-by G        MetricFlow query of the served file (read-only bi target)
lead-funnel ci-slim [--state DIR]                   build state:modified+ deferring to the last build
lead-funnel contract-docs                           re-render the files mirrored from the contract
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from lead_funnel.paths import default_raw_dir, default_warehouse
from lead_funnel.quality.dirty import KINDS as DIRTY_KINDS

console = Console(stderr=False)

DEMO_LEADS = 20_000
DEMO_SEED = 42


def _file_option(name: str, help_text: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """An optional file path option (a file, not a folder; None when not given)."""
    return click.option(name, type=click.Path(dir_okay=False, path_type=Path), default=None, help=help_text)


def _project_dir_option(help_text: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """--project-dir: an existing dbt project folder (None: this one)."""
    return click.option(
        "--project-dir",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=None,
        help=help_text,
    )


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar driven by (label, done, total) callbacks."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        tasks: dict[str, int] = {}

        def update(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(label, total=total)
            progress.update(tasks[label], completed=done, total=total)

        yield update


def _generate(leads: int, seed: int, out: Path, start: date, days: int, vocabulary: str) -> dict[str, int]:
    from lead_funnel.generator import GeneratorParams, generate

    params = GeneratorParams(n_leads=leads, seed=seed, start_date=start, days=days, crm_vocabulary=vocabulary)
    with _progress() as update:
        return generate(params, out, progress=update)


@click.group()
@click.version_option(package_name="lead_funnel")
def main() -> None:
    """lead_funnel: lead-lifecycle analytics on dbt + DuckDB."""


@main.command("generate")
@click.option("--leads", type=click.IntRange(min=1), default=DEMO_LEADS, show_default=True)
@click.option("--seed", type=int, default=DEMO_SEED, show_default=True)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Default: the raw dir."
)
@click.option("--start-date", type=click.DateTime(["%Y-%m-%d"]), default="2025-10-01", show_default=True)
@click.option("--days", type=click.IntRange(min=7), default=365, show_default=True)
@click.option(
    "--crm-vocabulary",
    type=click.Choice(["salesforce", "hubspot", "marketo"]),
    default="salesforce",
    show_default=True,
    help="Status names the synthetic CRM uses (dbt var crm_source_system must match).",
)
@click.option(
    "--dirty",
    multiple=True,
    type=click.Choice([*DIRTY_KINDS, "all"]),
    help="Write a corrupted copy of a clean data set instead (repeatable; 'all': one folder per kind).",
)
@click.option(
    "--clean-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="With --dirty: corrupt a copy of this clean data set (default: generate one).",
)
def generate_cmd(
    leads: int,
    seed: int,
    out: Path | None,
    start_date: object,
    days: int,
    crm_vocabulary: str,
    dirty: tuple[str, ...],
    clean_dir: Path | None,
) -> None:
    """Write every raw table of the contract as Parquet, deterministic for a seed."""
    out_dir = out or default_raw_dir()
    start = start_date.date() if hasattr(start_date, "date") else start_date  # type: ignore[union-attr]
    if dirty:
        from lead_funnel.quality.dirty import generate_dirty

        def make_clean(path: Path) -> None:
            _generate(leads, seed, path, start, days, crm_vocabulary)  # type: ignore[arg-type]

        for folder in generate_dirty(out_dir, dirty, clean_dir, make_clean):
            console.print(f"wrote dirty data set {folder}")
        return
    counts = _generate(leads, seed, out_dir, start, days, crm_vocabulary)  # type: ignore[arg-type]
    console.print(f"wrote {sum(counts.values()):,} rows in {len(counts)} tables to {out_dir}")


def _build(
    raw_dir: Path,
    warehouse: Path,
    select: tuple[str, ...] = (),
    crm_vocabulary: str | None = None,
    full_refresh: bool = False,
    dbt_vars: str | None = None,
    keep_failed: bool = False,
    lock_timeout: float | None = None,
) -> bool:
    from lead_funnel.publish import PublishError, build_and_publish
    from lead_funnel.quality.quarantine import print_quarantine_summary
    from lead_funnel.quality.run import raw_format_env
    from lead_funnel.raw_files import count_rows
    from lead_funnel.summary import print_summary

    fmt_env = raw_format_env(raw_dir)
    fmt = next(iter(fmt_env.values()))
    args = ["build"]
    if select:
        args += ["--select", *select]
    if full_refresh:
        args.append("--full-refresh")
    build_vars = _merged_vars(dbt_vars, crm_vocabulary)
    if build_vars:
        args += ["--vars", build_vars]
    console.print(f"dbt build: raw data {raw_dir} -> {warehouse} (write-audit-publish)")
    try:
        published = build_and_publish(
            raw_dir,
            warehouse,
            args,
            extra_env=fmt_env,
            keep_failed=True,
            lock_timeout=lock_timeout,
            notify=lambda line: console.print(f"[yellow]{line}[/yellow]", soft_wrap=True, highlight=False),
        )
    except PublishError as exc:
        console.print(f"[red]not published[/red]: {exc}", soft_wrap=True, highlight=False)
        return False
    outcome = published.outcome
    # Quarantined rows stay in the build (the served file holds only their counts).
    built = published.build if published.published else published.failed_copy
    print_summary(console, count_rows(raw_dir, fmt), outcome, warehouse)
    if built is not None:
        print_quarantine_summary(console, built)
        _print_cascades(built)
    if published.published:
        console.print(f"[green]published[/green] {warehouse}", soft_wrap=True)
    else:
        kept = f"; the failed build is in {published.failed_copy}" if published.failed_copy else ""
        console.print(f"[red]not published[/red]: {warehouse} is unchanged{kept}", soft_wrap=True)
        _print_failures(outcome, built)
        if published.failed_copy is not None and not keep_failed:
            from lead_funnel.publish import remove_database

            remove_database(published.failed_copy)
            console.print(f"removed {published.failed_copy} (--keep-failed keeps it)", soft_wrap=True)
    if outcome.exception is not None:
        console.print(f"[red]{outcome.exception}[/red]")
    return outcome.success


def _merged_vars(dbt_vars: str | None, crm_vocabulary: str | None) -> str | None:
    """--vars text (YAML) with crm_source_system added when --crm-vocabulary is given."""
    import yaml

    values = yaml.safe_load(dbt_vars) if dbt_vars else {}
    if not isinstance(values, dict):
        raise click.BadParameter("--vars takes a YAML mapping, e.g. '{kpi_as_of: \"2026-06-01 00:00:00\"}'")
    if crm_vocabulary:
        values["crm_source_system"] = crm_vocabulary
    return yaml.safe_dump(values, default_flow_style=True).strip() if values else None


def _print_cascades(warehouse: Path) -> None:
    from lead_funnel.quality.explain import quarantine_cascades

    for cascade in quarantine_cascades(warehouse):
        if cascade.children:
            console.print(f"[yellow]cascade[/yellow] {cascade.line()}", soft_wrap=True, highlight=False)


def _print_failures(outcome: object, warehouse: Path | None) -> None:
    from rich.markup import escape

    from lead_funnel.quality.explain import explain_failures

    nodes = getattr(outcome, "failed_nodes", [])
    for sentence, rows in explain_failures(nodes, warehouse) if warehouse else []:
        console.print(f"[red]failed[/red]: {escape(sentence)}", soft_wrap=True, highlight=False)
        for row in rows:
            text = ", ".join(f"{k}={v!r}" for k, v in row.items())
            console.print(f"    e.g. {escape(text)}", soft_wrap=True, highlight=False)


@main.command("build")
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--warehouse", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--select", "-s", multiple=True, help="dbt selection (default: everything).")
@click.option("--crm-vocabulary", type=click.Choice(["salesforce", "hubspot", "marketo"]), default=None)
@click.option("--skip-validate", is_flag=True, help="Build without validating the raw files first.")
@click.option("--full-refresh", is_flag=True, help="Rebuild incremental models from every raw row.")
@click.option("--vars", "dbt_vars", default=None, help="dbt vars as YAML, e.g. '{kpi_as_of: 2026-06-01}'.")
@click.option(
    "--keep-failed",
    is_flag=True,
    help="Keep a failed build to inspect (build/failed/ beside the served file).",
)
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds to wait for a concurrent build's lock before giving up (default: wait).",
)
def build_cmd(
    raw_dir: Path | None,
    warehouse: Path | None,
    select: tuple[str, ...],
    crm_vocabulary: str | None,
    skip_validate: bool,
    full_refresh: bool,
    dbt_vars: str | None,
    keep_failed: bool,
    lock_timeout: float | None,
) -> None:
    """Validate the raw files, then dbt build (seeds, models, snapshots, tests) and publish."""
    raw = raw_dir or default_raw_dir()
    if not skip_validate and not _validate(raw, crm_vocabulary=crm_vocabulary):
        sys.exit(1)
    ok = _build(
        raw,
        warehouse or default_warehouse(),
        select,
        crm_vocabulary,
        full_refresh,
        dbt_vars,
        keep_failed=keep_failed,
        lock_timeout=lock_timeout,
    )
    sys.exit(0 if ok else 1)


def _validate(
    raw_dir: Path,
    docs_dir: Path | None = None,
    crm_vocabulary: str | None = None,
    chunk_rows: int | None = None,
) -> bool:
    """Validate the raw files and print the report; False when an error blocks the build."""
    from lead_funnel.quality.report import print_report
    from lead_funnel.quality.run import run_validation
    from lead_funnel.quality.settings import DEFAULT_CHUNK_ROWS

    with _progress() as update:
        report = run_validation(
            raw_dir,
            docs_dir,
            crm_vocabulary=crm_vocabulary,
            chunk_rows=chunk_rows or DEFAULT_CHUNK_ROWS,
            progress=update,
        )
    print_report(console, report)
    return report.ok


@main.command("validate")
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option(
    "--docs-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where GX Data Docs are written (default: warehouse/data_docs).",
)
@click.option("--crm-vocabulary", type=click.Choice(["salesforce", "hubspot", "marketo"]), default=None)
@click.option(
    "--chunk-rows",
    type=click.IntRange(min=1000),
    default=None,
    help="Rows per pandas batch handed to Great Expectations (default 500,000): bounds memory.",
)
def validate_cmd(
    raw_dir: Path | None, docs_dir: Path | None, crm_vocabulary: str | None, chunk_rows: int | None
) -> None:
    """Run the expectation suites on every raw file; exit 1 on any error."""
    sys.exit(0 if _validate(raw_dir or default_raw_dir(), docs_dir, crm_vocabulary, chunk_rows) else 1)


def _report(warehouse: Path, out: Path | None) -> Path | None:
    """Write the HTML report of a built warehouse and print its path (None when it failed)."""
    import duckdb

    from lead_funnel.report import write_report

    try:
        path = write_report(warehouse, out)
    except (FileNotFoundError, duckdb.Error) as exc:
        console.print(f"[red]report not written[/red]: {exc}", soft_wrap=True)
        return None
    console.print(f"report: {path}", soft_wrap=True, markup=False, highlight=False)
    return path


@main.command("report")
@_file_option(
    "--warehouse", "The built DuckDB file (default: the serving warehouse, warehouse/lead_funnel.duckdb)."
)
@_file_option(
    "--out", "Where the HTML goes (default: report/lead_funnel_report.html beside the warehouse file)."
)
def report_cmd(warehouse: Path | None, out: Path | None) -> None:
    """Write the self-contained HTML funnel report (one file, works offline) and print its path."""
    sys.exit(0 if _report(warehouse or default_warehouse(), out) else 1)


def _csv_list(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


@main.command("metrics")
@click.option("--metrics", "metric_names", multiple=True, help="Metrics (comma-separated or repeated).")
@click.option("--group-by", "group_by", multiple=True, help="e.g. channel,metric_time__month.")
@click.option("--order", multiple=True, help="Order (default: the group-bys); -name for descending.")
@click.option("--where", multiple=True, help="MetricFlow filter (--where of mf query).")
@click.option("--saved-query", default=None, help="A saved query (models/marts/semantic/).")
@click.option(
    "--export",
    "export_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write every saved query (or --saved-query) to DIR/<name>.csv, all in one engine.",
)
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@_file_option(
    "--warehouse",
    "The served DuckDB file (default: $LEAD_FUNNEL_SERVING_PATH, else warehouse/lead_funnel.duckdb).",
)
@_project_dir_option("The dbt project (default: this one); its target/ receives the semantic manifest.")
def metrics_cmd(
    metric_names: tuple[str, ...],
    group_by: tuple[str, ...],
    order: tuple[str, ...],
    where: tuple[str, ...],
    saved_query: str | None,
    export_dir: Path | None,
    csv_path: Path | None,
    warehouse: Path | None,
    project_dir: Path | None,
) -> None:
    """Query the semantic layer (MetricFlow `mf query`) on the served file, read-only, rows ordered."""
    from lead_funnel.paths import PROJECT_DIR
    from lead_funnel.semantic import mf_query_args, parse_semantic_manifest, run_mf, serving_path

    serving = warehouse or serving_path()
    if not serving.exists():
        console.print(f"[red]no served warehouse at {serving}[/red]: run `make run` first", soft_wrap=True)
        sys.exit(1)
    if not metric_names and not saved_query and export_dir is None:
        raise click.UsageError("give --metrics, --saved-query or --export")
    project = (project_dir or PROJECT_DIR).resolve()
    parsed = parse_semantic_manifest(serving, project)
    if not parsed.success:
        console.print(f"[red]dbt parse failed[/red]: {parsed.exception or parsed.failures}", soft_wrap=True)
        sys.exit(1)
    if export_dir is not None:
        from lead_funnel.semantic import export_saved_queries

        names = [saved_query] if saved_query else []
        for name, path in export_saved_queries(serving, export_dir, names, project).items():
            console.print(f"{name}: {path}", soft_wrap=True, markup=False, highlight=False)
        return
    args = mf_query_args(
        _csv_list(metric_names), _csv_list(group_by), _csv_list(order), where, saved_query, csv_path
    )
    sys.exit(run_mf(args, serving, project).returncode)


@main.command("run")
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--leads", type=click.IntRange(min=1), default=DEMO_LEADS, show_default=True)
@click.option("--seed", type=int, default=DEMO_SEED, show_default=True)
@click.option("--crm-vocabulary", type=click.Choice(["salesforce", "hubspot", "marketo"]), default=None)
def run_cmd(raw_dir: Path | None, leads: int, seed: int, crm_vocabulary: str | None) -> None:
    """The main job: demo data if the folder holds no raw file, validate, build, write the report."""
    from lead_funnel.raw_files import has_any_raw_file

    raw = raw_dir or default_raw_dir()
    if not has_any_raw_file(raw):
        if raw_dir is not None:
            console.print(f"[red]{raw} holds no raw file of the contract[/red] (docs/raw_data_contract.md)")
            sys.exit(1)
        console.print(f"no demo data in {raw}: generating {leads:,} leads (seed {seed})")
        _generate(leads, seed, raw, date(2025, 10, 1), 365, crm_vocabulary or "salesforce")
    else:
        console.print(f"using raw data in {raw}")
    if not _validate(raw, crm_vocabulary=crm_vocabulary):
        sys.exit(1)
    warehouse = default_warehouse()
    if not _build(raw, warehouse, (), crm_vocabulary):
        sys.exit(1)
    sys.exit(0 if _report(warehouse, None) else 1)


@main.command("mapping")
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@_file_option(
    "--out", "Where the stub goes (default: <raw-dir>/../mapping_stub.csv; the raw folder is never written)."
)
@click.option(
    "--apply",
    "apply_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Append the filled rows of a stub to the seeds (seeds/vocabularies/).",
)
@click.option("--crm-vocabulary", type=click.Choice(["salesforce", "hubspot", "marketo"]), default=None)
def mapping_cmd(
    raw_dir: Path | None, out: Path | None, apply_file: Path | None, crm_vocabulary: str | None
) -> None:
    """Write the seed rows a delivery's unmapped values need (a CSV stub), or apply a filled stub."""
    from lead_funnel.mapping import StubError, apply_stub, stub_rows, write_stub
    from lead_funnel.paths import SEEDS_DIR
    from lead_funnel.quality.settings import load_settings

    settings = load_settings(crm_source_system=crm_vocabulary)
    if apply_file is not None:
        try:
            added = apply_stub(apply_file, SEEDS_DIR, settings)
        except StubError as exc:
            console.print(f"[red]{exc}[/red]", soft_wrap=True)
            sys.exit(1)
        for seed_file, n in added.items():
            console.print(f"added {n} row(s) to {seed_file}", soft_wrap=True)
        return
    raw = (raw_dir or default_raw_dir()).resolve()
    rows = stub_rows(raw, settings)
    if not rows:
        console.print(f"every value in {raw} is mapped by the seeds: nothing to add")
        return
    path = write_stub(rows, out or raw.parent / "mapping_stub.csv")
    console.print(
        f"wrote {len(rows)} unmapped value(s) to {path}: fill in the value column (one of allowed_values), "
        f"then run `lead-funnel mapping --apply {path}` and rebuild",
        soft_wrap=True,
    )


@main.command("ci-slim")
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option(
    "--state",
    "state_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the last published manifest.json (default: warehouse/build/manifest).",
)
@_file_option(
    "--defer-warehouse",
    "The full build other refs resolve to (default: warehouse/build/lead_funnel.duckdb, dev target).",
)
@_file_option(
    "--ci-warehouse", "Scratch file for the changed models (default: warehouse/ci/lead_funnel_ci.duckdb)."
)
@_project_dir_option("The dbt project with the change (default: this one).")
def ci_slim_cmd(
    raw_dir: Path | None,
    state_dir: Path | None,
    defer_warehouse: Path | None,
    ci_warehouse: Path | None,
    project_dir: Path | None,
) -> None:
    """Slim CI: dbt build --select state:modified+ --defer against the last published manifest."""
    from lead_funnel import ci
    from lead_funnel.paths import PROJECT_DIR

    state = (state_dir or ci.DEFAULT_STATE_DIR).resolve()
    try:
        result = ci.slim_ci(
            (raw_dir or default_raw_dir()).resolve(),
            state,
            defer_warehouse.resolve() if defer_warehouse else None,
            (ci_warehouse or ci.DEFAULT_CI_WAREHOUSE).resolve(),
            project_dir=(project_dir or PROJECT_DIR).resolve(),
        )
    except ci.CiError as exc:
        console.print(f"[red]ci-slim[/red]: {exc}", soft_wrap=True, highlight=False)
        sys.exit(1)
    if result.baseline_created:
        console.print(
            f"no published manifest in {state}: saved the project as it stands as the baseline "
            "(nothing differs from it yet; changes from now on are built)",
            soft_wrap=True,
        )
    outcome = result.outcome
    built = outcome.count("model") + outcome.count("seed") + outcome.count("snapshot")
    tested = outcome.count("test") + outcome.count("unit_test")
    console.print(
        f"ci-slim: {built} node(s) built, {tested} test(s) run in {result.ci_warehouse}", soft_wrap=True
    )
    for line in outcome.failures:
        console.print(f"[red]failed[/red]: {line}", soft_wrap=True, highlight=False)
    sys.exit(0 if outcome.success else 1)


@main.command("contract-docs")
def contract_docs_cmd() -> None:
    """Re-render docs/raw_data_contract.md, the sources YAML, the accepted-values macro and
    docs/bad_inputs.md (from the catalogue of bad inputs)."""
    from lead_funnel.contract_render import write_rendered_files

    for path in write_rendered_files():
        console.print(f"wrote {path}")


if __name__ == "__main__":
    main()
