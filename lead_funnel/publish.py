"""Write-audit-publish: a full build kept for engineers, a served file that stands alone.

Two DuckDB files per warehouse (both with the catalog name ``lead_funnel``, from the file name):

* the **build** (``warehouse/build/lead_funnel.duckdb``, the ``dev`` target): every schema
  (staging views, intermediate, quarantine, seeds, snapshots, marts) and the state the next build
  continues from (incremental models, snapshot history). Engineers inspect it; BI never reads it:
  its staging views read the raw landing folder.
* the **served file** (``warehouse/lead_funnel.duckdb``, the ``bi`` target): only the BI-facing
  schemas of :data:`SERVED_SCHEMAS` (``marts``: facts, dimensions, the MetricFlow time spine;
  ``quality``: row counts and quarantine counts, no rows), copied as plain tables. No view, no
  raw path, no personal data: it answers every query with the raw folder gone.

A build:

1. **write**: copy the build file (when there is one) to a candidate (``build/.candidate/``) and
   ``dbt build`` into the candidate;
2. **audit**: ``dbt build`` runs every test on the candidate; any failure or error stops here;
3. **publish**: copy the served schemas of the candidate into a new file (``.serving/``),
   checkpoint both, and ``os.replace`` the candidate over the build file, then the new file over
   the served file: atomic renames on the same filesystem. A reader that has the old served file
   open keeps reading it (its open descriptor still points at it); new connections from other
   processes see the new build. DuckDB caches one database instance per path inside a process,
   so a process must close every connection to the old file before a new one of its own reads
   the new build.

A failed build leaves both files untouched; the candidate is kept as ``build/failed/`` when
``keep_failed`` (the CLI removes it unless ``--keep-failed``). A crash (disk full, unwritable
folder, killed build) removes the partial files; an ``OSError`` becomes a one-line
:class:`PublishError`. Publishers are serialised with a lock file holding the owner's pid; a
waiting publisher is told who holds it and may give up after ``lock_timeout`` seconds.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lead_funnel.dbt_invoke import DbtOutcome, run_dbt

Builder = Callable[..., DbtOutcome]


@dataclass
class PublishResult:
    """What a write-audit-publish run did."""

    published: bool
    serving: Path
    candidate: Path
    outcome: DbtOutcome
    failed_copy: Path | None = None
    build: Path | None = None


# The schemas the served file holds: BI-facing tables only (docs/serving.md).
SERVED_SCHEMAS: tuple[str, ...] = ("marts", "quality")


def build_path(serving: Path) -> Path:
    """The full build next to the served file (``build/<name>``): every schema, the next build's state."""
    return serving.parent / "build" / serving.name


def candidate_path(serving: Path) -> Path:
    """The file a build writes to (same filesystem as the build file: atomic rename)."""
    return serving.parent / "build" / ".candidate" / serving.name


def failed_path(serving: Path) -> Path:
    """Where the candidate of a failed build is kept for inspection."""
    return serving.parent / "build" / "failed" / serving.name


def manifest_path(serving: Path) -> Path:
    """The dbt manifest of the published build: what `lead-funnel ci-slim` compares a change with."""
    return serving.parent / "build" / "manifest" / "manifest.json"


def export_path(serving: Path) -> Path:
    """The new served file while it is written (same filesystem as the served file)."""
    return serving.parent / ".serving" / serving.name


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _remove(path: Path) -> None:
    for item in (path, _wal(path)):
        item.unlink(missing_ok=True)


def remove_database(path: Path) -> None:
    """Delete a DuckDB file and its WAL."""
    _remove(path)


class PublishError(Exception):
    """A build that could not be written or published, as one line for the user."""


def lock_path(serving: Path) -> Path:
    """The lock file serialising publishers; it holds the pid of the build that holds it."""
    return serving.with_name(f".{serving.name}.lock")


def _holder(lock_file: Path) -> str:
    try:
        text = lock_file.read_text().strip()
    except OSError:
        text = ""
    return f"pid {text}" if text else "another process"


