#!/usr/bin/env python
"""Benchmark the raw-data generator: rows per table, seconds, rows/second and peak RSS per size.

Each size runs in its own child process (so peak RSS is that run's alone) and writes into a
temporary directory that is removed afterwards (unless --keep is given).

    .venv/bin/python scripts/bench_generate.py --sizes 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = "--child"


def _child(n_leads: int, seed: int, out: Path, chunk_size: int | None) -> None:
    """Run one generation and print a JSON line with the result (executed in the child)."""
    from lead_funnel.generator import GeneratorParams, generate

    kwargs = {"n_leads": n_leads, "seed": seed}
    if chunk_size:
        kwargs["chunk_size"] = chunk_size
    started = time.perf_counter()
    counts = generate(GeneratorParams(**kwargs), out)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size_mb = sum(f.stat().st_size for f in out.iterdir()) / 1e6
    print(json.dumps({"counts": counts, "seconds": seconds, "peak_rss_kb": peak_kb, "size_mb": size_mb}))


def _run_size(n_leads: int, seed: int, chunk_size: int | None, keep: Path | None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"lead_funnel_bench_{n_leads}_"))
    out = keep / f"leads_{n_leads}" if keep else tmp / "raw"
    cmd = [sys.executable, __file__, _CHILD, str(n_leads), str(seed), str(out), str(chunk_size or 0)]
    try:
        started = time.perf_counter()
        proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
        wall = time.perf_counter() - started
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = wall
    # max RSS over the children that finished so far (this size's child is the latest and largest)
    result["children_max_rss_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return result


def _report(n_leads: int, r: dict) -> None:
    counts: dict[str, int] = r["counts"]
    total = sum(counts.values())
    print(f"\n=== n_leads = {n_leads:,} ===")
    width = max(len(k) for k in counts)
    for name, n in counts.items():
        print(f"  {name:<{width}}  {n:>14,}")
    print(f"  {'total rows':<{width}}  {total:>14,}")
    print(f"  seconds (generate)      {r['seconds']:10.1f}   (process wall {r['wall_seconds']:.1f})")
    print(f"  rows / second           {total / r['seconds']:12,.0f}")
    print(f"  peak RSS (child)        {r['peak_rss_kb'] / 1024:10.0f} MB")
    print(f"  RUSAGE_CHILDREN maxrss  {r['children_max_rss_kb'] / 1024:10.0f} MB")
    print(f"  parquet size            {r['size_mb']:10.1f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="n_leads values")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--chunk-size", type=int, default=None, help="override GeneratorParams.chunk_size")
    parser.add_argument("--keep", type=Path, default=None, help="write into this folder and keep the files")
    args = parser.parse_args(argv)
    for n in args.sizes:
        _report(n, _run_size(n, args.seed, args.chunk_size, args.keep))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == _CHILD:
        _n, _seed, _out, _chunk = sys.argv[2:6]
        _child(int(_n), int(_seed), Path(_out), int(_chunk) or None)
    else:
        sys.exit(main())
