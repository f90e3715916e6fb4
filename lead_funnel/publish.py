"""Write-audit-publish for the serving DuckDB file.

BI tools open ``warehouse/lead_funnel.duckdb`` read-only. A build never writes to it:

1. **write**: copy the serving file (when there is one, so snapshot history and any incremental
   state carry over) to a candidate next to it, ``.<name>.building.duckdb``, and ``dbt build``
   into the candidate;
2. **audit**: ``dbt build`` runs every test on the candidate; any failure or error stops here;
3. **publish**: checkpoint the candidate (no WAL left behind) and ``os.replace`` it over the
   serving file: an atomic rename on the same filesystem. A reader that has the old file open
   keeps reading the old file (its open descriptor still points at it); new connections from
   other processes see the new build. DuckDB caches one database instance per path inside a
   process, so a process must close every connection to the old file before a new one of its own
   reads the new build.

A failed build leaves the serving file untouched; the candidate is kept as
``<name>.failed.duckdb`` when ``keep_failed`` (the CLI removes it unless ``--keep-failed``).
A crash (disk full, unwritable folder, killed build) removes the partial candidate; an
``OSError`` becomes a one-line :class:`PublishError`. Publishers are serialised with a lock
file holding the owner's pid; a waiting publisher is told who holds it and may give up after
``lock_timeout`` seconds.
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


def candidate_path(serving: Path) -> Path:
    """The file a build writes to, next to the serving file (same filesystem: atomic rename)."""
    return serving.with_name(f".{serving.stem}.building{serving.suffix}")


def failed_path(serving: Path) -> Path:
    """Where the candidate of a failed build is kept for inspection."""
    return serving.with_name(f"{serving.stem}.failed{serving.suffix}")


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


def _seed_candidate(serving: Path, candidate: Path) -> None:
    """Start the candidate from the serving file, or from nothing."""
    _remove(candidate)
    if serving.exists():
        shutil.copyfile(serving, candidate)
        if _wal(serving).exists():
            shutil.copyfile(_wal(serving), _wal(candidate))


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the database file so the single file is complete."""
    with duckdb.connect(str(path)) as con:
        con.execute("checkpoint")


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_file(candidate: Path, serving: Path) -> None:
    """Atomically replace ``serving`` with the audited ``candidate``."""
    _checkpoint(candidate)
    with open(candidate, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(candidate, serving)
    _wal(serving).unlink(missing_ok=True)
    _fsync_dir(serving.parent)


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
    """``dbt <args>`` into a candidate copy of ``serving``; publish it only if everything passed.

    A failed build (tests fail) is kept as ``<name>.failed.duckdb`` when ``keep_failed``, else
    removed. A crash while copying, building or publishing (disk full, unwritable folder, killed)
    always removes the partial candidate (kept as the failed copy only with ``keep_failed``) and
    an ``OSError`` becomes a one-line :class:`PublishError`.
    """
    serving = serving.resolve()
    try:
        serving.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(_os_error_line(exc, serving.parent)) from None
    candidate = candidate_path(serving)
    try:
        with _publish_lock(serving, lock_timeout, notify):
            return _build_locked(raw_dir, serving, candidate, args, target, extra_env, builder, keep_failed)
    except OSError as exc:
        raise PublishError(_os_error_line(exc, serving.parent)) from None


def _build_locked(
    raw_dir: Path,
    serving: Path,
    candidate: Path,
    args: Sequence[str],
    target: str,
    extra_env: dict[str, str] | None,
    builder: Builder,
    keep_failed: bool,
) -> PublishResult:
    try:
        _seed_candidate(serving, candidate)
        outcome = builder(
            list(args), raw_dir=raw_dir, warehouse=candidate, target=target, extra_env=extra_env
        )
        if outcome.success:
            publish_file(candidate, serving)
            return PublishResult(True, serving, candidate, outcome)
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


def _keep_failed(candidate: Path, serving: Path) -> Path | None:
    """Move a failed candidate aside (``<name>.failed.duckdb``) for inspection."""
    failed = failed_path(serving)
    _remove(failed)
    if not candidate.exists():
        return None
    os.replace(candidate, failed)
    if _wal(candidate).exists():
        os.replace(_wal(candidate), _wal(failed))
    return failed
