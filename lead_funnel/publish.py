"""Write-audit-publish for the serving DuckDB file.

BI tools open ``warehouse/lead_funnel.duckdb`` read-only. A build never writes to it:

1. **write**: copy the serving file (when there is one, so snapshot history and any incremental
   state carry over) to a candidate next to it, ``.<name>.building.duckdb``, and ``dbt build``
   into the candidate;
2. **audit**: ``dbt build`` runs every test on the candidate; any failure or error stops here;
3. **publish**: checkpoint the candidate (no WAL left behind) and ``os.replace`` it over the
   serving file: an atomic rename on the same filesystem. A reader that has the old file open
   keeps reading the old file (its open descriptor still points at it); new connections see the
   new build.

A failed build leaves the serving file untouched; the candidate is kept as
``<name>.failed.duckdb`` for inspection. Publishers are serialised with a lock file.
"""

from __future__ import annotations

import fcntl
import os
import shutil
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


@contextmanager
def _publish_lock(serving: Path) -> Iterator[None]:
    lock_file = serving.with_name(f".{serving.name}.lock")
    with lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
) -> PublishResult:
    """``dbt <args>`` into a candidate copy of ``serving``; publish it only if everything passed."""
    serving = serving.resolve()
    serving.parent.mkdir(parents=True, exist_ok=True)
    candidate = candidate_path(serving)
    with _publish_lock(serving):
        _seed_candidate(serving, candidate)
        try:
            outcome = builder(
                list(args), raw_dir=raw_dir, warehouse=candidate, target=target, extra_env=extra_env
            )
        except BaseException:
            _keep_failed(candidate, serving)
            raise
        if not outcome.success:
            return PublishResult(False, serving, candidate, outcome, _keep_failed(candidate, serving))
        publish_file(candidate, serving)
        return PublishResult(True, serving, candidate, outcome)


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
