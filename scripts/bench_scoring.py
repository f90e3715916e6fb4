"""Lead-scoring figures at a given data size (docs/scoring.md): prints the backtest (lift per score
band and decile, threshold grid), ledger / snapshot row counts and the build time of the scoring
models (dbt's own per-model timings). A script that prints figures, never a timed test.

    .venv/bin/python scripts/bench_scoring.py --leads 20000 --seed 7 --work /tmp/bench_scoring
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import duckdb

from lead_funnel.dbt_invoke import run_dbt
from lead_funnel.generator import GeneratorParams, generate

SCORING_MODELS = (
    "int_leads_profiled",
    "fct_lead_score_ledger",
    "int_score_awards_scheduled",
    "int_leads_fit_graded",
    "int_lead_scores_evaluated",
    "int_leads_mql_evidence_scored",
    "fct_lead_score_snapshots",
    "fct_scoring_backtest",
)
SELECTION = ["+fct_scoring_backtest", "+fct_lead_score_snapshots", "+dim_leads"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench_scoring"))
    args = parser.parse_args()

    raw = args.work / f"raw_{args.leads}_{args.seed}"
    if not (raw / "_manifest.json").exists():
        started = time.perf_counter()
        generate(GeneratorParams(n_leads=args.leads, seed=args.seed), raw)
        print(f"generated {args.leads:,} leads in {time.perf_counter() - started:.1f} s")
    warehouse = args.work / f"scoring_{args.leads}_{args.seed}.duckdb"
    warehouse.unlink(missing_ok=True)
    target = args.work / "target"
    env = {"DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(args.work / "logs")}
    started = time.perf_counter()
    outcome = run_dbt(
        ["build", "--select", *SELECTION, "--exclude-resource-type", "test", "unit_test"],
        raw_dir=raw,
        warehouse=warehouse,
        target="test",
        extra_env=env,
    )
    elapsed = time.perf_counter() - started
    if not outcome.success:
        raise SystemExit("dbt build failed:\n" + "\n".join(outcome.failures))
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    timings = {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results}
    print(f"dbt build of the selection: {elapsed:.1f} s wall")
    for model in SCORING_MODELS:
        print(f"  {model:32s} {timings.get(model, float('nan')):7.2f} s")
    print(f"  {'scoring models, total':32s} {sum(timings.get(m, 0.0) for m in SCORING_MODELS):7.2f} s")

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for name, sql in (
            ("live leads", "select count(*) from marts.dim_leads"),
            ("ledger rows", "select count(*) from marts.fct_lead_score_ledger"),
            ("snapshot rows", "select count(*) from marts.fct_lead_score_snapshots"),
            ("leads ever MQL", "select count(*) from marts.dim_leads where first_mql_at is not null"),
        ):
            print(f"{name:16s} {con.execute(sql).fetchone()[0]:>12,}")
        rows = con.execute(
            "select analysis, segment, leads, sql_rate, won_rate, sql_lift, won_lift, mqls_per_month,"
            " precision_rate, recall_rate, f1_score from marts.fct_scoring_backtest"
            " order by analysis, segment_order"
        ).fetchall()
    finally:
        con.close()

    def fmt(value: float | None, digits: int = 3) -> str:
        return "" if value is None else f"{value:.{digits}f}"

    print("\nanalysis      segment  leads  sql_rate won_rate sql_lift won_lift  mql/mo  prec  recall  f1")
    for analysis, segment, leads, sql, won, sql_lift, won_lift, load, precision, recall, f1 in rows:
        print(
            f"{analysis:13s} {segment:>7s} {leads:6d} {fmt(sql):>8s} {fmt(won):>8s} {fmt(sql_lift, 2):>8s}"
            f" {fmt(won_lift, 2):>8s} {fmt(load, 1):>7s} {fmt(precision):>5s} {fmt(recall):>6s} {fmt(f1):>5s}"
        )


if __name__ == "__main__":
    main()
