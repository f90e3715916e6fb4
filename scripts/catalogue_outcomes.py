#!/usr/bin/env python
"""Measure what every kind of bad input does, one kind at a time: docs/bad_inputs_outcomes.md.

For each `--dirty` kind of the catalogue (lead_funnel/quality/dirty.py) on a clean generated data
set (1,500 leads, seed 7: the test fixture):

* **validate**: what `lead-funnel validate` concludes (errors block the build; warnings and info
  lines are reported);
* **build**: when validate does not block, `dbt build` of the dirty copy (every model, snapshot and
  test; the quarantine circuit breaker at its default): published or stopped, with the first
  failing node;
* **rows quarantined**: rows in the quarantine tables, beyond the clean build's;
* **rows lost**: raw rows neither staged, quarantined, dropped as a re-delivered copy nor after the
  as-of (quality.row_reconciliation, summed over every table): must be 0;
* **marts wrong**: marts that differ, row for row, from the build of the kind's reference data set
  (dirty.reference_copy: the quarantined rows removed, the repaired ones restored): must be 0.
  Kinds of rows that arrive late are built as two deliveries (the previous one without them,
  dirty.write_previous_delivery, then the dirty copy, incrementally) and compared with a full
  build of the same data.
  Kinds whose rows are kept as delivered have no reference ("kept"); a build that stops publishes
  nothing, so no mart can be wrong.

    .venv/bin/python scripts/catalogue_outcomes.py [--kinds KIND ...] [--out docs/bad_inputs_outcomes.md]

Prints one line per kind as it goes and writes the table. Takes ~30 s per build on 2 cores.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lead_funnel.dbt_invoke import DbtOutcome, run_dbt
from lead_funnel.generator import GeneratorParams, generate
from lead_funnel.paths import PROJECT_DIR
from lead_funnel.quality.dirty import (
    CATALOGUE,
    KINDS,
    BadInput,
    reference_copy,
    write_dirty,
    write_previous_delivery,
)
from lead_funnel.quality.validate import validate_raw

sys.path.insert(0, str(PROJECT_DIR / "tests"))
from warehouses import differences

FIXTURE = GeneratorParams(n_leads=1_500, seed=7)
NOTHING_PUBLISHED = "0 (nothing published)"


@dataclass
class Outcome:
    """What one kind did."""

    kind: str
    validate: str
    build: str
    quarantined: int | None = None
    lost: int | None = None
    marts_wrong: str = "n/a"


def _build(raw: Path, warehouse: Path, work: Path) -> DbtOutcome:
    env = {"DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")}
    return run_dbt(["build"], raw, warehouse, target="test", extra_env=env)


def _counts(warehouse: Path) -> tuple[int, int]:
    """(rows quarantined, rows lost) of a built warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(
            "select sum(quarantined_rows), "
            "sum(raw_rows - staged_rows - quarantined_rows - duplicate_copies_dropped - after_as_of_rows) "
            "from quality.row_reconciliation"
        ).fetchone()
    return (int(row[0] or 0), int(row[1] or 0)) if row else (0, 0)


def _validate_text(bad: BadInput, raw: Path, clean: Path, work: Path) -> tuple[bool, str]:
    history = None
    if bad.needs_previous_load:  # the clean folder was the previous validated load
        history = work / "history.json"
        validate_raw(clean, history_file=history)
        history.write_text(history.read_text().replace(str(clean.resolve()), str(raw.resolve())))
    report = validate_raw(raw, history_file=history)
    if report.errors:
        return False, f"blocks: {report.errors[0].rule}"
    warned = [f for f in report.warnings if f.rule == bad.rule]
    if warned:
        return True, f"warns: {warned[0].rule} ({warned[0].failing:,})"
    return True, "passes"


