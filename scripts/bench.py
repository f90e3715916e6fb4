#!/usr/bin/env python
"""Benchmark the whole pipeline per data size: generate, validate, full build, incremental build.

For each size (number of leads) this prints (and writes to <out>/bench.md, ready to paste into
BENCHMARKS.md) one table per size:

* raw rows and the seconds, peak RSS and temp-directory peak of each step, every step in its own
  child process (peak RSS: the command's own, from os.wait4 in a small launcher process, RSS_LAUNCHER);
* generate: ``lead-funnel generate``; validate: ``lead-funnel validate`` (expectation suites);
* floor: one DuckDB query that reads every raw file once and aggregates every column (the least
  I/O and decoding any build needs), and the ratio full build / floor;
* full build: ``dbt build --exclude-resource-type unit_test`` (seeds, snapshots, models and data
  tests; unit tests test the SQL on fixed inputs and run in ``make test``) into a new file;
* fixed cost: the same build with ``--empty`` (dbt reads zero rows of every source and ref) into
  another new file: start-up, a full parse and one round of statements per node, what the build
  costs whatever the data;
* write floor: every table the full build wrote, copied (``create table as select *``) from the
  full build's file into a scratch file in one child process: what writing the build's own
  outputs costs, before any of the work that computes them;
* incremental: the landing folder as it was one day earlier (lead_funnel.deliveries: rows loaded
  before load_time - 1 day) is built into another file, then the last day lands and ``dbt build``
  runs again on that file with the same dbt target folder (a daily job partial-parses);
* the five slowest models of the full and of the incremental build, each against its own floor:
  a plain copy of its inputs (``create table as select *`` of every model, source or seed it reads,
  from the full build's file, under the same DuckDB settings): what any model reading them pays;
* the machine's load average before and after each size (the figures are only as good as the
  machine was idle).

Then the targets of issue 14, each met or missed (or not measured), from the sizes run.

With ``--baseline-rev REV`` the full and incremental builds also run, in the same session and on the
same raw data, on an older revision of this repository (``git archive`` into the work folder):
before / after figures from one run.

DuckDB resources come from the profile's env vars: LEAD_FUNNEL_MEMORY_LIMIT (``make bench``: 3GB,
the target's limit), LEAD_FUNNEL_THREADS (2), and the temp directory (set per run below the work
folder).

    .venv/bin/python scripts/bench.py --sizes 10000 100000 1000000
    .venv/bin/python scripts/bench.py --sizes 100000 --baseline-rev c4f7969

Results: <out>/bench_<size>.json per size and <out>/bench.md. A script that prints figures, never a
timed test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from lead_funnel.contract import TABLES
from lead_funnel.deliveries import DeliveryCut, copy_raw_dir, write_first_delivery
from lead_funnel.generator import GeneratorParams

if TYPE_CHECKING:
    import duckdb

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# A production build: seeds, snapshots, models and data tests. dbt unit tests check the SQL on
# fixed inputs, not the data, so they run in `make test` and are left out here.
BUILD_ARGS = ["--exclude-resource-type", "unit_test"]
SLOWEST = 5

# The targets of issue 14 (make bench on this 2-core, 24 GB machine).
TARGET_1M_FULL_S = 300.0
TARGET_1M_FLOOR_RATIO = 30.0
TARGET_1M_INCREMENTAL_SHARE = 0.10
TARGET_100K_FULL_S = 30.0
TARGET_1M_PEAK_RSS_MB = 4096.0
TARGET_MEMORY_LIMIT = "3GB"
TARGET_SCALING = 10.0


@dataclass
class ModelTiming:
    """A model's execution time in a build, and the plain copy of its inputs (its floor)."""

    name: str
    seconds: float
    floor_seconds: float | None = None
    inputs: list[str] = field(default_factory=list)

    @property
    def floor_ratio(self) -> float | None:
        if self.floor_seconds is None:
            return None
        return self.seconds / max(self.floor_seconds, 1e-3)


@dataclass
class Step:
    """One measured child process."""

    seconds: float
    peak_rss_mb: float
    peak_temp_mb: float = 0.0
    # CPU time of the child (user + system, all its threads): less sensitive than the wall time
    # to other work on a shared machine
    cpu_seconds: float = 0.0
    # dbt's own elapsed time (run_results.json): the wall time less start-up and parsing
    dbt_seconds: float = 0.0
    slowest_models: list[ModelTiming] = field(default_factory=list)
    ok: bool = True


