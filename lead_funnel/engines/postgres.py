"""A local PostgreSQL for the ``postgres`` target, and the loader of the raw files into it.

``local_postgres()`` runs Debian's PostgreSQL binaries (``scripts/install_os_packages.sh`` installs
them when missing) on a data folder of its own under a temporary directory, on a free port of
127.0.0.1, with the C collation (text sorts by bytes, as on DuckDB and Spark) and the UTC time
zone, and stops and removes it on exit, whatever happened. As root, the server runs as the
``postgres`` user (initdb refuses root).

``load_raw_files()`` plays the part of a warehouse's loader (an EL tool): every delivered raw file
of the contract becomes the table ``<source>.<table>`` the dbt sources name, read with the same
DuckDB readers the DuckDB build uses (Parquet, or CSV as text) and copied in with COPY. The files
are never modified. ``<source>.raw_file_loads`` records each file's modification time, to the
second, the load time staging uses for a file without ``loaded_at`` (macro raw_file_loaded_at).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv

from lead_funnel.contract import TABLES
from lead_funnel.raw_files import delivered_tables, raw_file

USER = "lead_funnel"
DATABASE = "lead_funnel"
# Environment variables the `postgres` target of profiles/profiles.yml reads.
ENV_HOST, ENV_PORT, ENV_USER, ENV_DATABASE = (
    "LEAD_FUNNEL_PG_HOST",
    "LEAD_FUNNEL_PG_PORT",
    "LEAD_FUNNEL_PG_USER",
    "LEAD_FUNNEL_PG_DATABASE",
)


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    database: str

    def env(self) -> dict[str, str]:
        """The variables the `postgres` target of profiles/profiles.yml reads."""
        return {
            ENV_HOST: self.host,
            ENV_PORT: str(self.port),
            ENV_USER: self.user,
            ENV_DATABASE: self.database,
        }

    def dsn(self) -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname={self.database}"


def postgres_bindir() -> Path:
    """The newest PostgreSQL server binaries installed from the OS packages."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if not candidates:
        raise RuntimeError(
            "no PostgreSQL server under /usr/lib/postgresql: run"
            " `bash scripts/install_os_packages.sh initdb postgresql` (or `make test-postgres`)"
        )
    return candidates[-1].parent


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], as_user: str | None, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=check, capture_output=True, text=True, user=as_user, group=as_user)


@contextmanager
def local_postgres() -> Iterator[PostgresServer]:
    """Start a throwaway PostgreSQL server; stop it and delete its folder on exit."""
    bindir = postgres_bindir()
    as_user = "postgres" if os.geteuid() == 0 else None
    work = Path(tempfile.mkdtemp(prefix="lead_funnel_pg_"))
    if as_user:
        shutil.chown(work, as_user, as_user)
    data, log = work / "data", work / "postgres.log"
    port = free_port()
    started = False
    try:
        _run(
            [str(bindir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "--locale=C", "-E", "UTF8"],
            as_user,
        )
        options = (
            f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c timezone=UTC"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        start = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]
        result = _run(start, as_user, check=False)
        if result.returncode != 0:
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {result.stdout}{result.stderr}{tail}")
        started = True
        _run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE], as_user)
        yield PostgresServer("127.0.0.1", port, USER, DATABASE)
    finally:
        if started:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], as_user, check=False)
        shutil.rmtree(work, ignore_errors=True)


_PG_TYPES = {
    pa.string(): "text",
    pa.large_string(): "text",
    pa.int64(): "bigint",
    pa.int32(): "integer",
    pa.float64(): "double precision",
    pa.bool_(): "boolean",
    pa.date32(): "date",
}


def _pg_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_timestamp(arrow_type):
        return "timestamptz" if arrow_type.tz else "timestamp"
    return _PG_TYPES.get(arrow_type, "text")


def _read(raw_dir: Path, table_name: str, fmt: str) -> pa.Table:
    """A raw file as DuckDB's build reads it (sources' external_location): Parquet, or CSV as text."""
    path = str(raw_file(raw_dir, table_name, fmt)).replace("'", "''")
    if fmt == "parquet":
        reader = f"read_parquet('{path}')"
    else:
        reader = f"read_csv('{path}', header = true, all_varchar = true)"
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        return con.sql(f"select * from {reader}").to_arrow_table()


def load_raw_files(raw_dir: Path, dsn: str, fmt: str = "parquet") -> dict[str, int]:
    """(Re)load every delivered raw file into ``<source>.<table>``; rows loaded per table."""
    import psycopg2

    delivered = set(delivered_tables(raw_dir, fmt))
    loaded: dict[str, int] = {}
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        for source in sorted({t.source for t in TABLES}):
            cur.execute(f"create schema if not exists {source}")
            cur.execute(f"drop table if exists {source}.raw_file_loads")
            cur.execute(f"create table {source}.raw_file_loads (table_name text, loaded_at timestamp)")
        for table in TABLES:
            cur.execute(f"drop table if exists {table.source}.{table.name}")
            if table.name not in delivered:
                continue
            data = _read(raw_dir, table.name, fmt)
            columns = ", ".join(f'"{f.name}" {_pg_type(f.type)}' for f in data.schema)
            cur.execute(f"create table {table.source}.{table.name} ({columns})")
            buffer = io.BytesIO()
            pa_csv.write_csv(data, buffer)
            buffer.seek(0)
            cur.copy_expert(
                f"copy {table.source}.{table.name} from stdin with (format csv, header true)", buffer
            )
            modified = datetime.fromtimestamp(int(raw_file(raw_dir, table.name, fmt).stat().st_mtime), UTC)
            cur.execute(
                f"insert into {table.source}.raw_file_loads values (%s, %s)",
                [table.name, modified.replace(tzinfo=None)],
            )
            loaded[table.name] = data.num_rows
    return loaded
