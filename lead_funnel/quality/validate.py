"""Validate a landing folder against the expectation suites and write GX Data Docs.

Great Expectations runs on pandas batches read with DuckDB (the GX SQL datasource via
duckdb-engine is broken here). Row batches are streamed in chunks of ``chunk_rows`` rows, so
memory stays bounded at any size; every row expectation is a per-row (map) expectation, so the
counts of failing rows add up exactly across chunks. The chunk results are folded into one
validation result per suite, which is what the report and the Data Docs show.
"""

from __future__ import annotations

import math
import shutil
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from lead_funnel.contract import TABLES, Table
from lead_funnel.quality.checks import (
    Check,
    Severity,
    file_loaded_at,
    row_checks,
    rows_sql,
    schema_checks,
    volume_checks,
)
from lead_funnel.quality.clock import ClockOffset, clock_offsets
from lead_funnel.quality.data_docs import ValidationEntry, make_offline
from lead_funnel.quality.delivery import (
    Cascade,
    RateGap,
    UnmappedValue,
    cascade_line,
    currency_rate_gaps,
    predict_cascades,
    unmapped_values,
)
from lead_funnel.quality.history import PreviousLoad, previous_load, record_load
from lead_funnel.quality.reader import FileInfo, connect, inspect_file, stream_batches
from lead_funnel.quality.settings import QualitySettings, load_settings, raw_format

MAX_EXAMPLES = 5
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 20, "include_unexpected_rows": True}
DOCS_SITE = "lead_funnel"

Progress = Callable[[str, int, int], None]


@dataclass
class Finding:
    """One failed expectation: what broke, where, how many rows, and a few of them."""

    table: str
    source: str
    severity: Severity
    rule: str
    column: str
    failing: int
    message: str
    examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.source}.{self.table}" + (f".{self.column}" if self.column else "")

    def line(self) -> str:
        """The one-line message a user reads."""
        return f"{self.severity.upper()} {self.where} [{self.rule}]: {self.message}"


@dataclass
class TableResult:
    """The validation of one raw file."""

    table: Table
    file: FileInfo
    findings: list[Finding] = field(default_factory=list)
    row_checks_run: bool = False


@dataclass
class ValidationReport:
    """The validation of a landing folder."""

    raw_dir: Path
    fmt: str
    settings: QualitySettings
    tables: list[TableResult]
    seconds: float = 0.0
    docs_index: Path | None = None
    unmapped: list[UnmappedValue] = field(default_factory=list)
    rate_gaps: list[RateGap] = field(default_factory=list)
    cascades: list[Cascade] = field(default_factory=list)
    clock_offsets: list[ClockOffset] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for t in self.tables for f in t.findings]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "info"]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warn"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def row_counts(self) -> dict[str, int]:
        return {t.table.name: t.file.row_count or 0 for t in self.tables}


# --------------------------------------------------------------------------- Great Expectations


