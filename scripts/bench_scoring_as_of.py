"""Before / after figures of the as-of scoring (issue 14: scores by running sums, not by joins to
all earlier awards). A script that prints figures, never a timed test.

Builds the scoring models three times on the same raw data, in the same session: ``old``, from an
older revision of this repository (exported with ``git archive`` into the work folder, default
3028877: ``lead_scores_at`` joins every instant to all earlier awards); ``new``, this working tree
(running sums for the leads where the join would cost more); ``running``, this working tree with
var scoring_running_sum_factor 0 (running sums for every lead).
Each build is its own ``dbt build`` child process (seeds and models of the selection, no tests)
into its own DuckDB file, followed by ``dbt test`` of the explain data test; the per-model
``execution_time`` comes from dbt's run_results.json. Then it checks that both builds give the
same results as ``old``: every scoring model compared on its key (max absolute difference of every double
column, exact equality of the others) and with EXCEPT ALL in both directions after rounding doubles
to 9 decimals; plus ``lead_score_as_of`` at three instants and ``explain_lead_scores`` at a sample
of snapshots, compiled from each revision's macros.

    .venv/bin/lead-funnel generate --leads 100000 --seed 42 --out /tmp/scoring_raw100k
    .venv/bin/python scripts/bench_scoring_as_of.py --raw-dir /tmp/scoring_raw100k

The machine may be shared: timings are as contended as the machine was (rerun with --order new old
to see the order effect).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SELECTION = ["+fct_scoring_backtest", "+fct_lead_score_snapshots", "+int_leads_fit_graded"]
EXPLAIN_TEST = "assert_explained_scores_sum_to_the_score"
TIMED = (
    "fct_lead_score_ledger",
    "int_score_awards_scheduled",
    "int_leads_fit_graded",
    "int_lead_scores_evaluated",
    "int_leads_mql_evidence_scored",
    "fct_lead_score_snapshots",
    "fct_scoring_backtest",
    EXPLAIN_TEST,
)
# relation -> key columns
COMPARED = {
    "marts.fct_lead_score_ledger": ["award_id"],
    "intermediate.int_score_awards_scheduled": ["award_id"],
    "intermediate.int_leads_fit_graded": ["lead_id"],
    "intermediate.int_lead_scores_evaluated": ["lead_id", "scored_at"],
    "intermediate.int_leads_mql_evidence_scored": ["evidence_source", "evidence_id"],
    "marts.fct_lead_score_snapshots": ["snapshot_id"],
    "marts.fct_scoring_backtest": ["analysis", "segment"],
}
AS_OF_INSTANTS = ("2025-12-15 06:00:00", "2026-04-01 00:00:00", "2026-08-20 13:30:00")
INLINE_QUERIES = {
    "lead_score_as_of": (
        " union all ".join(
            f"select * from ({{{{ lead_score_as_of(\"cast('{at}' as timestamp)\") }}}}) as s{i}"
            for i, at in enumerate(AS_OF_INSTANTS)
        ),
        ["lead_id", "as_of"],
    ),
    "explain_lead_scores": (
        "with sampled as (select distinct lead_id, scored_at from {{ ref('fct_lead_score_snapshots') }}"
        " where hash(lead_id) % 50 = 0) select * from ({{ explain_lead_scores('sampled') }}) as e",
        ["lead_id", "scored_at", "component", "rule_id", "rule_version"],
    ),
}


def dbt_env(variant: str, raw_dir: Path, work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "LEAD_FUNNEL_RAW_DIR": str(raw_dir),
        "LEAD_FUNNEL_DUCKDB_PATH": str(work / f"{variant}.duckdb"),
        "LEAD_FUNNEL_TEMP_DIR": str(work / f"tmp_{variant}"),
        "DBT_TARGET_PATH": str(work / f"target_{variant}"),
        "DBT_LOG_PATH": str(work / f"logs_{variant}"),
        "DBT_PROFILES_DIR": str(PROJECT / "profiles"),
    }


VARIANT_VARS = {"old": None, "new": None, "running": "{scoring_running_sum_factor: 0}"}


def dbt(
    args: list[str], project: Path, env: dict[str, str], log: Path, variables: str | None = None
) -> subprocess.CompletedProcess[str]:
    cmd = [str(BIN / "dbt"), *args, "--target", "dev", "--project-dir", str(project)]
    if variables:
        cmd += ["--vars", variables]
    result = subprocess.run(cmd, env=env, cwd=project, capture_output=True, text=True, check=False)
    log.write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(cmd)}; see {log}")
    return result


def timings(target: Path) -> dict[str, float]:
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    return {r["unique_id"].split(".")[-1]: float(r["execution_time"]) for r in results}


def build(variant: str, project: Path, raw_dir: Path, work: Path) -> dict[str, float]:
    env = dbt_env(variant, raw_dir, work)
    (work / f"{variant}.duckdb").unlink(missing_ok=True)
    (work / f"tmp_{variant}").mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    dbt(
        ["build", "--select", *SELECTION, "--exclude-resource-type", "test", "unit_test"],
        project,
        env,
        work / f"build_{variant}.log",
        VARIANT_VARS[variant],
    )
    measured = timings(work / f"target_{variant}")
    dbt(["test", "--select", EXPLAIN_TEST], project, env, work / f"test_{variant}.log", VARIANT_VARS[variant])
    measured.update(timings(work / f"target_{variant}"))
    print(f"{variant}: build + explain test {time.perf_counter() - started:.1f} s wall", flush=True)
    return measured


def compile_inline(sql: str, variant: str, project: Path, raw_dir: Path, work: Path) -> str:
    env = dbt_env(variant, raw_dir, work)
    result = dbt(
        ["compile", "--inline", sql, "--quiet"],
        project,
        env,
        work / f"compile_{variant}.log",
        VARIANT_VARS[variant],
    )
    return result.stdout


def double_columns(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, bool]:
    rows = con.execute(f"describe {relation}").fetchall()
    return {name: kind == "DOUBLE" for name, kind, *_ in rows}


def compare(con: duckdb.DuckDBPyConnection, new: str, old: str, keys: list[str]) -> dict[str, object]:
    """Both relations (names or parenthesised queries) on their key: rows, rows only on one side,
    max abs difference per double column, other columns unequal; EXCEPT ALL after rounding."""
    # the columns both revisions have (a later revision may add or drop some: the ledger's rule
    # attributes, the incremental models' fingerprints)
    old_columns = double_columns(con, f"(select * from {old} limit 0)")
    columns = {
        c: d for c, d in double_columns(con, f"(select * from {new} limit 0)").items() if c in old_columns
    }
    rounded = ", ".join(f"round({c}, 9) as {c}" if is_double else c for c, is_double in columns.items())
    except_new = con.execute(
        f"select count(*) from (select {rounded} from {new} except all select {rounded} from {old})"
    ).fetchone()[0]
    except_old = con.execute(
        f"select count(*) from (select {rounded} from {old} except all select {rounded} from {new})"
    ).fetchone()[0]
    on = " and ".join(f"n.{k} is not distinct from o.{k}" for k in keys)
    diffs = [f"max(abs(n.{c} - o.{c})) as {c}" for c, is_double in columns.items() if is_double]
    unequal = [
        f"sum(case when n.{c} is distinct from o.{c} then 1 else 0 end) as {c}"
        for c, is_double in columns.items()
        if not is_double and c not in keys
    ]
    stats = con.execute(
        f"select (select count(*) from {new}), (select count(*) from {old}),"
        f" count(*) filter (where o.{keys[0]} is null and n.{keys[0]} is not null),"
        f" count(*) filter (where n.{keys[0]} is null and o.{keys[0]} is not null)"
        f" from {new} as n full join {old} as o on {on}"
    ).fetchone()
    detail = con.execute(
        f"select {', '.join(diffs + unequal) or '1'} from {new} as n inner join {old} as o on {on}"
    ).fetchone()
    names = [c for c, d in columns.items() if d] + [c for c, d in columns.items() if not d and c not in keys]
    per_column = dict(zip(names, detail, strict=False))
    max_diff = max((v or 0.0 for c, v in per_column.items() if columns[c]), default=0.0)
    mismatched = sum(v or 0 for c, v in per_column.items() if not columns[c])
    return {
        "rows_new": stats[0],
        "rows_old": stats[1],
        "only_new": stats[2],
        "only_old": stats[3],
        "max_abs_diff": max_diff,
        "unequal_other": mismatched,
        "except_new_minus_old": except_new,
        "except_old_minus_new": except_old,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=Path("/tmp/scoring_raw100k"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench_scoring_as_of"))
    parser.add_argument("--old-rev", default="3028877")
    parser.add_argument(
        "--order", nargs="+", default=["old", "new", "running"], choices=["old", "new", "running"]
    )
    parser.add_argument("--timing-only", action="store_true", help="skip the equivalence checks")
    args = parser.parse_args()
    raw_dir = args.raw_dir.resolve()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)

    old_project = work / "old_project"
    if not old_project.exists():
        old_project.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(PROJECT), "archive", args.old_rev], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(old_project)], input=archive.stdout, check=True)
    projects = {"old": old_project, "new": PROJECT, "running": PROJECT}

    measured = {variant: build(variant, projects[variant], raw_dir, work) for variant in args.order}

    others = [v for v in args.order if v != "old"]
    print(f"\nexecution_time (s), raw data {raw_dir}, old = {args.old_rev}, new / running = working tree")
    print(f"{'model':42s} {'old':>8s}" + "".join(f" {v:>8s} {'old/' + v:>12s}" for v in others))
    for model in TIMED:
        old = measured["old"].get(model, float("nan"))
        line = f"{model:42s} {old:8.2f}"
        for variant in others:
            value = measured[variant].get(model, float("nan"))
            line += f" {value:8.2f} {old / value if value else float('nan'):12.2f}"
        print(line)
    if args.timing_only:
        return

    compiled = {
        (name, variant): compile_inline(sql, variant, projects[variant], raw_dir, work)
        for name, (sql, _keys) in INLINE_QUERIES.items()
        for variant in args.order
    }
    results: dict[str, dict[str, object]] = {}
    for variant in others:
        con = duckdb.connect(str(work / f"{variant}.duckdb"), read_only=True)
        try:
            con.execute(f"attach '{work / 'old.duckdb'}' as old (read_only)")
            for relation, keys in COMPARED.items():
                results[f"{variant}: {relation}"] = compare(
                    con, f'"{variant}".{relation}', f"old.{relation}", keys
                )
            for name, (_sql, keys) in INLINE_QUERIES.items():
                # Compiled against each warehouse file: relations are qualified "<variant>"... / "old"...
                con.execute(f"create temp table inline_new as {compiled[(name, variant)]}")
                con.execute(f"create temp table inline_old as {compiled[(name, 'old')]}")
                results[f"{variant}: {name}"] = compare(con, "temp.inline_new", "temp.inline_old", keys)
                con.execute("drop table temp.inline_new")
                con.execute("drop table temp.inline_old")
        finally:
            con.close()
    print("\nequivalence with old")
    for name, result in results.items():
        print(f"  {name:54s} " + ", ".join(f"{k}={v}" for k, v in result.items()))
    (work / "bench_scoring_as_of.json").write_text(
        json.dumps({"timings": measured, "equivalence": results}, indent=2, default=str), encoding="utf-8"
    )
    failed = [
        name
        for name, r in results.items()
        if r["rows_new"] != r["rows_old"]
        or r["only_new"]
        or r["only_old"]
        or r["unequal_other"]
        or (r["max_abs_diff"] or 0.0) >= 1e-9
    ]
    print("equivalent within 1e-9" if not failed else f"DIFFERENT: {failed}")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
