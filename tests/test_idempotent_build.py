"""Idempotent builds: building again on the same inputs gives identical marts (an order-independent
checksum of every table). The session build is reused; the second build runs on a copy of it, the
way write-audit-publish builds on a copy of the serving file: table models are rebuilt from scratch,
incremental models take their incremental path, the snapshot sees no change."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from lead_funnel.dbt_invoke import run_dbt
from lead_funnel.quality.checksum import schema_checksums, table_checksum


@pytest.fixture(scope="module")
def second_build(raw_dir: Path, warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("second_build")
    path = work / "again.duckdb"
    shutil.copyfile(warehouse, path)
    if Path(f"{warehouse}.wal").exists():
        shutil.copyfile(f"{warehouse}.wal", f"{path}.wal")
    env = {"DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")}
    outcome = run_dbt(["build"], raw_dir=raw_dir, warehouse=path, target="test", extra_env=env)
    assert outcome.success, outcome.failures
    return path


def _checksums(path: Path, schema: str) -> dict[str, tuple[int, str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return schema_checksums(con, schema)


@pytest.mark.parametrize("schema", ["marts", "intermediate", "snapshots"])
def test_two_builds_on_the_same_inputs_give_identical_tables(
    warehouse: Path, second_build: Path, schema: str
) -> None:
    first, second = _checksums(warehouse, schema), _checksums(second_build, schema)
    assert first and sum(rows for rows, _ in first.values()) > 0, f"nothing built in {schema}: {first}"
    if schema == "marts":
        assert len(first) >= 4, first
    differing = {
        t: (first.get(t), second.get(t))
        for t in first.keys() | second.keys()
        if first.get(t) != second.get(t)
    }
    assert not differing, differing


def test_checksum_ignores_row_order_but_sees_any_changed_row(warehouse: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tampered.duckdb"
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        before = table_checksum(con, "marts", "dim_leads")
        con.execute("create table marts.shuffled as select * from marts.dim_leads order by md5(lead_id)")
        assert table_checksum(con, "marts", "shuffled") == before
        lead = con.execute("select min(lead_id) from marts.shuffled").fetchall()[0][0]
        con.execute("update marts.shuffled set mql_count = mql_count + 1 where lead_id = ?", [lead])
        assert table_checksum(con, "marts", "shuffled")[1] != before[1]
        con.execute("insert into marts.shuffled select * from marts.dim_leads limit 1")
        assert table_checksum(con, "marts", "shuffled")[0] == before[0] + 1


def test_checksum_compares_floats_at_full_precision() -> None:
    """Builds are bit-identical (issue 13), so the checksum sees a double's last bit, and a value
    that reads back as the same double gives the same checksum."""
    con = duckdb.connect()
    con.execute("create schema marts")

    def checksum(value: float) -> tuple[int, str]:
        con.execute("create or replace table marts.t as select ?::double as amount, 'a' as label", [value])
        return table_checksum(con, "marts", "t")

    base = checksum(228686.07594936708)
    assert checksum(228686.07594936708) == base
    assert checksum(228686.0759493671) != base  # 1 ulp apart
    assert checksum(228686.08594936708) != base  # one cent more
    assert checksum(1234567.89) != checksum(1234567.88)