@contextmanager
def _publish_lock(
    serving: Path, timeout: float | None = None, notify: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the publish lock; wait (with a message naming the holder) up to ``timeout`` seconds."""
    lock_file = lock_path(serving)
    with lock_file.open("a+") as handle:
        deadline = None if timeout is None else time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(lock_file)
                if deadline is not None and time.monotonic() >= deadline:
                    raise PublishError(
                        f"another build ({holder}) holds {lock_file}; "
                        f"gave up after {timeout:g} s (--lock-timeout)"
                    ) from None
                if not told and notify is not None:
                    notify(f"waiting for another build ({holder}) to release {lock_file}")
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _os_error_line(exc: OSError, where: Path) -> str:
    """One line for an OS error while writing a build (disk full, unwritable folder...)."""
    if exc.errno == errno.ENOSPC:
        return f"disk full while writing the build in {where}: partial files removed; free space, build again"
    if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
        return f"cannot write to {where} ({exc.strerror}): make the folder writable or pass --warehouse"
    return f"could not write the build in {where}: {exc.strerror or exc}"


def _seed_candidate(build: Path, candidate: Path, serving: Path) -> None:
    """Start the candidate from the build file (or, once, from a served file of the layout before
    the build / serve split, which held every schema), or from nothing."""
    _remove(candidate)
    candidate.parent.mkdir(parents=True, exist_ok=True)
    source = build if build.exists() else serving if _holds_full_build(serving) else None
    if source is not None:
        shutil.copyfile(source, candidate)
        if _wal(source).exists():
            shutil.copyfile(_wal(source), _wal(candidate))


def _holds_full_build(path: Path) -> bool:
    if not path.exists():
        return False
    with duckdb.connect(str(path), read_only=True) as con:
        found = con.execute(
            "select count(*) from information_schema.schemata where schema_name = 'staging'"
        ).fetchone()
    return bool(found and found[0])


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the database file so the single file is complete."""
    with duckdb.connect(str(path)) as con:
        con.execute("checkpoint")


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def export_served(candidate: Path, target: Path) -> list[str]:
    """Write a new DuckDB file at ``target`` holding the served schemas of ``candidate`` as plain
    tables; returns the relations copied. A view there would read the build's other schemas (or
    the raw files) and is refused: the served file must stand alone."""
    _remove(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    schemas = ", ".join(f"'{name}'" for name in SERVED_SCHEMAS)
    copied: list[str] = []
    with duckdb.connect(str(target)) as con:
        con.execute(f"attach '{candidate.as_posix()}' as built (read_only)")
        views = con.execute(
            "select schema_name || '.' || view_name from duckdb_views() "
            f"where database_name = 'built' and schema_name in ({schemas}) order by 1"
        ).fetchall()
        if views:
            raise PublishError(
                f"{views[0][0]} is a view: the served schemas ({schemas}) hold tables only; "
                "materialize it as a table"
            )
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            f"where database_name = 'built' and schema_name in ({schemas}) order by 1, 2"
        ).fetchall()
        for schema in sorted({schema for schema, _ in tables}):
            con.execute(f"create schema {_quote(schema)}")
        for schema, table in tables:
            name = f"{_quote(schema)}.{_quote(table)}"
            con.execute(f"create table {name} as select * from built.{name}")
            copied.append(f"{schema}.{table}")
        con.execute("detach built")
        con.execute("checkpoint")
    return copied


def _replace(source: Path, destination: Path) -> None:
    """Atomically move a checkpointed DuckDB file over ``destination`` (its WAL is obsolete)."""
    _fsync_file(source)
    destination.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, destination)
    _wal(destination).unlink(missing_ok=True)
    _fsync_dir(destination.parent)


def publish_file(candidate: Path, serving: Path) -> None:
    """Keep the audited ``candidate`` as the build file and publish its served schemas."""
    _checkpoint(candidate)
    staged = export_path(serving)
    try:
        export_served(candidate, staged)
        _replace(candidate, build_path(serving))
        _replace(staged, serving)
    finally:
        _remove(staged)


def build_and_publish(
    raw_dir: Path,
    serving: Path,
    args: Sequence[str] = ("build",),
    target: str = "dev",
    extra_env: dict[str, str] | None = None,
    builder: Builder = run_dbt,
    keep_failed: bool = True,
    lock_timeout: float | None = None,
    notify: Callable[[str], None] | None = None,
) -> PublishResult:
    """``dbt <args>`` into a candidate copy of the build file; publish it only if everything passed.

    A failed build (tests fail) is kept as :func:`failed_path` when ``keep_failed``, else
    removed. A crash while copying, building or publishing (disk full, unwritable folder, killed)
    always removes the partial candidate (kept as the failed copy only with ``keep_failed``) and
    an ``OSError`` becomes a one-line :class:`PublishError`.
    """
    serving = serving.resolve()
    try:
        serving.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(_os_error_line(exc, serving.parent)) from None
    try:
        with _publish_lock(serving, lock_timeout, notify):
            return _build_locked(raw_dir, serving, args, target, extra_env, builder, keep_failed)
    except OSError as exc:
        raise PublishError(_os_error_line(exc, serving.parent)) from None


def _build_locked(
    raw_dir: Path,
    serving: Path,
    args: Sequence[str],
    target: str,
    extra_env: dict[str, str] | None,
    builder: Builder,
    keep_failed: bool,
) -> PublishResult:
    candidate = candidate_path(serving)
    try:
        _seed_candidate(build_path(serving), candidate, serving)
        outcome = builder(
            list(args), raw_dir=raw_dir, warehouse=candidate, target=target, extra_env=extra_env
        )
        if outcome.success:
            publish_file(candidate, serving)
            _save_manifest(serving, extra_env)
            return PublishResult(True, serving, candidate, outcome, build=build_path(serving))
    except BaseException as exc:
        if keep_failed and not (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
            _keep_failed(candidate, serving)
        else:
            _remove(candidate)
            _remove(failed_path(serving))
        raise
    if keep_failed:
        return PublishResult(False, serving, candidate, outcome, _keep_failed(candidate, serving))
    _remove(candidate)
    return PublishResult(False, serving, candidate, outcome)


def _save_manifest(serving: Path, extra_env: dict[str, str] | None) -> None:
    """Keep the published build's manifest (dbt's target folder) beside the build."""
    from lead_funnel.paths import PROJECT_DIR

    target = (extra_env or {}).get("DBT_TARGET_PATH") or os.environ.get("DBT_TARGET_PATH")
    manifest = Path(target or PROJECT_DIR / "target") / "manifest.json"
    if manifest.exists():
        saved = manifest_path(serving)
        saved.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(manifest, saved)


def _keep_failed(candidate: Path, serving: Path) -> Path | None:
    """Move a failed candidate aside (:func:`failed_path`) for inspection."""
    failed = failed_path(serving)
    _remove(failed)
    if not candidate.exists():
        return None
    failed.parent.mkdir(parents=True, exist_ok=True)
    os.replace(candidate, failed)
    if _wal(candidate).exists():
        os.replace(_wal(candidate), _wal(failed))
    return failed
