"""Helpers for tests of the served file: a copy of the dbt project, a served-like warehouse holding
only the `marts` schema, and another process holding that file open read-only (a BI reader)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from lead_funnel.paths import PROJECT_DIR

# What dbt needs of the project (a copy lets a test write target/ or change a model freely).
PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds", "snapshots", "tests/dbt", "profiles")


def copy_project(destination: Path) -> Path:
    """Copy the dbt project (not its target/, logs or warehouse) to ``destination``."""
    for part in PROJECT_PARTS:
        source = PROJECT_DIR / part
        target = destination / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    return destination


def served_copy(build: Path, served: Path, schemas: tuple[str, ...] = ("marts",)) -> Path:
    """A file shaped like the served warehouse: only ``schemas`` of ``build``, tables only.

    ``served`` should be named lead_funnel.duckdb so that its catalog is the production one.
    """
    served.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(served)) as con:
        con.execute(f"attach '{build}' as build_file (read_only)")
        for schema in schemas:
            con.execute(f"create schema if not exists {schema}")
            tables = con.execute(
                "select table_name from information_schema.tables where table_catalog = 'build_file'"
                " and table_schema = ? and table_type = 'BASE TABLE' order by 1",
                [schema],
            ).fetchall()
            for (table,) in tables:
                con.execute(f"create table {schema}.{table} as select * from build_file.{schema}.{table}")
        con.execute("detach build_file")
        con.execute("checkpoint")
    return served


_READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("select count(*) from information_schema.tables").fetchall()
print("reading", flush=True)
sys.stdin.read()
con.close()
"""


@contextmanager
def reader_holding(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process with ``path`` open read-only (as a BI tool has it) until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-c", _READER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "reading"
        yield process
    finally:
        if process.stdin is not None:
            process.stdin.close()
        process.wait(timeout=30)


def writer_refused(path: Path) -> str:
    """Try to open ``path`` read-write from another process; the error it gets ('' if none)."""
    code = (
        "import sys, duckdb\n"
        "try:\n"
        "    duckdb.connect(sys.argv[1]).close()\n"
        "except duckdb.Error as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.strip()