def measure(bad: BadInput, clean: Path, clean_quarantined: int, work: Path) -> Outcome:
    raw = work / "raw"
    write_dirty(clean, raw, (bad.kind,))
    ok, validate_text = _validate_text(bad, raw, clean, work)
    if not ok:
        return Outcome(
            bad.kind, validate_text, "not started (validate blocks)", 0, 0, "0 (nothing published)"
        )
    warehouse = work / "dirty.duckdb"
    if bad.arrives_late:
        # late rows: the previous delivery (without them) is built first, then this one, as the
        # daily incremental build; the marts must equal a full build of the same data
        landing = work / "landing"
        write_previous_delivery(raw, landing)
        assert _build(landing, warehouse, work).success
        shutil.copytree(raw, landing, dirs_exist_ok=True)
        raw = landing
    built = _build(raw, warehouse, work)
    quarantined, lost = _counts(warehouse)
    if not built.success:
        failed = built.failed_nodes[0].name if built.failed_nodes else str(built.exception)
        return Outcome(
            bad.kind,
            validate_text,
            f"stopped: {failed}",
            quarantined - clean_quarantined,
            lost,
            "0 (nothing published)",
        )
    outcome = Outcome(bad.kind, validate_text, "published", quarantined - clean_quarantined, lost)
    if bad.arrives_late:
        reference = work / "reference.duckdb"
        assert _build(raw, reference, work).success
        outcome.marts_wrong = f"{len(differences(warehouse, reference, ()))} (vs a full build)"
        return outcome
    if bad.reference_rows == "keep":
        outcome.marts_wrong = "n/a (rows kept as delivered)"
        return outcome
    reference = work / "reference.duckdb"
    reference_raw = clean if bad.fmt == "csv" else reference_copy(clean, raw, work / "reference_raw")
    assert _build(reference_raw, reference, work).success
    outcome.marts_wrong = str(len(differences(warehouse, reference, ())))
    return outcome


def render(outcomes: list[Outcome], seconds: float) -> str:
    lines = [
        "<!-- Written by scripts/catalogue_outcomes.py (measured, not generated from code). -->",
        "",
        "# Bad inputs: measured outcomes, one kind at a time",
        "",
        "Each `--dirty` kind of `docs/bad_inputs.md` applied alone to the test fixture (1,500 leads,",
        "seed 7), then `lead-funnel validate` and, unless it blocks, `dbt build` with the default",
        "vars (the quarantine circuit breaker at 5%). *Rows lost*: raw rows neither staged,",
        "quarantined nor dropped as a re-delivered copy (`quality.row_reconciliation`). *Marts wrong*:",
        "marts that differ from the build of the kind's reference data set (`dirty.reference_copy`:",
        "the defective rows removed, the repaired ones restored). Operational faults (disk full, a",
        "moved clock, the raw folder removed ...) are tested one by one (`docs/bad_inputs.md`).",
        "",
        f"Measured by `.venv/bin/python scripts/catalogue_outcomes.py` in {seconds / 60:.0f} min.",
        "",
        "| kind | validate | build | rows quarantined | rows lost | marts wrong |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for o in outcomes:
        quarantined = "n/a" if o.quarantined is None else f"{o.quarantined:,}"
        lost = "n/a" if o.lost is None else f"{o.lost:,}"
        lines.append(f"| `{o.kind}` | {o.validate} | {o.build} | {quarantined} | {lost} | {o.marts_wrong} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", nargs="*", default=[b.kind for b in CATALOGUE])
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "docs" / "bad_inputs_outcomes.md")
    args = parser.parse_args()
    started = time.perf_counter()
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="catalogue_") as tmp:
        root = Path(tmp)
        clean = root / "clean"
        generate(FIXTURE, clean)
        assert _build(clean, root / "clean.duckdb", root / "clean_work").success
        clean_quarantined, _ = _counts(root / "clean.duckdb")
        for kind in args.kinds:
            work = root / kind
            work.mkdir()
            outcome = measure(KINDS[kind], clean, clean_quarantined, work)
            print(outcome, flush=True)
            outcomes.append(outcome)
            shutil.rmtree(work)
    args.out.write_text(render(outcomes, time.perf_counter() - started), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
