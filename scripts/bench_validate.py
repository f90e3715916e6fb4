#!/usr/bin/env python
"""Benchmark `lead-funnel validate`: wall time and peak RSS on a raw data folder.

`lead-funnel validate` runs as a child process; its peak resident set size comes from the
kernel's accounting of that child (``os.wait4`` rusage, ``ru_maxrss``: no psutil, no sampling).
The serving warehouse is pointed at a temporary folder, so the Data Docs and the previous-load
record of the benchmark never touch ``warehouse/``.

    .venv/bin/lead-funnel generate --leads 100000 --seed 7 --out /tmp/raw100k
    .venv/bin/python scripts/bench_validate.py /tmp/raw100k
    .venv/bin/python scripts/bench_validate.py /tmp/raw100k --chunk-rows 100000 250000 500000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lead_funnel.contract import TABLES

BIN = Path(sys.executable).parent / "lead-funnel"


@dataclass(frozen=True)
class Measurement:
    """One `lead-funnel validate` run."""

    chunk_rows: int | None
    exit_code: int
    wall_seconds: float
    peak_rss_mb: float
    verdict: str


def raw_rows(raw_dir: Path) -> dict[str, int]:
    """Rows per raw Parquet file (read from the Parquet footers)."""
    counts = {}
    for tbl in TABLES:
        path = raw_dir / f"{tbl.name}.parquet"
        if path.exists():
            query = f"select sum(num_rows) from parquet_file_metadata('{path}')"
            counts[tbl.name] = int(duckdb.sql(query).fetchall()[0][0] or 0)
    return counts


def leads_in(raw_dir: Path) -> int | None:
    manifest = raw_dir / "_manifest.json"
    if not manifest.exists():
        return None
    data = json.loads(manifest.read_text(encoding="utf-8"))
    value = data.get("n_leads", (data.get("params") or {}).get("n_leads"))
    return int(value) if value is not None else None


def measure(raw_dir: Path, chunk_rows: int | None) -> Measurement:
    """Run `lead-funnel validate` once in a child process; wall time and the child's peak RSS."""
    work = Path(tempfile.mkdtemp(prefix="lead_funnel_bench_validate_"))
    env = {**os.environ, "LEAD_FUNNEL_DUCKDB_PATH": str(work / "lead_funnel.duckdb"), "COLUMNS": "160"}
    cmd = [str(BIN), "validate", "--raw-dir", str(raw_dir), "--docs-dir", str(work / "data_docs")]
    if chunk_rows:
        cmd += ["--chunk-rows", str(chunk_rows)]
    try:
        started = time.perf_counter()
        with tempfile.TemporaryFile(mode="w+") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, text=True)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            lines = [line.rstrip() for line in out if line.strip()]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    verdict = next((line for line in reversed(lines) if "validation" in line), lines[-1] if lines else "")
    # ru_maxrss is in kilobytes on Linux
    return Measurement(chunk_rows, proc.returncode, wall, usage.ru_maxrss / 1024, verdict)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "raw_dir", type=Path, help="a landing folder (Parquet), e.g. from lead-funnel generate"
    )
    parser.add_argument(
        "--chunk-rows",
        type=int,
        nargs="*",
        default=[0],
        help="rows per GX batch to try (0 = the default, 500,000)",
    )
    args = parser.parse_args()
    raw_dir: Path = args.raw_dir.resolve()
    counts = raw_rows(raw_dir)
    leads = leads_in(raw_dir)
    size_mb = sum(p.stat().st_size for p in raw_dir.glob("*.parquet")) / 1e6
    largest = max(counts, key=lambda name: counts[name]) if counts else "-"
    print(
        f"raw dir {raw_dir}: {leads if leads is None else f'{leads:,}'} leads, {sum(counts.values()):,} rows "
        f"in {len(counts)} files ({size_mb:,.0f} MB Parquet); largest {largest} "
        f"({counts.get(largest, 0):,} rows)"
    )
    print(f"{'chunk rows':>12} {'exit':>5} {'wall s':>9} {'peak RSS MB':>12}  verdict")
    for chunk in args.chunk_rows:
        m = measure(raw_dir, chunk or None)
        label = f"{chunk:,}" if chunk else "default"
        print(f"{label:>12} {m.exit_code:>5} {m.wall_seconds:>9.1f} {m.peak_rss_mb:>12,.0f}  {m.verdict}")


if __name__ == "__main__":
    main()