@dataclass
class SizeResult:
    leads: int
    raw_rows: int
    rows_per_table: dict[str, int]
    steps: dict[str, Step]
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    started: str = ""

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


# Runs a step's command from a small process and writes the command's own peak RSS (KB) to a file.
# Linux carries a process's peak RSS across fork and exec (the forked copy of the parent counts),
# so a command started straight from this script would report at least this script's RSS, which
# grows with the deliveries it writes in-process (at 1M: 5.8 GB reported for the day-before and
# incremental builds). The launcher is forked from this script, the command from the launcher.
# Lines of a failed step's log mentioning an error, printed before the bench stops.
FAILED_STEP_ERROR_LINES = 40
RSS_LAUNCHER = (
    "import os, subprocess, sys\n"
    "proc = subprocess.Popen(sys.argv[2:])\n"
    "_pid, status, usage = os.wait4(proc.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_step(
    cmd: list[str],
    env: dict[str, str],
    log: Path,
    watch: Path | None = None,
    check: bool = True,
    cwd: Path = PROJECT,
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
    rss_file = log.with_suffix(".maxrss")
    with log.open("w") as out:
        launched = [sys.executable, "-c", RSS_LAUNCHER, str(rss_file), *cmd]
        proc = subprocess.Popen(launched, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 and check:
        # the work folder is removed on exit: the log's errors are printed here, not lost with it
        errors = [line for line in log.read_text(errors="replace").splitlines() if "rror" in line]
        print("\n".join(errors[-FAILED_STEP_ERROR_LINES:]), flush=True)
        raise SystemExit(f"step failed ({proc.returncode}): {' '.join(cmd)}; see {log}")
    ok = proc.returncode == 0
    return Step(
        seconds=seconds,
        peak_rss_mb=int(rss_file.read_text()) / 1024 if rss_file.exists() else usage.ru_maxrss / 1024,
        peak_temp_mb=peak_temp,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        ok=ok,
    )


def slowest_models(target_dir: Path, n: int = SLOWEST) -> list[ModelTiming]:
    results = json.loads((target_dir / "run_results.json").read_text())["results"]
    timed = sorted(
        (
            (r["unique_id"], float(r["execution_time"]))
            for r in results
            if r["unique_id"].startswith("model.")
        ),
        key=lambda m: -m[1],
    )
    return [ModelTiming(uid.split(".")[-1], round(t, 2)) for uid, t in timed[:n]]


def model_inputs(target_dir: Path, raw_dir: Path, model: str) -> list[tuple[str, str]]:
    """(name, relation SQL) of every node a model reads (manifest), sources as their raw files."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    node = next(n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["name"] == model)
    out = []
    for parent_id in node["depends_on"]["nodes"]:
        if parent_id.startswith("source."):
            table = parent_id.split(".")[-1]
            out.append((f"raw {table}", f"read_parquet('{raw_dir / (table + '.parquet')}')"))
            continue
        parent = manifest["nodes"][parent_id]
        out.append((parent["name"], f'w."{parent["schema"]}"."{parent["alias"]}"'))
    return out


def _set_up_scratch(con: duckdb.DuckDBPyConnection, warehouse: Path, scratch: Path) -> None:
    """A scratch file's connection under the build's DuckDB settings, the built file attached as w."""
    con.execute(f"set memory_limit = '{os.environ.get('LEAD_FUNNEL_MEMORY_LIMIT', '4GB')}'")
    con.execute(f"set threads = {int(os.environ.get('LEAD_FUNNEL_THREADS', '2'))}")
    con.execute(f"set temp_directory = '{scratch}.tmp'")
    con.execute("set preserve_insertion_order = false")
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"attach '{warehouse}' as w (read_only)")


def _remove_scratch(scratch: Path) -> None:
    """A scratch file, its WAL and its temp folder."""
    for leftover in (scratch, Path(f"{scratch}.wal"), Path(f"{scratch}.tmp")):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _floor_copy_child(warehouse: Path, scratch: Path, relations_json: str) -> None:
    """Child process: copy each relation once into a scratch file; print the seconds it took."""
    import duckdb

    relations = json.loads(relations_json)
    with duckdb.connect(str(scratch)) as con:
        _set_up_scratch(con, warehouse, scratch)
        started = time.perf_counter()
        for i, relation in enumerate(relations):
            con.execute(f"create or replace table copy_{i} as select * from {relation}")
            con.execute(f"drop table copy_{i}")
        print(json.dumps({"seconds": time.perf_counter() - started}))


def measure_floors(
    timings: list[ModelTiming],
    target_dir: Path,
    raw_dir: Path,
    warehouse: Path,
    work: Path,
    env: dict[str, str],
) -> None:
    """Each model's floor: a plain copy of every input it reads (from the built file)."""
    for timing in timings:
        inputs = model_inputs(target_dir, raw_dir, timing.name)
        timing.inputs = [name for name, _ in inputs]
        scratch = work / f"floor_{timing.name}.duckdb"
        log = work / f"floor_{timing.name}.log"
        cmd = [
            sys.executable,
            __file__,
            "--floor-copy",
            str(warehouse),
            str(scratch),
            json.dumps([r for _, r in inputs]),
        ]
        step = run_step(cmd, env, log, check=False)
        if step.ok:
            timing.floor_seconds = round(json.loads(log.read_text().strip().splitlines()[-1])["seconds"], 2)
        _remove_scratch(scratch)


def _write_floor_child(warehouse: Path, scratch: Path) -> None:
    """Child process: copy every table of a built file into a scratch file (the build's writes)."""
    import duckdb

    with duckdb.connect(str(scratch)) as con:
        _set_up_scratch(con, warehouse, scratch)
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'w'"
        ).fetchall()
        started = time.perf_counter()
        for i, (schema, table) in enumerate(tables):
            con.execute(f'create table copy_{i} as select * from w."{schema}"."{table}"')
        con.execute("checkpoint")
        print(json.dumps({"seconds": time.perf_counter() - started, "tables": len(tables)}))


def measure_write_floor(warehouse: Path, work: Path, env: dict[str, str]) -> Step:
    """Every table the full build wrote, copied once: the least a build writing them can cost."""
    scratch = work / "write_floor.duckdb"
    cmd = [sys.executable, __file__, "--write-floor", str(warehouse), str(scratch)]
    step = run_step(cmd, env, work / "write_floor.log")
    _remove_scratch(scratch)
    return step


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
    project: Path = PROJECT,
    check: bool = True,
    extra_args: tuple[str, ...] = (),
) -> Step:
    """One ``dbt build`` (``extra_args``: e.g. ``--empty``). Builds sharing ``project_state`` share
    dbt's target folder (so the later one partial-parses, as a daily job re-using its project folder
    does) and the temp folder.
    ``check``: stop the benchmark when the build fails (a baseline's failure is recorded instead)."""
    target = work / f"target_{project_state or name}"
    temp = work / f"tmp_{project_state or name}"
    temp.mkdir(parents=True, exist_ok=True)
    step_env = {
        **env,
        "LEAD_FUNNEL_RAW_DIR": str(raw_dir),
        # the dev target's file (LEAD_FUNNEL_BUILD_DUCKDB_PATH; older revisions: LEAD_FUNNEL_DUCKDB_PATH)
        "LEAD_FUNNEL_BUILD_DUCKDB_PATH": str(warehouse),
        "LEAD_FUNNEL_DUCKDB_PATH": str(warehouse),
        "LEAD_FUNNEL_TEMP_DIR": str(temp),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(work / f"logs_{name}"),
        "DBT_PROFILES_DIR": str(project / "profiles"),
    }
    if memory_limit:
        step_env["LEAD_FUNNEL_MEMORY_LIMIT"] = memory_limit
    cmd = [
        str(BIN / "dbt"),
        "build",
        *BUILD_ARGS,
        *extra_args,
        "--target",
        "dev",
        "--project-dir",
        str(project),
    ]
    step = run_step(
        cmd, step_env, work / f"{name}.log", watch=temp, check=check and memory_limit is None, cwd=project
    )
    if step.ok:
        step.slowest_models = slowest_models(target)
        step.dbt_seconds = float(json.loads((target / "run_results.json").read_text())["elapsed_time"])
    return step


