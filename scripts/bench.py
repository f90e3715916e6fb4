#!/usr/bin/env python
"""Benchmark the whole pipeline per data size: generate, validate, full build, incremental build.

For each size (number of leads) this prints and records:

* raw rows (all tables) and the seconds and peak RSS of each step, every step in its own child
  process (peak RSS from os.wait4, i.e. getrusage of that child alone);
* generate: ``lead-funnel generate``; validate: ``lead-funnel validate`` (expectation suites);
* floor: one DuckDB query that reads every raw file once and aggregates every column (the least
  I/O and decoding any build needs), and the ratio full build / floor;
* full build: ``dbt build --exclude-resource-type unit_test`` (seeds, snapshots, models and data
  tests; unit tests test the SQL on fixed inputs and run in ``make test``) into a new file;
* incremental: the landing folder as it was one day earlier (lead_funnel.deliveries: rows loaded
  before load_time - 1 day) is built into another file, then the last day lands and ``dbt build``
  runs again on that file (the incremental models read only the newly loaded rows);
* the peak size of DuckDB's temp directory during each build (> 0: the build spilled to disk) and
  the five slowest models of each build (dbt's run_results.json).

DuckDB resources come from the profile's env vars: LEAD_FUNNEL_MEMORY_LIMIT (default 4GB),
LEAD_FUNNEL_THREADS (2), and the temp directory (set per run below the work folder).

    .venv/bin/python scripts/bench.py --sizes 10000 100000 1000000
    LEAD_FUNNEL_MEMORY_LIMIT=4GB .venv/bin/python scripts/bench.py --sizes 1000000 --out warehouse/bench

Results: <out>/bench_<size>.json per size and <out>/bench.md (a markdown table for BENCHMARKS.md).
This is a script that prints figures, not a timed test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from lead_funnel.contract import TABLES
from lead_funnel.deliveries import DeliveryCut, copy_raw_dir, write_first_delivery
from lead_funnel.generator import GeneratorParams

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# A production build: seeds, snapshots, models and data tests. dbt unit tests check the SQL on
# fixed inputs, not the data, so they run in `make test` and are left out here.
BUILD_ARGS = ["--exclude-resource-type", "unit_test"]


@dataclass
class Step:
    """One measured child process."""

    seconds: float
    peak_rss_mb: float
    peak_temp_mb: float = 0.0
    # dbt's own elapsed time (run_results.json): the wall time less start-up and parsing
    dbt_seconds: float = 0.0
    slowest_models: list[tuple[str, float]] = field(default_factory=list)
    ok: bool = True


@dataclass
class SizeResult:
    leads: int
    raw_rows: int
    rows_per_table: dict[str, int]
    steps: dict[str, Step]

    @property
    def floor_ratio(self) -> float:
        return self.steps["full_build"].seconds / max(self.steps["floor"].seconds, 1e-9)

    @property
    def incremental_share(self) -> float:
        return self.steps["incremental_build"].seconds / max(self.steps["full_build"].seconds, 1e-9)


def _dir_mb(path: Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += (Path(root) / name).stat().st_size
    return total / 1e6


def run_step(
    cmd: list[str], env: dict[str, str], log: Path, watch: Path | None = None, check: bool = True
) -> Step:
    """Run ``cmd`` as a child process; wall seconds, its peak RSS and the peak size of ``watch``."""
    peak_temp = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_temp
        while not done.wait(0.2):
            if watch is not None and watch.exists():
                peak_temp = max(peak_temp, _dir_mb(watch))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT)
        _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 and check:
        raise SystemExit(f"step failed ({proc.returncode}): {' '.join(cmd)}; see {log}")
    ok = proc.returncode == 0
    return Step(seconds=seconds, peak_rss_mb=usage.ru_maxrss / 1024, peak_temp_mb=peak_temp, ok=ok)


def slowest_models(target_dir: Path, n: int = 5) -> list[tuple[str, float]]:
    results = json.loads((target_dir / "run_results.json").read_text())["results"]
    timed = sorted(
        (
            (r["unique_id"], float(r["execution_time"]))
            for r in results
            if r["unique_id"].startswith("model.")
        ),
        key=lambda m: -m[1],
    )
    return [(uid.split(".")[-1], round(t, 2)) for uid, t in timed[:n]]


def floor_query(raw_dir: Path) -> str:
    """One query reading every raw file once, aggregating every column of it."""
    parts = []
    for table in TABLES:
        columns = ", ".join(table.column_names)
        path = raw_dir / f"{table.name}.parquet"
        parts.append(
            f"select '{table.name}' as tbl, count(*) as n, sum(hash({columns})) as h"
            f" from read_parquet('{path}')"
        )
    return "\nunion all\n".join(parts)


def _floor_child(raw_dir: Path) -> None:
    import duckdb

    with duckdb.connect() as con:
        con.execute(f"set memory_limit = '{os.environ.get('LEAD_FUNNEL_MEMORY_LIMIT', '4GB')}'")
        con.execute(f"set threads = {int(os.environ.get('LEAD_FUNNEL_THREADS', '2'))}")
        rows = con.execute(floor_query(raw_dir)).fetchall()
    print(json.dumps({name: n for name, n, _h in rows}))


def _dbt_build(
    raw_dir: Path,
    warehouse: Path,
    work: Path,
    name: str,
    env: dict[str, str],
    memory_limit: str | None = None,
    project_state: str | None = None,
) -> Step:
    """One ``dbt build``. Builds sharing ``project_state`` share dbt's target folder (so the later
    one partial-parses, as a daily job re-using its project folder does) and the temp folder."""
    target = work / f"target_{project_state or name}"
    temp = work / f"tmp_{project_state or name}"
    temp.mkdir(parents=True, exist_ok=True)
    step_env = {
        **env,
        "LEAD_FUNNEL_RAW_DIR": str(raw_dir),
        "LEAD_FUNNEL_DUCKDB_PATH": str(warehouse),
        "LEAD_FUNNEL_TEMP_DIR": str(temp),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(work / f"logs_{name}"),
        "DBT_PROFILES_DIR": str(PROJECT / "profiles"),
    }
    if memory_limit:
        step_env["LEAD_FUNNEL_MEMORY_LIMIT"] = memory_limit
    cmd = [str(BIN / "dbt"), "build", *BUILD_ARGS, "--target", "dev", "--project-dir", str(PROJECT)]
    step = run_step(cmd, step_env, work / f"{name}.log", watch=temp, check=memory_limit is None)
    if step.ok:
        step.slowest_models = slowest_models(target)
        step.dbt_seconds = float(json.loads((target / "run_results.json").read_text())["elapsed_time"])
    return step


def run_size(
    leads: int, seed: int, work: Path, env: dict[str, str], spill_check: str | None = None
) -> SizeResult:
    work.mkdir(parents=True, exist_ok=True)
    full = work / "raw"
    steps: dict[str, Step] = {}
    lf = str(BIN / "lead-funnel")
    steps["generate"] = run_step(
        [lf, "generate", "--leads", str(leads), "--seed", str(seed), "--out", str(full)],
        env,
        work / "generate.log",
    )
    steps["validate"] = run_step(
        [lf, "validate", "--raw-dir", str(full), "--docs-dir", str(work / "data_docs")],
        env,
        work / "validate.log",
    )
    steps["floor"] = run_step([sys.executable, __file__, "--floor", str(full)], env, work / "floor.log")
    rows = json.loads((work / "floor.log").read_text().strip().splitlines()[-1])
    steps["full_build"] = _dbt_build(full, work / "full.duckdb", work, "full_build", env)

    # One more day: the landing folder one day before the load, built; then the last day lands.
    params = GeneratorParams(n_leads=leads, seed=seed)
    landing = work / "landing"
    write_first_delivery(full, landing, DeliveryCut(cutoff=params.load_time - timedelta(days=1)))
    incremental_db = work / "incremental.duckdb"
    # The daily job: same project folder every day, so the second build partial-parses.
    steps["build_day_before"] = _dbt_build(
        landing, incremental_db, work, "build_day_before", env, project_state="daily"
    )
    copy_raw_dir(full, landing)
    steps["incremental_build"] = _dbt_build(
        landing, incremental_db, work, "incremental_build", env, project_state="daily"
    )
    if spill_check:
        # The full build again under a small memory limit: it must complete by spilling to disk.
        spill_db = work / "spill.duckdb"
        steps["full_build_spill"] = _dbt_build(full, spill_db, work, "full_build_spill", env, spill_check)
    return SizeResult(leads=leads, raw_rows=sum(rows.values()), rows_per_table=rows, steps=steps)


STEP_LABELS = {
    "generate": "generate",
    "validate": "validate",
    "floor": "floor (raw scan)",
    "full_build": "full build",
    "build_day_before": "build, day before",
    "incremental_build": "incremental build (+1 day)",
    "full_build_spill": "full build, small memory",
}


def print_result(r: SizeResult) -> None:
    print(f"\n=== {r.leads:,} leads: {r.raw_rows:,} raw rows ===")
    for key, label in STEP_LABELS.items():
        if key not in r.steps:
            continue
        s = r.steps[key]
        spill = (
            f"  temp peak {s.peak_temp_mb:8.0f} MB  (in dbt {s.dbt_seconds:7.1f} s)" if "build" in key else ""
        )
        failed = "" if s.ok else "  FAILED"
        print(f"  {label:<28} {s.seconds:9.1f} s   peak RSS {s.peak_rss_mb:8.0f} MB{spill}{failed}")
    print(f"  full build / floor           {r.floor_ratio:9.1f} x")
    print(f"  incremental / full build     {100 * r.incremental_share:9.1f} %")
    for key in ("full_build", "incremental_build"):
        print(f"  slowest models ({STEP_LABELS[key]}):")
        for name, seconds in r.steps[key].slowest_models:
            print(f"    {name:<45} {seconds:8.2f} s")


def markdown(results: list[SizeResult], memory_limit: str, threads: str, spill_check: str | None) -> str:
    head = (
        "| leads | raw rows | generate s | validate s | floor s | full build s (in dbt) | full / floor "
        "| incremental s (+1 day) (in dbt) | incr. / full | peak RSS MB gen / val / floor / full / incr. "
        "| temp peak MB full / incr. |"
    )
    lines = [
        f"memory_limit {memory_limit}, threads {threads}"
        + (f"; spill check with memory_limit {spill_check}" if spill_check else ""),
        "",
        head,
        "|" + "---|" * 11,
    ]
    for r in results:
        s = r.steps
        rss = " / ".join(
            f"{s[k].peak_rss_mb:.0f}"
            for k in ("generate", "validate", "floor", "full_build", "incremental_build")
        )
        lines.append(
            f"| {r.leads:,} | {r.raw_rows:,} | {s['generate'].seconds:.1f} | {s['validate'].seconds:.1f} "
            f"| {s['floor'].seconds:.1f} | {s['full_build'].seconds:.1f} ({s['full_build'].dbt_seconds:.1f}) "
            f"| {r.floor_ratio:.1f}x "
            f"| {s['incremental_build'].seconds:.1f} ({s['incremental_build'].dbt_seconds:.1f}) "
            f"| {100 * r.incremental_share:.0f}% | {rss} "
            f"| {s['full_build'].peak_temp_mb:.0f} / {s['incremental_build'].peak_temp_mb:.0f} |"
        )
    lines.append("")
    for r in results:
        spill = r.steps.get("full_build_spill")
        if spill is not None:
            lines.append(
                f"- {r.leads:,} leads, full build under the small memory limit:"
                f" {'completed' if spill.ok else 'FAILED'} in {spill.seconds:.1f} s,"
                f" peak RSS {spill.peak_rss_mb:.0f} MB, temp directory peak {spill.peak_temp_mb:.0f} MB"
            )
    for r in results:
        for key in ("full_build", "incremental_build"):
            slow = ", ".join(f"{n} {t:.1f} s" for n, t in r.steps[key].slowest_models)
            lines.append(f"- {r.leads:,} leads, five slowest models ({STEP_LABELS[key]}): {slow}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=PROJECT / "warehouse" / "bench", help="results folder")
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: a temp dir, removed)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (raw data, warehouses)")
    parser.add_argument(
        "--spill-check",
        metavar="MEMORY_LIMIT",
        default=None,
        help="also run the full build under this DuckDB memory_limit (e.g. 256MB) and report its spill",
    )
    args = parser.parse_args(argv)
    env = {**os.environ, "DO_NOT_TRACK": "1"}
    args.out.mkdir(parents=True, exist_ok=True)
    results: list[SizeResult] = []
    for leads in args.sizes:
        base = args.work or Path(tempfile.mkdtemp(prefix="lead_funnel_bench_"))
        work = base / f"leads_{leads}"
        try:
            result = run_size(leads, args.seed, work, env, args.spill_check)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        print_result(result)
        (args.out / f"bench_{leads}.json").write_text(
            json.dumps({**asdict(result), "floor_ratio": result.floor_ratio}, indent=2) + "\n"
        )
        results.append(result)
    memory_limit = env.get("LEAD_FUNNEL_MEMORY_LIMIT", "4GB")
    threads = env.get("LEAD_FUNNEL_THREADS", "2")
    (args.out / "bench.md").write_text(markdown(results, memory_limit, threads, args.spill_check))
    print(f"\nresults: {args.out}/bench_<size>.json, {args.out}/bench.md")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--floor":
        _floor_child(Path(sys.argv[2]))
    else:
        sys.exit(main())
