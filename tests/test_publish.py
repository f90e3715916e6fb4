"""Write-audit-publish: a failed build never touches the served file, a reader that has the old
file open keeps reading it while a new build is published under it, and the served file holds the
BI-facing tables only (lead_funnel/publish.py, docs/serving.md)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from lead_funnel.dbt_invoke import DbtOutcome
from lead_funnel.publish import (
    SERVED_SCHEMAS,
    build_and_publish,
    build_path,
    candidate_path,
    failed_path,
    manifest_path,
    publish_file,
)

READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
def report():
    value = con.execute("select v from marts.t").fetchall()[0][0]
    tables = con.execute("select count(*) from information_schema.tables").fetchall()[0][0]
    print(f"{value} {tables}", flush=True)
report()
for line in sys.stdin:
    report()
"""


class Reader:
    """A separate process holding a read-only DuckDB connection to the serving file."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", READER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def read(self) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line, "the reader process died"
        return line

    def again(self) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0


def _serving(tmp_path: Path) -> Path:
    """A published warehouse: its build holds marts.t = 'old' and a staging table."""
    path = tmp_path / "warehouse" / "lead_funnel.duckdb"
    first = candidate_path(path)
    first.parent.mkdir(parents=True)
    with duckdb.connect(str(first)) as con:
        con.execute("create schema marts; create table marts.t as select 'old' as v")
        con.execute("create schema staging; create table staging.s as select 'private' as email")
    publish_file(first, path)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fresh(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select v from marts.t").fetchall()[0][0]


def _dbt_env(tmp_path: Path) -> dict[str, str]:
    return {"DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}


def test_reader_keeps_the_old_file_while_a_new_build_is_published(tmp_path: Path, raw_dir: Path) -> None:
    serving = _serving(tmp_path)

    def builder(args, raw_dir, warehouse, target, extra_env) -> DbtOutcome:
        assert warehouse == candidate_path(serving) and warehouse.exists(), "builds start from a copy"
        assert reader.again() == "old 1", "the reader sees the old data during the build"
        with duckdb.connect(str(warehouse)) as con:
            assert con.execute("select email from staging.s").fetchall() == [("private",)]
            con.execute("update marts.t set v = 'new'")
        return DbtOutcome(success=True)

    reader = Reader(serving)
    try:
        assert reader.read() == "old 1"
        result = build_and_publish(raw_dir, serving, builder=builder)
        assert result.published
        assert _fresh(serving) == "new", "a new connection reads the published build"
        assert reader.again() == "old 1", "the open reader still reads the file it opened"
    finally:
        reader.close()
    assert not candidate_path(serving).exists()
    assert not Path(str(serving) + ".wal").exists()


def test_real_dbt_build_is_published_under_a_live_reader(tmp_path: Path, raw_dir: Path) -> None:
    serving = _serving(tmp_path)
    reader = Reader(serving)
    try:
        assert reader.read() == "old 1"
        result = build_and_publish(raw_dir, serving, ["seed"], target="test", extra_env=_dbt_env(tmp_path))
        assert result.published, result.outcome.failures
        with duckdb.connect(str(build_path(serving)), read_only=True) as con:
            seeds = con.execute(
                "select count(*) from information_schema.tables where table_schema = 'seeds'"
            ).fetchall()[0][0]
            assert seeds >= 3, "the build keeps every schema"
        assert manifest_path(serving).exists(), "slim CI compares changes with the published manifest"
        with duckdb.connect(str(serving), read_only=True) as con:
            assert con.execute("select v from marts.t").fetchall()[0][0] == "old"
        assert reader.again() == "old 1"
    finally:
        reader.close()


@pytest.mark.parametrize("how", ["dbt fails", "builder raises"])
def test_failed_build_leaves_the_served_file_unchanged(tmp_path: Path, raw_dir: Path, how: str) -> None:
    serving = _serving(tmp_path)
    before = _digest(serving)
    reader = Reader(serving)
    try:
        assert reader.read() == "old 1"
        if how == "dbt fails":
            result = build_and_publish(
                raw_dir,
                serving,
                ["run-operation", "no_such_macro"],
                target="test",
                extra_env=_dbt_env(tmp_path),
            )
            assert not result.published and not result.outcome.success
            assert result.failed_copy == failed_path(serving) and result.failed_copy.exists()
        else:

            def builder(args, raw_dir, warehouse, target, extra_env) -> DbtOutcome:
                with duckdb.connect(str(warehouse)) as con:
                    con.execute("update marts.t set v = 'half-built'")
                raise RuntimeError("killed mid-build")

            with pytest.raises(RuntimeError):
                build_and_publish(raw_dir, serving, builder=builder)
            assert failed_path(serving).exists() and not candidate_path(serving).exists()
        assert _digest(serving) == before
        assert _fresh(serving) == "old"
        assert reader.again() == "old 1"
    finally:
        reader.close()


def test_the_served_file_holds_the_served_schemas_as_tables_only(tmp_path: Path) -> None:
    serving = _serving(tmp_path)
    with duckdb.connect(str(serving), read_only=True) as con:
        schemas = {
            r[0]
            for r in con.execute("select distinct table_schema from information_schema.tables").fetchall()
        }
        views = con.execute("select count(*) from duckdb_views() where not internal").fetchall()[0][0]
    assert schemas <= set(SERVED_SCHEMAS) and "marts" in schemas, "staging stays in the build"
    assert views == 0
    with duckdb.connect(str(build_path(serving)), read_only=True) as con:
        assert con.execute("select email from staging.s").fetchall() == [("private",)]


def test_a_view_in_a_served_schema_is_refused(tmp_path: Path, raw_dir: Path) -> None:
    from lead_funnel.publish import PublishError

    serving = _serving(tmp_path)

    def builder(args, raw_dir, warehouse, target, extra_env) -> DbtOutcome:
        with duckdb.connect(str(warehouse)) as con:
            con.execute("create view marts.v as select * from staging.s")
        return DbtOutcome(success=True)

    with pytest.raises(PublishError, match=r"marts\.v is a view"):
        build_and_publish(raw_dir, serving, builder=builder, keep_failed=False)
    assert _fresh(serving) == "old"
