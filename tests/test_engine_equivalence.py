"""The same fixture built on DuckDB and on another engine gives the same marts (issue 15).

A small generated data set (300 leads) is built with `dbt build` (seeds, snapshot, every model,
data tests and unit tests) on DuckDB and on Spark (a local session, raw files read by Spark's
Parquet reader) or PostgreSQL (a throwaway local server, raw files loaded with COPY). Every table
of the marts schema must hold the same rows on both: doubles within 1e-9, everything else exactly
(tests/engines.py; tests/test_engine_compare.py shows the comparison catches each kind of
difference). Not part of `make test`: `make test-spark` / `make test-postgres` install the engine
and run these (pytest -m spark / -m postgres).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from engines import Mart, compare_marts, duckdb_marts, postgres_marts, report, spark_marts

from lead_funnel.dbt_invoke import DbtOutcome, run_dbt
from lead_funnel.generator import GeneratorParams, generate

LEADS = 300
SEED = 15
MIN_MARTS = 20


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("engines_raw")
    generate(GeneratorParams(n_leads=LEADS, seed=SEED), out)
    return out


def _paths(work: Path) -> dict[str, str]:
    return {"DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")}


def _assert_built(outcome: DbtOutcome, engine: str) -> None:
    assert outcome.success, f"dbt build on {engine} failed:\n" + "\n".join(outcome.failures)
    for resource_type in ("seed", "snapshot", "model", "test", "unit_test"):
        assert outcome.count(resource_type) > 0, f"{engine}: no {resource_type} ran"


@pytest.fixture(scope="module")
def duckdb_build(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Mart]:
    work = tmp_path_factory.mktemp("engines_duckdb")
    warehouse = work / "lead_funnel.duckdb"
    outcome = run_dbt(["build"], raw_dir=raw_dir, warehouse=warehouse, target="test", extra_env=_paths(work))
    _assert_built(outcome, "duckdb")
    marts = duckdb_marts(warehouse)
    assert len(marts) >= MIN_MARTS, sorted(marts)
    assert sum(len(m.rows) for m in marts.values()) > 0
    return marts


@pytest.fixture(scope="module")
def spark_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Spark session's tables and metastore (fixed when the session starts)."""
    return tmp_path_factory.mktemp("engines_spark")


@pytest.fixture(scope="module")
def spark_build(raw_dir: Path, spark_dir: Path) -> Iterator[dict[str, Mart]]:
    from pyspark.sql import SparkSession

    # pyspark turns timestamps into the process's local time: make that UTC, as the session's.
    os.environ["TZ"] = "UTC"
    time.tzset()
    env = {**_paths(spark_dir), "LEAD_FUNNEL_SPARK_DIR": str(spark_dir / "spark")}
    try:
        outcome = run_dbt(["build"], raw_dir=raw_dir, target="spark", extra_env=env)
        _assert_built(outcome, "spark")
        # dbt-spark's session method ran the build in this process's Spark session.
        yield spark_marts(SparkSession.builder.getOrCreate())
    finally:
        active = SparkSession.getActiveSession()
        if active is not None:
            active.stop()


@pytest.fixture(scope="module")
def postgres_build(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Mart]]:
    from lead_funnel.engines.postgres import load_raw_files, local_postgres

    work = tmp_path_factory.mktemp("engines_postgres")
    with local_postgres() as server:
        loaded = load_raw_files(raw_dir, server.dsn())
        assert loaded.get("leads", 0) > 0, loaded
        env = {**_paths(work), **server.env()}
        outcome = run_dbt(["build"], raw_dir=raw_dir, target="postgres", extra_env=env)
        _assert_built(outcome, "postgres")
        yield postgres_marts(server.dsn())


@pytest.mark.spark
def test_spark_marts_equal_duckdb_marts(duckdb_build: dict[str, Mart], spark_build: dict[str, Mart]) -> None:
    differences = compare_marts(duckdb_build, spark_build)
    assert differences == {}, report(differences, "duckdb", "spark")


def _csv_copy(raw_dir: Path, out: Path) -> Path:
    """The fixture as CSV exports (one <table>.csv each, a header, ISO timestamps with offset)."""
    out.mkdir()
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for parquet in sorted(raw_dir.glob("*.parquet")):
            target = out / f"{parquet.stem}.csv"
            con.execute(f"copy (select * from read_parquet('{parquet}')) to '{target}' (header)")
    return out


@pytest.mark.spark
def test_spark_reads_csv_exports_as_duckdb_does(
    raw_dir: Path, spark_dir: Path, spark_build: dict[str, Mart], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Staging from CSV files: Spark's CSV reader (text columns, staging casts) gives the rows
    DuckDB's gives, table by table (base rows with their quarantine reasons, staged rows)."""
    from pyspark.sql import SparkSession

    work = tmp_path_factory.mktemp("engines_csv")
    csv_dir = _csv_copy(raw_dir, work / "raw_csv")
    staging = ["build", "--select", "+staging", "--exclude-resource-type", "test", "unit_test"]
    warehouse = work / "csv.duckdb"
    outcome = run_dbt(
        staging, raw_dir=csv_dir, warehouse=warehouse, target="test", extra_env=_paths(work / "d")
    )
    assert outcome.success, "\n".join(outcome.failures)
    env = {**_paths(work / "s"), "LEAD_FUNNEL_SPARK_DIR": str(spark_dir / "spark")}
    outcome = run_dbt(staging, raw_dir=csv_dir, target="spark", extra_env=env)
    assert outcome.success, "\n".join(outcome.failures)
    duck = duckdb_marts(warehouse, "staging")
    spark = spark_marts(SparkSession.builder.getOrCreate(), "staging")
    assert len(duck) >= 2 * 14, sorted(duck)
    assert sum(len(m.rows) for m in duck.values()) > 0
    differences = compare_marts(duck, spark)
    assert differences == {}, report(differences, "duckdb (csv)", "spark (csv)")


@pytest.mark.postgres
def test_postgres_marts_equal_duckdb_marts(
    duckdb_build: dict[str, Mart], postgres_build: dict[str, Mart]
) -> None:
    differences = compare_marts(duckdb_build, postgres_build)
    assert differences == {}, report(differences, "duckdb", "postgres")
