#!/usr/bin/env python
"""How reliable is a build on this DuckDB version? Run the same work N times and count passes.

Issue 14: DuckDB 2.0.0 once failed an incremental build with ``INTERNAL Error: dict-surviving
cache: global dictionary column N changed identity after being seeded for dictionary caching``
and the same models passed when run again. One build proves nothing either way; this script
repeats, per run:

* ``equivalence``: ``pytest tests/test_incremental_equivalence.py`` (first delivery, an incremental
  build with late, in-flight and re-delivered rows, a full refresh, five daily deliveries);
* ``daily``: the daily cycle at ``--leads`` (default 100,000): the landing folder one day before
  the load is built into a new file, the last day lands and the same file is built again
  (``dbt build --exclude-resource-type unit_test``, as ``scripts/bench.py`` does); with
  ``--incremental-only`` the day-before file is built once and every run builds the last day on a
  copy of it (the incremental build is where the internal error struck; a 100k run then costs
  one incremental build instead of a full and an incremental one);
* ``determinism`` (with ``--determinism``): two full builds of the same ``--determinism-leads``
  (default 20,000) with 2 threads; every table of the marts (and the scoring intermediates) must
  be bit-identical (full precision, EXCEPT ALL both ways).

and prints the pass count of each, the DuckDB version, and for every failure its first error line
(an internal error's message is kept whole). ``--python`` runs the work with another virtualenv's
interpreter (dbt and pytest from its bin folder), e.g. one with another DuckDB pinned:

    .venv/bin/python scripts/reliability.py --runs 20
    .venv/bin/python scripts/reliability.py --runs 3 --python /tmp/venv-duckdb-1.5/bin/python
    .venv/bin/python scripts/reliability.py --runs 2 --determinism --skip equivalence daily

A script that prints figures, never a test. The 100k cycle takes minutes per run: run it on a
machine nobody else is using when the count matters.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

PROJECT = Path(__file__).resolve().parent.parent
ERROR_LINE = re.compile(
    r"(INTERNAL Error[^\n]*|FATAL Error[^\n]*|Runtime Error[^\n]*|Database Error[^\n]*|FAILED [^\n]*)"
)
SCORING_TABLES = (
    "marts.fct_lead_score_snapshots",
    "marts.fct_scoring_backtest",
    "marts.fct_lead_score_ledger",
    "intermediate.int_lead_scores_evaluated",
    "intermediate.int_leads_fit_graded",
)


@dataclass
class Tally:
    """Passes and failures of one kind of run, with the first error line of each failure."""

    passed: int = 0
    failed: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)

    def add(self, ok: bool, seconds: float, error: str = "") -> None:
        self.seconds.append(seconds)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.errors[error or "unknown failure"] += 1


def _first_error(log: Path) -> str:
    text = log.read_text(errors="replace") if log.exists() else ""
    internal = re.search(r"INTERNAL Error[^\n]*", text)
    if internal:
        return internal.group(0).strip()
    match = ERROR_LINE.search(text)
    return match.group(0).strip()[:300] if match else ""


def _run(cmd: list[str], env: dict[str, str], log: Path, cwd: Path = PROJECT) -> tuple[bool, float]:
    started = time.perf_counter()
    with log.open("w") as out:
        code = subprocess.run(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, check=False
        ).returncode
    return code == 0, time.perf_counter() - started


def _dbt_env(
    bin_dir: Path, raw: Path, warehouse: Path, work: Path, name: str, threads: int = 2
) -> dict[str, str]:
    return {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "DBT_PROFILES_DIR": str(PROJECT / "profiles"),
        "LEAD_FUNNEL_RAW_DIR": str(raw),
        # the dev target's file (LEAD_FUNNEL_BUILD_DUCKDB_PATH; older revisions: LEAD_FUNNEL_DUCKDB_PATH)
        "LEAD_FUNNEL_BUILD_DUCKDB_PATH": str(warehouse),
        "LEAD_FUNNEL_DUCKDB_PATH": str(warehouse),
        "LEAD_FUNNEL_TEMP_DIR": str(work / f"tmp_{name}"),
        "LEAD_FUNNEL_THREADS": str(threads),
        "DBT_TARGET_PATH": str(work / f"target_{name}"),
        "DBT_LOG_PATH": str(work / f"logs_{name}"),
    }


def _dbt_build(
    bin_dir: Path, raw: Path, warehouse: Path, work: Path, name: str, log: Path
) -> tuple[bool, float]:
    cmd = [str(bin_dir / "dbt"), "build", "--exclude-resource-type", "unit_test", "--target", "dev"]
    return _run(cmd, _dbt_env(bin_dir, raw, warehouse, work, name), log)


def run_equivalence(bin_dir: Path, work: Path, run: int) -> tuple[bool, float, str]:
    log = work / f"equivalence_{run}.log"
    cmd = [
        str(bin_dir / "python"),
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/test_incremental_equivalence.py",
    ]
    ok, seconds = _run(cmd, {**os.environ, "DO_NOT_TRACK": "1"}, log)
    return ok, seconds, "" if ok else _first_error(log)


def _generate(bin_dir: Path, leads: int, seed: int, out: Path) -> None:
    if (out / "web_events.parquet").exists():
        return
    cmd = [
        str(bin_dir / "lead-funnel"),
        "generate",
        "--leads",
        str(leads),
        "--seed",
        str(seed),
        "--out",
        str(out),
    ]
    subprocess.run(cmd, check=True, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_daily(
    bin_dir: Path, work: Path, run: int, full: Path, leads: int, seed: int, incremental_only: bool = False
) -> tuple[bool, float, str]:
    from lead_funnel.deliveries import DeliveryCut, copy_raw_dir, write_first_delivery
    from lead_funnel.generator import GeneratorParams

    cycle = work / f"daily_{run}"
    shutil.rmtree(cycle, ignore_errors=True)
    landing = cycle / "landing"
    params = GeneratorParams(n_leads=leads, seed=seed)
    write_first_delivery(full, landing, DeliveryCut(cutoff=params.load_time - timedelta(days=1)))
    warehouse = cycle / "daily.duckdb"
    log = cycle / "day_before.log"
    template = work / "day_before_template"
    if incremental_only and (template / "daily.duckdb").exists():
        # the day-before file of the first run, copied with its dbt target folder (partial parse)
        shutil.copy(template / "daily.duckdb", warehouse)
        shutil.copytree(template / "target_daily", cycle / "target_daily")
        ok, first = True, 0.0
    else:
        ok, first = _dbt_build(bin_dir, landing, warehouse, cycle, "daily", log)
        if ok and incremental_only:
            template.mkdir(parents=True, exist_ok=True)
            shutil.copy(warehouse, template / "daily.duckdb")
            shutil.copytree(cycle / "target_daily", template / "target_daily", dirs_exist_ok=True)
    seconds = first
    if ok:
        copy_raw_dir(full, landing)
        log = cycle / "incremental.log"
        ok, second = _dbt_build(bin_dir, landing, warehouse, cycle, "daily", log)
        seconds += second
    error = "" if ok else _first_error(log)
    if ok:
        shutil.rmtree(cycle, ignore_errors=True)
    return ok, seconds, error


def _compared_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table of the marts schema (what BI reads) and the scoring intermediates."""
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
        " where table_catalog = 'a' and table_schema = 'marts' and table_type = 'BASE TABLE'"
        " order by 1"
    ).fetchall()
    marts = [row[0] for row in rows]
    return marts + [t for t in SCORING_TABLES if t not in marts]