class _Gx:
    """An ephemeral GX context with one pandas datasource and (optionally) a Data Docs site."""

    def __init__(self, docs_dir: Path | None) -> None:
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        sites = {}
        if docs_dir is not None:
            sites[DOCS_SITE] = {
                "class_name": "SiteBuilder",
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
            }
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            data_docs_sites=sites,
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
        )
        self.gx = gx
        self.context = gx.get_context(mode="ephemeral", project_config=config)
        self.datasource = self.context.data_sources.add_pandas("raw")
        self.results: list[Any] = []

    def validate(
        self,
        asset_name: str,
        checks: list[Check],
        frames: Any,
        on_chunk: Callable[[], None],
        data_asset: str | None = None,
    ) -> Any:
        """Validate every frame of ``frames`` against the suite of ``checks``; fold the results.

        ``data_asset`` names what was validated (the raw file) on the Data Docs pages.
        """
        suite = self.gx.ExpectationSuite(name=asset_name)
        for index, check in enumerate(checks):
            check.expectation.meta = {**(check.expectation.meta or {}), "check": index}
            suite.add_expectation(check.expectation)
        suite = self.context.suites.add(suite)
        asset = self.datasource.add_dataframe_asset(asset_name)
        batch_definition = asset.add_batch_definition_whole_dataframe("batch")
        folded = _Fold(checks)
        for frame in frames:
            batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
            with warnings.catch_warnings():
                # GX's pandas metrics call Series.values on tz-aware columns (deprecated in pandas 3.1).
                warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
                folded.add(batch.validate(suite, result_format=RESULT_FORMAT))
            del batch, frame
            self._release_batches()
            on_chunk()
        result = folded.result()
        if result is not None:
            spec = dict(result.meta.get("batch_spec") or {})
            spec["data_asset_name"] = data_asset or asset_name
            result.meta["batch_spec"] = spec
            self.results.append(result)
        return folded

    def _release_batches(self) -> None:
        """Drop the batch GX's execution engine keeps cached (the last frame of every asset, for the
        whole run): without this, memory grows with the number and size of the tables instead of
        staying at one chunk."""
        manager = self.datasource.get_execution_engine().batch_manager
        manager.batch_data_cache.clear()
        manager.reset_batch_cache()

    def build_docs(self, docs_dir: Path, run_name: str) -> Path:
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )

        if docs_dir.exists() and (docs_dir / "index.html").exists():
            shutil.rmtree(docs_dir)
        store = self.context.validation_results_store
        for result in self.results:
            suite_name = result.suite_name
            key = ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite_name),
                run_id=run_name,
                batch_identifier=suite_name,
            )
            store.set(key, result)
        self.context.build_data_docs(site_names=[DOCS_SITE])
        entries = [
            ValidationEntry(
                suite_name=r.suite_name,
                data_asset=str(r.meta["batch_spec"]["data_asset_name"]),
                success=bool(r.success),
                evaluated=int(r.statistics.get("evaluated_expectations") or 0),
                unsuccessful=int(r.statistics.get("unsuccessful_expectations") or 0),
                run_name=run_name,
            )
            for r in self.results
        ]
        return make_offline(docs_dir, entries)


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, pd.Timestamp | datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json_safe(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


class _Fold:
    """Adds up chunk results of a suite of per-row expectations."""

    def __init__(self, checks: list[Check]) -> None:
        self.checks = checks
        self.totals: dict[int, dict[str, Any]] = {}
        self.last: Any = None
        self.rows = 0

    def add(self, suite_result: Any) -> None:
        self.last = suite_result
        for res in suite_result.results:
            index = int(res.expectation_config.meta["check"])
            tally = self.totals.setdefault(
                index,
                {
                    "element_count": 0,
                    "unexpected_count": 0,
                    "missing_count": 0,
                    "partial": [],
                    "rows": [],
                    "success": True,
                    "exception": None,
                    "observed_value": None,
                    "details": None,
                },
            )
            tally["success"] = tally["success"] and bool(res.success)
            info = res.exception_info or {}
            if info.get("raised_exception"):
                tally["exception"] = str(info.get("exception_message"))
            body = res.result or {}
            for key in ("element_count", "unexpected_count", "missing_count"):
                tally[key] += int(body.get(key) or 0)
            if "observed_value" in body:
                tally["observed_value"] = body["observed_value"]
            if "details" in body:
                tally["details"] = body["details"]
            if len(tally["partial"]) < 20:
                tally["partial"] += list(body.get("partial_unexpected_list") or [])[
                    : 20 - len(tally["partial"])
                ]
            rows = body.get("unexpected_rows")
            limit = min(MAX_EXAMPLES, self.checks[index].max_examples)
            if isinstance(rows, pd.DataFrame) and len(tally["rows"]) < limit:
                show = list(dict.fromkeys(c for c in self.checks[index].show if c in rows.columns))
                for record in rows[show].head(limit - len(tally["rows"])).to_dict("records"):
                    tally["rows"].append({k: _json_safe(v) for k, v in record.items()})

    def tally(self, index: int) -> dict[str, Any] | None:
        return self.totals.get(index)

    def result(self) -> Any:
        """The last chunk's suite result with every expectation result replaced by the totals."""
        if self.last is None:
            return None
        for res in self.last.results:
            tally = self.totals[int(res.expectation_config.meta["check"])]
            res.success = tally["success"]
            body = dict(res.result or {})
            body.pop("unexpected_rows", None)
            body.pop("partial_unexpected_index_list", None)
            if "unexpected_count" in body:
                nonmissing = tally["element_count"] - tally["missing_count"]
                body.update(
                    element_count=tally["element_count"],
                    unexpected_count=tally["unexpected_count"],
                    missing_count=tally["missing_count"],
                    unexpected_percent=100 * tally["unexpected_count"] / nonmissing if nonmissing else 0.0,
                    partial_unexpected_list=[_json_safe(v) for v in tally["partial"]],
                )
                body.pop("partial_unexpected_counts", None)
                body.pop("unexpected_percent_total", None)
                body.pop("unexpected_percent_nonmissing", None)
                body.pop("missing_percent", None)
            res.result = body
        successes = sum(1 for r in self.last.results if r.success)
        total = len(self.last.results)
        self.last.success = successes == total
        self.last.statistics = {
            "evaluated_expectations": total,
            "successful_expectations": successes,
            "unsuccessful_expectations": total - successes,
            "success_percent": 100.0 * successes / total if total else 100.0,
        }
        return self.last


# --------------------------------------------------------------------------- findings


def _values(partial: list[Any], limit: int = 3) -> str:
    seen: list[str] = []
    for value in partial:
        text = repr(_json_safe(value))
        if text not in seen:
            seen.append(text)
        if len(seen) == limit:
            break
    return "e.g. " + ", ".join(seen) if seen else "no examples"


def _schema_findings(table: Table, info: FileInfo, checks: list[Check], fold: _Fold) -> list[Finding]:
    findings: list[Finding] = []
    missing_required = [c for c in table.required_columns if c not in info.columns]
    missing_optional = [c for c in table.column_names if c not in info.columns and c not in missing_required]
    unexpected = [c for c in info.columns if c not in table.column_names]
    for index, check in enumerate(checks):
        tally = fold.tally(index)
        if tally is None or tally["success"]:
            continue
        if check.rule == "columns present":
            message = (
                f"missing required column(s) {', '.join(missing_required)} in {info.path.name}: "
                "staging would quarantine every row"
            )
            if unexpected:
                message += f"; the file has unexpected column(s) {', '.join(unexpected[:5])}: renamed?"
            findings.append(
                Finding(
                    table.name,
                    table.source,
                    "error",
                    check.rule,
                    ", ".join(missing_required),
                    len(missing_required),
                    message,
                )
            )
        elif check.rule == "column type":
            logical = table.column(check.column).type
            findings.append(
                Finding(
                    table.name,
                    table.source,
                    "error",
                    check.rule,
                    check.column,
                    1,
                    f"{check.column} has type {info.columns[check.column]} in {info.path.name}; "
                    f"{check.message}",
                    examples=[
                        {"column": check.column, "found": info.columns[check.column], "expected": logical}
                    ],
                )
            )
    if unexpected and not missing_required:
        findings.append(
            Finding(
                table.name,
                table.source,
                "warn",
                "no unexpected columns",
                ", ".join(unexpected),
                len(unexpected),
                f"column(s) outside the contract: {', '.join(unexpected)}; staging ignores them",
            )
        )
    if "loaded_at" in missing_optional and table.is_event_table:
        findings.append(
            Finding(
                table.name,
                table.source,
                "warn",
                "loaded_at from the file",
                "loaded_at",
                0,
                f"{info.path.name} has no loaded_at: staging uses the file's modification time "
                f"({file_loaded_at(info):%Y-%m-%d %H:%M:%S} UTC) as every row's load time (recorded in "
                "quality.raw_deliveries)",
            )
        )
        missing_optional.remove("loaded_at")
    if missing_optional:
        findings.append(
            Finding(
                table.name,
                table.source,
                "info",
                "optional columns not delivered",
                ", ".join(missing_optional),
                len(missing_optional),
                f"optional column(s) not in {info.path.name}: {', '.join(missing_optional)}; staging fills "
                "them with null",
            )
        )
    return findings


def not_provided_finding(table: Table, info: FileInfo) -> Finding:
    """An absent or empty table: the marts that depend on it build empty (never an error)."""
    how = f"absent from {info.path.parent}{info.note}" if info.absent else f"{info.path.name} has no rows"
    marts = "; ".join(table.feeds) or "none"
    if table.required:
        message = (
            f"not provided ({how}): required for {table.needed_for}, so these marts will be empty: {marts}"
        )
        return Finding(table.name, table.source, "warn", "not provided", "", 0, message)
    message = f"not provided ({how}): these marts will be empty: {marts}"
    return Finding(table.name, table.source, "info", "not provided", "", 0, message)


def _volume_findings(
    table: Table, info: FileInfo, checks: list[Check], fold: _Fold, previous: PreviousLoad | None
) -> list[Finding]:
    findings = []
    rows = info.row_count or 0
    prev = previous.row_counts.get(table.name) if previous else None
    for index, check in enumerate(checks):
        tally = fold.tally(index)
        if tally is None or tally["success"]:
            continue
        ratio = rows / prev if prev else 0.0
        message = (
            f"{rows:,} rows is {ratio:.0%} of the previous load ({prev:,} rows, validated "
            f"{previous.validated_at if previous else '?'}): {check.message}"
        )
        findings.append(Finding(table.name, table.source, check.severity, check.rule, "", rows, message))
    return findings


def _row_findings(table: Table, checks: list[Check], fold: _Fold, total: int) -> list[Finding]:
    findings = []
    for index, check in enumerate(checks):
        tally = fold.tally(index)
        if tally is None or tally["success"]:
            continue
        if tally["exception"]:
            message = f"could not evaluate: {tally['exception']}"
            failing = 0
        else:
            failing = tally["unexpected_count"]
            message = check.message.format(
                failing=f"{failing:,}", total=f"{total:,}", values=_values(tally["partial"])
            )
        findings.append(
            Finding(
                table.name,
                table.source,
                check.severity,
                check.rule,
                check.column,
                failing,
                message,
                tally["rows"],
            )
        )
    return findings


# --------------------------------------------------------------------------- the run


def _validate_table(
    gx: _Gx,
    con: Any,
    table: Table,
    files: dict[str, FileInfo],
    settings: QualitySettings,
    previous: PreviousLoad | None,
    progress: Progress | None,
) -> TableResult:
    info = files[table.name]
    result = TableResult(table=table, file=info)
    prev = previous.row_counts.get(table.name) if previous else None
    if info.absent:
        result.findings.append(not_provided_finding(table, info))
        if prev:
            result.findings.append(
                Finding(
                    table.name,
                    table.source,
                    "warn",
                    "volume vs previous load",
                    "",
                    0,
                    f"the previous load of this folder had {prev:,} rows of {table.name}; "
                    "this one has no file",
                )
            )
        return result
    if info.error is not None:
        result.findings.append(
            Finding(
                table.name, table.source, "error", "readable file", "", 0, f"{info.path.name} {info.error}"
            )
        )
    # Schema: a one-row frame whose columns are the file's columns, valued with their types.
    s_checks = schema_checks(table, info)
    schema_frame = pd.DataFrame([info.columns]) if info.columns else pd.DataFrame(index=[0])
    asset = f"{table.source}.{table.name} ({info.path.name})"
    fold = gx.validate(f"{table.name}.schema", s_checks, [schema_frame], lambda: None, asset)
    if info.error is not None:
        return result  # the read error says it all
    result.findings += _schema_findings(table, info, s_checks, fold)
    rows = info.row_count or 0
    if rows == 0:
        result.findings.append(not_provided_finding(table, info))
    # Volume: the row count, and its ratio to the previous validated load.
    v_checks = volume_checks(prev, settings)
    volume_frame = pd.DataFrame(
        [{"row_count": rows, "previous_row_count": prev, "ratio_to_previous": rows / prev if prev else None}]
    )
    fold = gx.validate(f"{table.name}.volume", v_checks, [volume_frame], lambda: None, asset)
    result.findings += _volume_findings(table, info, v_checks, fold, previous)
    if any(f.severity == "error" for f in result.findings):
        return result  # structurally broken: row checks would only repeat the problem
    # Rows: streamed in chunks through one DuckDB query with the derived columns.
    checks = row_checks(table, files, settings)
    sql = rows_sql(info, checks)
    label = f"validate {table.source}.{table.name}"
    n_chunks = max(1, math.ceil(rows / settings.chunk_rows))
    done = 0

    def on_chunk() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(label, done, n_chunks)

    frames: Any = stream_batches(con, sql, settings.chunk_rows)
    if rows == 0:
        frames = [con.sql(f"select * from ({sql}) as q limit 0").df()]
    fold = gx.validate(table.name, checks, frames, on_chunk, asset)
    result.findings += _row_findings(table, checks, fold, rows)
    result.row_checks_run = True
    return result


def _delivery_findings(report: ValidationReport) -> None:
    """Report-level lines: the cascades, the currencies without a rate, the tables whose clock
    looks local (the unmapped values have their own block in the report)."""
    by_name = {t.table.name: t for t in report.tables}
    for offset in report.clock_offsets:
        if offset.table in by_name:
            by_name[offset.table].findings.append(
                Finding(
                    offset.table,
                    by_name[offset.table].table.source,
                    "error",
                    "naive local time",
                    offset.column,
                    offset.rows,
                    offset.message(),
                )
            )
    for cascade in report.cascades:
        if cascade.table.name in by_name:
            by_name[cascade.table.name].findings.append(
                Finding(
                    cascade.table.name,
                    cascade.table.source,
                    "warn",
                    "quarantine cascade",
                    ", ".join(r.removeprefix("null ") for r in cascade.reasons),
                    cascade.rows + cascade.child_rows,
                    cascade_line(cascade),
                )
            )
    for gap in report.rate_gaps:
        if "opportunities" in by_name:
            months = ", ".join(gap.months[:6]) + (
                f" and {len(gap.months) - 6} more" if len(gap.months) > 6 else ""
            )
            by_name["opportunities"].findings.append(
                Finding(
                    "opportunities",
                    "crm",
                    "warn",
                    "currency without a rate",
                    "currency",
                    gap.rows,
                    f"{gap.rows:,} deals in {gap.currency} ({months}) have no USD rate in "
                    "seeds/vocabularies/currency_usd_rates.csv: their amount_usd is null (never 0) and the "
                    "marts "
                    "count them in *_unconverted_count; add the months' rates",
                )
            )


def validate_raw(
    raw_dir: Path,
    settings: QualitySettings | None = None,
    docs_dir: Path | None = None,
    history_file: Path | None = None,
    progress: Progress | None = None,
    tables: tuple[str, ...] | None = None,
) -> ValidationReport:
    """Run every expectation suite on the raw files of ``raw_dir``.

    Writes Data Docs to ``docs_dir`` (if given) and, when nothing blocks, records the row counts
    in ``history_file`` (if given) as the baseline for the next load's volume checks.
    """
    started = time.perf_counter()
    settings = settings or load_settings()
    raw_dir = raw_dir.resolve()
    fmt = raw_format(raw_dir)
    con = connect(settings)
    try:
        files = {t.name: inspect_file(con, t, raw_dir, fmt) for t in TABLES}
        previous = previous_load(history_file, raw_dir)
        gx = _Gx(docs_dir)
        results = [
            _validate_table(gx, con, t, files, settings, previous, progress)
            for t in TABLES
            if tables is None or t.name in tables
        ]
        report = ValidationReport(raw_dir=raw_dir, fmt=fmt, settings=settings, tables=results)
        readable = {name: info for name, info in files.items() if info.readable}
        report.unmapped = [
            u for u in unmapped_values(con, readable, settings) if tables is None or u.table in tables
        ]
        report.rate_gaps = currency_rate_gaps(con, readable, settings)
        report.cascades = predict_cascades(con, readable)
        report.clock_offsets = [
            o for o in clock_offsets(con, readable) if tables is None or o.table in tables
        ]
        _delivery_findings(report)
        if not any(info.readable for info in files.values()):
            results[0].findings.append(
                Finding(
                    results[0].table.name,
                    results[0].table.source,
                    "error",
                    "nothing delivered",
                    "",
                    0,
                    f"{raw_dir} holds no raw file of the contract ({fmt}): nothing to build",
                )
            )
    finally:
        con.close()
    if docs_dir is not None:
        report.docs_index = gx.build_docs(docs_dir, settings.now.strftime("%Y%m%dT%H%M%SZ"))
    if history_file is not None and report.ok and tables is None:
        record_load(history_file, raw_dir, settings.now, report.row_counts())
    report.seconds = time.perf_counter() - started
    return report
