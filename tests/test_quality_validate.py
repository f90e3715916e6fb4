"""The expectation suites: the clean fixture passes, every catalogued bad input is caught with its message."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from lead_funnel.cli import main
from lead_funnel.contract import TABLES
from lead_funnel.quality.dirty import CATALOGUE, KINDS, write_dirty
from lead_funnel.quality.history import record_load
from lead_funnel.quality.settings import load_settings
from lead_funnel.quality.validate import ValidationReport, validate_raw

# Tables whose checks a kind is about (the other files are still read for foreign keys).
EXTRA_TABLES = {
    "unknown_stage_values": ("opportunities",),
    "backward_stage_moves": ("lead_status_changes",),
}


@pytest.fixture(scope="module")
def clean_report(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[ValidationReport, Path]:
    docs = tmp_path_factory.mktemp("docs") / "data_docs"
    return validate_raw(raw_dir, docs_dir=docs), docs


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


def test_clean_fixture_passes_every_blocking_check(clean_report) -> None:
    report, _ = clean_report
    assert report.ok, "\n".join(f.line() for f in report.errors)
    assert {t.table.name for t in report.tables} == {t.name for t in TABLES}
    assert all(t.row_checks_run for t in report.tables)
    # the generator re-delivers some events: reported, never blocking
    assert all(f.rule == "event delivered once" for f in report.warnings), [f.line() for f in report.warnings]


def test_data_docs_are_written_for_every_suite(clean_report) -> None:
    _, docs = clean_report
    index = docs / "index.html"
    assert index.exists()
    pages = {p.stem for p in (docs / "validations").rglob("*.html")}
    for tbl in TABLES:
        assert {tbl.name, f"{tbl.name}.schema", f"{tbl.name}.volume"} <= pages


DOCS_JS = """
() => ({
  rows: Array.from(document.querySelectorAll('tr.validation-result')).map((r) => ({
    suite: r.dataset.suite, status: r.dataset.status,
    href: r.querySelector('a') ? r.querySelector('a').getAttribute('href') : null})),
  styled: getComputedStyle(document.querySelector('thead th')).backgroundColor,
  suites: document.querySelectorAll('ul.suites a').length,
})
"""


def test_data_docs_list_every_result_styled_offline(clean_report) -> None:
    """Opened offline in Chromium: the index lists each validation result with its status and
    page, styles come from the site's own stylesheet, and no page asks for anything else."""
    import tempfile

    from playwright.sync_api import sync_playwright
    from test_report import CHROMIUM, CHROMIUM_ARGS

    report, docs = clean_report
    pages = sorted(docs.rglob("*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and "Data asset: None" not in text, page
        assert not re.search(r"(href|src)=\"https?://[^\"]*\.(css|js)", text), page
    failed = {f.table for f in [*report.errors, *report.warnings]}
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, offline=True
        )
        try:
            seen: dict[str, dict] = {}
            for page in (docs / "index.html", *[p for p in pages if "validations" in p.parts][:3]):
                tab = context.new_page()
                errors: list[str] = []
                requests: list[str] = []
                tab.on(
                    "console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None
                )
                tab.on("request", lambda r, requests=requests: requests.append(r.url))
                tab.goto(page.as_uri(), wait_until="load")
                assert errors == [], (page, errors)
                assert all(url.startswith(docs.as_uri()) for url in requests), requests
                if page.name == "index.html":
                    seen = tab.evaluate(DOCS_JS)
        finally:
            context.close()
    assert seen["styled"] not in ("", "rgba(0, 0, 0, 0)"), "the offline stylesheet applies"
    assert len(seen["rows"]) == 3 * len(TABLES)
    assert {r["suite"].split(".")[0] for r in seen["rows"] if r["status"] == "failed"} == failed
    assert all(r["href"] and (docs / r["href"]).is_file() for r in seen["rows"])
    assert seen["suites"] == 3 * len(TABLES)


@pytest.mark.parametrize("bad", CATALOGUE, ids=lambda b: b.kind)
def test_catalogue_entry_is_caught_with_its_message(bad, raw_dir: Path, tmp_path: Path) -> None:
    before = _digest(raw_dir)
    dirty = tmp_path / bad.kind
    write_dirty(raw_dir, dirty, (bad.kind,))
    assert _digest(raw_dir) == before, "the clean input must never be modified"
    history = None
    if bad.needs_previous_load:
        history = tmp_path / "history.json"
        counts = {t.name: int(v) for t, v in zip(TABLES, _row_counts(raw_dir), strict=True)}
        record_load(history, dirty, load_settings().now, counts)
    tables = None if bad.fmt == "csv" else (bad.table, *EXTRA_TABLES.get(bad.kind, ()))
    report = validate_raw(dirty, history_file=history, tables=tables)
    lines = [f.line() for f in report.findings]
    if bad.outcome == "build stops":
        assert not report.ok, f"{bad.kind} must block the build"
    else:
        assert report.ok, f"{bad.kind} must not block the build: {lines}"
    if not bad.rule:  # handled silently in staging (offsets, letter case): nothing to report about it
        assert report.fmt == ("csv" if bad.kind == "timestamp_offsets" else "parquet"), lines
        silent = ("value in vocabulary", "value parses as type", "not after the load", "naive local time")
        assert not [f.line() for f in report.findings if f.rule in silent], lines
        return
    # the guard (severity, table, column, rule) and the message of the catalogue, on one finding
    caught = [
        f
        for f in report.findings
        if (f.severity, f.table, f.column, f.rule) == (bad.severity, bad.table, bad.column, bad.rule)
        and bad.message in f.message
    ]
    assert caught, f"expected {bad.report_line()!r} in {lines}"
    line = caught[0].line()
    assert line.startswith(bad.report_line().split("…")[0]), line
    assert caught[0].message.startswith(bad.message) == bad.starts_message, line


def _row_counts(raw_dir: Path) -> list[int]:
    import duckdb

    return [
        int(
            duckdb.sql(f"select count(*) from read_parquet('{raw_dir / (t.name + '.parquet')}')").fetchall()[
                0
            ][0]
        )
        for t in TABLES
    ]


def test_examples_name_the_rows(raw_dir: Path, tmp_path: Path) -> None:
    write_dirty(raw_dir, tmp_path / "d", ("negative_spend", "orphan_foreign_keys"))
    report = validate_raw(tmp_path / "d", tables=("ad_spend", "campaign_members"))
    spend = next(f for f in report.findings if f.rule == "within bounds" and f.column == "spend")
    assert spend.failing == 4 and len(spend.examples) == 4
    assert all(row["spend"] < 0 and row["campaign_id"] and row["spend_date"] for row in spend.examples)
    orphan = next(f for f in report.findings if f.rule == "foreign key")
    assert orphan.column == "lead_id" and orphan.failing == 4
    assert all(row["lead_id"].startswith("L-DOES-NOT-EXIST-") for row in orphan.examples)


def test_chunked_validation_counts_exactly_across_chunks(raw_dir: Path, tmp_path: Path) -> None:
    """Uniqueness and every other count must not depend on where the chunk boundaries fall."""
    dirty = tmp_path / "d"
    write_dirty(raw_dir, dirty, ("duplicate_event_ids", "future_timestamps"))
    whole = validate_raw(dirty, tables=("web_events",))
    chunked = validate_raw(dirty, settings=load_settings(chunk_rows=3_000), tables=("web_events",))

    def counts(report: ValidationReport) -> dict[tuple[str, str], int]:
        return {(f.rule, f.column): f.failing for f in report.findings}

    assert counts(chunked) == counts(whole)
    assert counts(whole)[("not after the load", "occurred_at")] == 6


def test_volume_is_compared_with_the_previous_validated_load(raw_dir: Path, tmp_path: Path) -> None:
    history = tmp_path / "history.json"
    first = validate_raw(raw_dir, history_file=history, tables=None)
    assert first.ok and history.exists()
    again = validate_raw(raw_dir, history_file=history, tables=("web_events",))
    assert again.ok and not [f for f in again.findings if f.rule.startswith("volume")]


def test_cli_validate_exits_non_zero_and_prints_the_message(raw_dir: Path, tmp_path: Path) -> None:
    dirty = tmp_path / "renamed"
    write_dirty(raw_dir, dirty, ("renamed_column",))
    result = CliRunner().invoke(
        main, ["validate", "--raw-dir", str(dirty), "--docs-dir", str(tmp_path / "docs")]
    )
    assert result.exit_code == 1, result.output
    assert KINDS["renamed_column"].message in result.output
    assert "validation failed" in result.output
    assert (tmp_path / "docs" / "index.html").exists()


def test_cli_run_validates_before_it_builds(raw_dir: Path, tmp_path: Path, monkeypatch) -> None:
    dirty = tmp_path / "truncated"
    write_dirty(raw_dir, dirty, ("truncated_parquet",))
    monkeypatch.setenv("LEAD_FUNNEL_DUCKDB_PATH", str(tmp_path / "wh" / "serving.duckdb"))
    result = CliRunner().invoke(main, ["run", "--raw-dir", str(dirty)])
    assert result.exit_code == 1
    assert KINDS["truncated_parquet"].message in result.output
    assert "dbt build" not in result.output, "run must stop before dbt when validation fails"
    assert not (tmp_path / "wh" / "serving.duckdb").exists()


def test_cli_generate_dirty_all_writes_one_folder_per_kind(raw_dir: Path, tmp_path: Path) -> None:
    before = _digest(raw_dir)
    out = tmp_path / "dirty"
    result = CliRunner().invoke(
        main, ["generate", "--dirty", "all", "--clean-dir", str(raw_dir), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == set(KINDS)
    assert _digest(raw_dir) == before
    assert not (out / "empty_file" / "leads.parquet").read_bytes()
    assert (out / "csv_wrong_delimiter" / "leads.csv").read_text().startswith("lead_id;email;")
