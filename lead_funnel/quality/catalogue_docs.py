"""Render ``docs/bad_inputs.md`` from the catalogue of bad inputs (:data:`dirty.CATALOGUE`).

The document is generated (``lead-funnel contract-docs`` / ``make docs``) and
``tests/test_contract.py`` fails when the committed file drifts from the catalogue, so the
table people read is the table the tests prove entry by entry.
"""

from __future__ import annotations

from lead_funnel.contract import TABLES_BY_NAME
from lead_funnel.quality.dirty import CATALOGUE, OPERATIONAL_FAULTS, BadInput

OUTCOMES: dict[str, str] = {
    "build stops": "`lead-funnel validate` exits 1 and `lead-funnel run` / `make run` never start dbt: "
    "the served warehouse is untouched.",
    "rows quarantined": "a warning; the build goes on and staging moves the rows to "
    "`quarantine.quarantine_<source>__<table>` with a `quarantine_reason`; the run summary counts them.",
    "handled": "staging repairs or normalises the input by rule; no row is lost (a warning, if any, "
    "says what staging did).",
    "reported": "a warning listing the rows for review; the rows are kept because they can be true.",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _guard(bad: BadInput) -> str:
    parts = [bad.guard]
    if bad.quarantine_reason:
        source = TABLES_BY_NAME[bad.table].source
        parts.append(f"quarantine table `quarantine_{source}__{bad.table}`")
    return "; ".join(parts)


def _message(bad: BadInput) -> str:
    if not bad.rule:
        return f"`{bad.message}` (nothing to report)"
    return f"`{bad.report_line()}`"


def _row(number: int, bad: BadInput) -> str:
    cells = [
        str(number),
        f"{bad.defect} (`{bad.kind}`)",
        f"`{bad.table}.{bad.fmt}`",
        _guard(bad),
        _message(bad),
        f"**{bad.outcome}**",
        bad.handling,
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def render_bad_inputs_md() -> str:
    """``docs/bad_inputs.md``: one row per catalogue entry, plus how to reproduce each."""
    lines = [
        "<!-- Generated from lead_funnel/quality/dirty.py (CATALOGUE) by `lead-funnel contract-docs`"
        " (`make docs`). Do not edit by hand: tests/test_contract.py fails when this file drifts. -->",
        "",
        "# Bad inputs: what breaks, which guard catches it, what you see",
        "",
        "Real exports arrive broken in a few recurring ways. Each way is listed below with the guard",
        "that catches it, the message `lead-funnel validate` prints, and what happens to the build.",
        "",
        "Three guards, in the order a load meets them:",
        "",
        "1. **Expectation suites** (`lead_funnel/quality/checks.py`, Great Expectations on pandas batches,",
        "   run by `lead-funnel validate` and by `make run` / `lead-funnel run` before dbt starts).",
        "   Severity `error` blocks the build (structural defects: the file cannot be read, a column is",
        "   missing or has the wrong type, a key is not unique, the export is empty or collapsed);",
        "   `warn` is reported and the build goes on.",
        "2. **Staging rules** (`models/staging/<source>/base/`, macros in `macros/quality/` and",
        "   `macros/staging/`): a row-level defect that can be isolated safely sends the row to",
        "   `quarantine.quarantine_<source>__<table>` with its `quarantine_reason` (the first rule it",
        "   breaks); normalisations (`clean_email`, `to_utc_timestamp`, `keep_latest_loaded`, the",
        "   vocabulary seeds matched case- and space-insensitively) repair what can be repaired without",
        "   guessing. A value that does not parse as its type is quarantined as `unparseable <column>`;",
        "   so is an instant of `infinity` / `-infinity` (it is no point in time: DuckDB's",
        "   `to_utc_timestamp` gives it no value). More than `quarantine_max_share` (5%) of a table",
        "   quarantined stops the build (the circuit breaker) with the table, the reason and the share.",
        "3. **dbt tests**: keys unique and not null, vocabularies, references on every staging model,",
        "   and `quality.row_reconciliation`: for every raw table,",
        "   `raw_rows = staged_rows + quarantined_rows + duplicate_copies_dropped` (no silent loss).",
        "   A build whose tests fail is never published (write-audit-publish, `lead_funnel/publish.py`).",
        "",
        "`tests/test_quarantine.py` builds the whole project on one copy carrying every row-level kind",
        "below at once and checks that its marts equal, row for row, those of the *reference* data set",
        "(`dirty.reference_copy`: the defective rows removed, the re-delivered ones as their latest copy),",
        "so no bad input reaches a mart as a wrong number; and that for every warning the rows",
        "`lead-funnel validate` counts are the rows staging quarantines. `docs/bad_inputs_outcomes.md`",
        "has the measured outcome of each kind on its own (`scripts/catalogue_outcomes.py`): validate,",
        "build, rows quarantined, rows lost, marts wrong.",
        "",
        "## Outcomes",
        "",
    ]
    lines += [f"- **{name}**: {text}" for name, text in OUTCOMES.items()]
    lines += [
        "",
        "## The catalogue",
        "",
        "The message column shows the line `lead-funnel validate` prints: `SEVERITY",
        "source.table[.column] [rule]: message`. Row-level messages start with the failing count and",
        "end with example values (`…` below); up to 5 example rows follow the line. Every entry has a",
        "test that feeds the bad input and asserts this guard and this message",
        "(`tests/test_quality_validate.py::test_catalogue_entry_is_caught_with_its_message`); the",
        "quarantine reasons and the staging repairs are proven on a dbt build of a copy carrying every",
        "row-level defect at once (`tests/test_quarantine.py`).",
        "",
        "| # | bad input (`--dirty` kind) | file | guard | message | outcome | what happens |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [_row(i, bad) for i, bad in enumerate(CATALOGUE, start=1)]
    reasons = [b for b in CATALOGUE if b.quarantine_reason]
    lines += [
        "",
        "## Quarantine reasons",
        "",
        "| quarantine table | `quarantine_reason` | bad input |",
        "| --- | --- | --- |",
    ]
    for bad in reasons:
        source = TABLES_BY_NAME[bad.table].source
        lines.append(
            f"| `quarantine.quarantine_{source}__{bad.table}` | `{bad.quarantine_reason}` | {bad.defect} |"
        )
    lines += [
        "",
        "Children of a quarantined parent are quarantined as orphans (`orphan <column>`), so no",
        "staged row ever points at a row that is not staged. `lead-funnel build` / `run` print the",
        "quarantined rows per table and reason after a published build.",
        "",
        "## Operational faults",
        "",
        "Faults of the machine rather than of the data have no `--dirty` copy; each has a test that",
        "feeds the fault and asserts the message and that no partial file is left behind.",
        "",
        "| fault | guard | message | outcome | test |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        "| "
        + " | ".join(
            _cell(c) for c in (f"{f.fault} (`{f.kind}`)", f.guard, f"`{f.message}`", f.outcome, f"`{f.test}`")
        )
        + " |"
        for f in OPERATIONAL_FAULTS
    ]
    lines += [
        "",
        "## Reproduce an entry",
        "",
        "```bash",
        "lead-funnel generate --leads 1500 --seed 7 --out /tmp/clean",
        "lead-funnel generate --dirty negative_spend --clean-dir /tmp/clean --out /tmp/dirty",
        "lead-funnel generate --dirty all --clean-dir /tmp/clean --out /tmp/dirty_all",
        "lead-funnel validate --raw-dir /tmp/dirty",
        "```",
        "",
        "Row-level kinds compose (`--dirty null_keys --dirty negative_spend ...` corrupts distinct rows",
        "of one copy); `_dirty.json` in the copy lists the rows each kind changed. CSV kinds rewrite the",
        "whole copy as CSV (validate and dbt read it with `LEAD_FUNNEL_RAW_FORMAT=csv`, detected",
        "automatically by `lead-funnel validate`). `volume_drop` needs a previous validated load of the",
        "same folder (`warehouse/validation_history.json`).",
        "",
    ]
    return "\n".join(lines)