def export_revision(rev: str, dest: Path) -> Path:
    """The project as of ``rev`` (git archive), to build the same data with an older revision."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", rev], cwd=PROJECT, check=True, capture_output=True).stdout
    with tempfile.TemporaryFile() as tmp:
        tmp.write(archive)
        tmp.seek(0)
        with tarfile.open(fileobj=tmp) as tar:
            tar.extractall(dest, filter="data")
    return dest


def run_size(
    leads: int,
    seed: int,
    work: Path,
    env: dict[str, str],
    spill_check: str | None = None,
    baseline: Path | None = None,
) -> SizeResult:
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
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
    variants = [("", PROJECT)] + ([("baseline_", baseline)] if baseline else [])
    params = GeneratorParams(n_leads=leads, seed=seed)
    for prefix, project in variants:
        full_db = work / f"{prefix}full.duckdb"
        check = not prefix  # a baseline revision may fail (DuckDB's internal error...): recorded, not fatal
        steps[f"{prefix}full_build"] = _dbt_build(
            full, full_db, work, f"{prefix}full_build", env, project=project, check=check
        )
        # One more day: the landing folder one day before the load, built; then the last day lands.
        landing = work / f"{prefix}landing"
        write_first_delivery(full, landing, DeliveryCut(cutoff=params.load_time - timedelta(days=1)))
        incremental_db = work / f"{prefix}incremental.duckdb"
        # The daily job: same project folder every day, so the second build partial-parses.
        state = f"{prefix}daily"
        steps[f"{prefix}build_day_before"] = _dbt_build(
            landing,
            incremental_db,
            work,
            f"{prefix}build_day_before",
            env,
            project_state=state,
            project=project,
            check=check,
        )
        copy_raw_dir(full, landing)
        steps[f"{prefix}incremental_build"] = _dbt_build(
            landing,
            incremental_db,
            work,
            f"{prefix}incremental_build",
            env,
            project_state=state,
            project=project,
            check=check,
        )
        if not prefix:
            # What the full build costs whatever the data (no rows), and what writing its tables costs.
            steps["fixed_cost"] = _dbt_build(
                full, work / "empty.duckdb", work, "fixed_cost", env, extra_args=("--empty",)
            )
            steps["write_floor"] = measure_write_floor(full_db, work, env)
            # Each of the slowest models against a plain copy of its inputs, on the full build's file.
            for key in ("full_build", "incremental_build"):
                measure_floors(
                    steps[key].slowest_models, work / "target_full_build", full, full_db, work, env
                )
    if spill_check:
        # The full build again under a small memory limit: it must complete by spilling to disk.
        spill_db = work / "spill.duckdb"
        steps["full_build_spill"] = _dbt_build(full, spill_db, work, "full_build_spill", env, spill_check)
    return SizeResult(
        leads=leads,
        raw_rows=sum(rows.values()),
        rows_per_table=rows,
        steps=steps,
        load_before=load_before,
        load_after=os.getloadavg(),
        started=started,
    )


STEP_LABELS = {
    "generate": "generate",
    "validate": "validate",
    "floor": "floor (raw scan)",
    "full_build": "full build",
    "fixed_cost": "fixed cost: the full build with `--empty` (no rows)",
    "write_floor": "write floor: copy of every table the full build wrote",
    "build_day_before": "build, day before (not a target)",
    "incremental_build": "incremental build (+1 day)",
    "baseline_full_build": "baseline: full build",
    "baseline_build_day_before": "baseline: build, day before",
    "baseline_incremental_build": "baseline: incremental build (+1 day)",
    "full_build_spill": "full build, small memory",
}


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}x"


def size_table(r: SizeResult, baseline_rev: str | None) -> list[str]:
    """The markdown table of one size: every step, the ratios, the slowest models and their floors."""
    s = r.steps
    load = f"load average {r.load_before[0]:.2f} before, {r.load_after[0]:.2f} after"
    lines = [
        f"### {r.leads:,} leads: {r.raw_rows:,} raw rows ({r.started}; {load})",
        "",
        "| step | wall s | in dbt s | CPU s | peak RSS MB | temp peak MB |",
        "|---|---|---|---|---|---|",
    ]
    for key, label in STEP_LABELS.items():
        if key not in s:
            continue
        step = s[key]
        label = (
            label if not key.startswith("baseline") else label.replace("baseline", f"before ({baseline_rev})")
        )
        in_dbt = ("build" in key or key == "fixed_cost") and step.ok
        dbt = f"{step.dbt_seconds:.1f}" if in_dbt else ""
        temp = f"{step.peak_temp_mb:.0f}" if "build" in key or key == "fixed_cost" else ""
        failed = "" if step.ok else " FAILED"
        cpu = f"{step.cpu_seconds:.1f}"
        lines.append(
            f"| {label} | {step.seconds:.1f}{failed} | {dbt} | {cpu} | {step.peak_rss_mb:.0f} | {temp} |"
        )
    lines += [
        f"| full build / floor | {r.floor_ratio:.1f}x | | | | |",
        f"| incremental / full build | {100 * r.incremental_share:.0f}% | | | | |",
    ]
    if "baseline_full_build" in s:
        b_full, b_inc = s["baseline_full_build"].seconds, s["baseline_incremental_build"].seconds
        share = 100 * b_inc / max(b_full, 1e-9)
        lines.append(f"| before ({baseline_rev}): incremental / full | {share:.0f}% | | | | |")
    for key, title in (("full_build", "full build"), ("incremental_build", "incremental build")):
        lines += [
            "",
            f"Five slowest models, {title}, each against its floor (a plain copy of its inputs):",
            "",
            "| model | s | floor s | x floor | inputs copied |",
            "|---|---|---|---|---|",
        ]
        for m in s[key].slowest_models:
            floor = "" if m.floor_seconds is None else f"{m.floor_seconds:.2f}"
            inputs = _inputs_label(m.inputs)
            lines.append(f"| `{m.name}` | {m.seconds:.2f} | {floor} | {_ratio(m.floor_ratio)} | {inputs} |")
    return lines


def _inputs_label(inputs: list[str], shown: int = 10) -> str:
    """The inputs of a model, the first `shown` of a long list (row_reconciliation reads ~50)."""
    if len(inputs) <= shown:
        return ", ".join(inputs)
    return f"{len(inputs)} relations: {', '.join(inputs[:shown])}, ..."


def _met(ok: bool | None) -> str:
    return "not measured" if ok is None else ("met" if ok else "missed")


def targets_table(results: list[SizeResult], memory_limit: str) -> list[str]:
    """The targets of issue 14 against the sizes measured in this run."""
    by_size = {r.leads: r for r in results}
    big, small = by_size.get(1_000_000), by_size.get(100_000)
    rows: list[tuple[str, str, bool | None]] = []
    if big:
        full = big.steps["full_build"].seconds
        rows += [
            (f"1M full build <= {TARGET_1M_FULL_S:.0f} s", f"{full:.1f} s", full <= TARGET_1M_FULL_S),
            (
                f"1M full build <= {TARGET_1M_FLOOR_RATIO:.0f}x the raw-scan floor",
                f"{big.floor_ratio:.1f}x",
                big.floor_ratio <= TARGET_1M_FLOOR_RATIO,
            ),
            (
                f"1M incremental (+1 day) <= {100 * TARGET_1M_INCREMENTAL_SHARE:.0f}% of the full build",
                f"{100 * big.incremental_share:.1f}%",
                big.incremental_share <= TARGET_1M_INCREMENTAL_SHARE,
            ),
        ]
        peak = max(st.peak_rss_mb for key, st in big.steps.items() if not key.startswith("baseline"))
        under = memory_limit.upper() == TARGET_MEMORY_LIMIT
        rows.append(
            (
                f"1M peak RSS <= 4 GB for every step (LEAD_FUNNEL_MEMORY_LIMIT={TARGET_MEMORY_LIMIT})",
                f"{peak:,.0f} MB (memory_limit {memory_limit})",
                (peak <= TARGET_1M_PEAK_RSS_MB) if under else None,
            )
        )
    else:
        rows += [
            (f"1M full build <= {TARGET_1M_FULL_S:.0f} s", "", None),
            (f"1M full build <= {TARGET_1M_FLOOR_RATIO:.0f}x the raw-scan floor", "", None),
            (
                f"1M incremental (+1 day) <= {100 * TARGET_1M_INCREMENTAL_SHARE:.0f}% of the full build",
                "",
                None,
            ),
            ("1M peak RSS <= 4 GB for every step (LEAD_FUNNEL_MEMORY_LIMIT=3GB)", "", None),
        ]
    if small:
        full = small.steps["full_build"].seconds
        rows.append(
            (f"100k full build <= {TARGET_100K_FULL_S:.0f} s", f"{full:.1f} s", full <= TARGET_100K_FULL_S)
        )
    else:
        rows.append((f"100k full build <= {TARGET_100K_FULL_S:.0f} s", "", None))
    if big and small:
        growth = big.steps["full_build"].seconds / max(small.steps["full_build"].seconds, 1e-9)
        rows.append(
            (
                f"full build 100k -> 1M grows <= {TARGET_SCALING:.0f}x",
                f"{growth:.1f}x",
                growth <= TARGET_SCALING,
            )
        )
    else:
        rows.append((f"full build 100k -> 1M grows <= {TARGET_SCALING:.0f}x", "", None))
    lines = ["### Targets (issue 14)", "", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {_met(ok)} |" for name, value, ok in rows]
    return lines


def bounds_table(results: list[SizeResult]) -> list[str]:
    """What a build of these tables cannot go below, per size, beside the full build and its budget
    of 30x the raw-scan floor: dbt's fixed cost (the build with no rows) and the write floor."""
    lines = [
        "### What the targets leave",
        "",
        "| leads | full build s | fixed cost s | write floor s | fixed cost + write floor s"
        f" | {TARGET_1M_FLOOR_RATIO:.0f}x raw-scan floor s |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        fixed, write = r.steps.get("fixed_cost"), r.steps.get("write_floor")
        if fixed is None or write is None:
            continue
        budget = TARGET_1M_FLOOR_RATIO * r.steps["floor"].seconds
        lines.append(
            f"| {r.leads:,} | {r.steps['full_build'].seconds:.1f} | {fixed.seconds:.1f}"
            f" | {write.seconds:.1f} | {fixed.seconds + write.seconds:.1f} | {budget:.1f} |"
        )
    return lines


def markdown(
    results: list[SizeResult],
    memory_limit: str,
    threads: str,
    spill_check: str | None,
    baseline_rev: str | None,
) -> str:
    import duckdb

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, check=True, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    lines = [
        f"Code at `{commit}`, DuckDB {duckdb.__version__}, memory_limit {memory_limit}, {threads} threads"
        + (f"; spill check with memory_limit {spill_check}" if spill_check else "")
        + (f"; before = revision `{baseline_rev}` on the same data in the same run" if baseline_rev else ""),
        "",
    ]
    for r in results:
        lines += [*size_table(r, baseline_rev), ""]
        spill = r.steps.get("full_build_spill")
        if spill is not None:
            lines += [
                f"Full build under memory_limit {spill_check}: {'completed' if spill.ok else 'FAILED'} in"
                f" {spill.seconds:.1f} s, peak RSS {spill.peak_rss_mb:.0f} MB,"
                f" temp peak {spill.peak_temp_mb:.0f} MB",
                "",
            ]
    lines += targets_table(results, memory_limit)
    lines += ["", *bounds_table(results)]
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
    parser.add_argument(
        "--baseline-rev",
        metavar="REV",
        default=None,
        help="also build the same data with this git revision (before / after in one run)",
    )
    args = parser.parse_args(argv)
    env = {**os.environ, "DO_NOT_TRACK": "1"}
    args.out.mkdir(parents=True, exist_ok=True)
    results: list[SizeResult] = []
    memory_limit = env.get("LEAD_FUNNEL_MEMORY_LIMIT", "4GB")
    threads = env.get("LEAD_FUNNEL_THREADS", "2")
    for leads in args.sizes:
        base = args.work or Path(tempfile.mkdtemp(prefix="lead_funnel_bench_"))
        work = base / f"leads_{leads}"
        baseline = (
            export_revision(args.baseline_rev, work / "baseline_project") if args.baseline_rev else None
        )
        try:
            result = run_size(leads, args.seed, work, env, args.spill_check, baseline)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        print("\n".join(size_table(result, args.baseline_rev)))
        (args.out / f"bench_{leads}.json").write_text(
            json.dumps({**asdict(result), "floor_ratio": result.floor_ratio}, indent=2) + "\n"
        )
        results.append(result)
    text = markdown(results, memory_limit, threads, args.spill_check, args.baseline_rev)
    (args.out / "bench.md").write_text(text)
    print("\n" + "\n".join(targets_table(results, memory_limit)))
    print("\n" + "\n".join(bounds_table(results)))
    print(f"\nresults: {args.out}/bench_<size>.json, {args.out}/bench.md")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--floor":
        _floor_child(Path(sys.argv[2]))
    elif len(sys.argv) > 3 and sys.argv[1] == "--write-floor":
        _write_floor_child(Path(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) > 4 and sys.argv[1] == "--floor-copy":
        _floor_copy_child(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(main())