def run_determinism(bin_dir: Path, work: Path, run: int, raw: Path) -> tuple[bool, float, str]:
    import duckdb

    builds = []
    seconds = 0.0
    for side in ("a", "b"):
        folder = work / f"determinism_{run}_{side}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        warehouse = folder / "build.duckdb"
        log = folder / "build.log"
        ok, took = _dbt_build(bin_dir, raw, warehouse, folder, "build", log)
        seconds += took
        if not ok:
            return False, seconds, _first_error(log)
        builds.append((folder, warehouse))
    differing = []
    with duckdb.connect() as con:
        con.execute(f"attach '{builds[0][1]}' as a (read_only)")
        con.execute(f"attach '{builds[1][1]}' as b (read_only)")
        for table in _compared_tables(con):
            for left, right in (("a", "b"), ("b", "a")):
                only = f"select * from {left}.{table} except all select * from {right}.{table}"
                n = con.execute(f"select count(*) from ({only})").fetchall()[0][0]
                if n:
                    differing.append(f"{table} ({n} rows only in {left})")
    for folder, _ in builds:
        shutil.rmtree(folder, ignore_errors=True)
    return not differing, seconds, ("differ: " + "; ".join(differing)) if differing else ""


def duckdb_version(python: Path) -> str:
    out = subprocess.run(
        [str(python), "-c", "import duckdb; print(duckdb.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def report(tallies: dict[str, Tally], version: str, runs: int) -> str:
    lines = [f"DuckDB {version}, {runs} run(s):"]
    for name, tally in tallies.items():
        total = tally.passed + tally.failed
        mean = sum(tally.seconds) / len(tally.seconds) if tally.seconds else 0.0
        lines.append(f"  {name:<12} {tally.passed}/{total} passed   (mean {mean:.0f} s per run)")
        for error, n in tally.errors.most_common():
            lines.append(f"      {n} x {error}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--leads", type=int, default=100_000, help="size of the daily cycle")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--determinism", action="store_true", help="also two builds compared bit for bit")
    parser.add_argument("--determinism-leads", type=int, default=20_000)
    parser.add_argument(
        "--incremental-only",
        action="store_true",
        help="daily: build the day-before file once; each run builds the last day on a copy of it",
    )
    parser.add_argument("--skip", nargs="*", default=[], choices=["equivalence", "daily"])
    parser.add_argument(
        "--python", type=Path, default=Path(sys.executable), help="interpreter of the venv to test"
    )
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: a temp dir, removed)")
    args = parser.parse_args(argv)
    bin_dir = args.python.parent
    work = args.work or Path(tempfile.mkdtemp(prefix="lead_funnel_reliability_"))
    work.mkdir(parents=True, exist_ok=True)
    version = duckdb_version(args.python)
    tallies: dict[str, Tally] = {}
    kinds = [k for k in ("equivalence", "daily") if k not in args.skip]
    if args.determinism:
        kinds.append("determinism")
    for kind in kinds:
        tallies[kind] = Tally()
    full = work / f"raw_{args.leads}"
    if "daily" in kinds:
        _generate(bin_dir, args.leads, args.seed, full)
    determinism_raw = work / f"raw_{args.determinism_leads}"
    if args.determinism:
        _generate(bin_dir, args.determinism_leads, args.seed, determinism_raw)
    try:
        for run in range(1, args.runs + 1):
            for kind in kinds:
                if kind == "equivalence":
                    ok, seconds, error = run_equivalence(bin_dir, work, run)
                elif kind == "daily":
                    ok, seconds, error = run_daily(
                        bin_dir, work, run, full, args.leads, args.seed, args.incremental_only
                    )
                else:
                    ok, seconds, error = run_determinism(bin_dir, work, run, determinism_raw)
                tallies[kind].add(ok, seconds, error)
                state = "passed" if ok else f"FAILED: {error}"
                print(
                    f"run {run}/{args.runs} {kind}: {state} ({seconds:.0f} s, load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(report(tallies, version, args.runs))
    return 0 if all(t.failed == 0 for t in tallies.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
