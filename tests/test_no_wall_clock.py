"""Nothing reads the wall clock (issue 13): the same raw data built with the clock moved to an
instant inside the data's range gives the same marts, data-quality counts and snapshot as the
session build. The clock of the building process is faked with libfaketime (LD_PRELOAD), so
DuckDB's now() and Python's time both read the moved clock; file modification times (the load
time of files without loaded_at) are the files' own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from warehouses import differences

BUILD = """
import sys
from pathlib import Path
from lead_funnel.dbt_invoke import run_dbt
import duckdb
now = duckdb.sql("select cast(now() as varchar)").fetchall()[0][0]
print("clock:", now, flush=True)
outcome = run_dbt(["build"], Path(sys.argv[1]), Path(sys.argv[2]), target="test")
sys.exit(0 if outcome.success else 1)
"""


def _middle_of_the_data(raw_dir: Path) -> str:
    (instant,) = duckdb.sql(
        "select cast(quantile_disc(created_at, 0.5) as timestamp) "
        f"from read_parquet('{raw_dir / 'leads.parquet'}')"
    ).fetchall()[0]
    return instant.strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture(scope="module")
def shifted_build(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    from libfaketime import get_reload_information

    work = tmp_path_factory.mktemp("shifted_clock")
    warehouse = work / "shifted.duckdb"
    instant = _middle_of_the_data(raw_dir)
    _, faked = get_reload_information()
    env = {
        **os.environ,
        **faked,
        "FAKETIME": f"@{instant}",
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(raw_dir), str(warehouse)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return warehouse, instant, done.stdout


def test_the_build_ran_with_the_clock_inside_the_data(shifted_build) -> None:
    _, instant, output = shifted_build
    assert f"clock: {instant[:16]}" in output, output[:500]


def test_a_moved_clock_changes_no_mart(shifted_build, warehouse: Path) -> None:
    shifted, _, _ = shifted_build
    extra = ("quality.row_reconciliation", "quality.quarantine_summary", "snapshots.snp_crm__leads")
    assert differences(warehouse, shifted, extra) == {}
