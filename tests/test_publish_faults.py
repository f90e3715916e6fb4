"""Faults while writing a build leave no debris and give one clear line (issue 13): disk full,
unwritable folder, a concurrent build holding the lock, and new connections seeing the new file."""

from __future__ import annotations

import errno
import fcntl
import shutil
from pathlib import Path

import duckdb
import pytest

from lead_funnel import publish
from lead_funnel.dbt_invoke import DbtOutcome
from lead_funnel.publish import (
    PublishError,
    build_and_publish,
    candidate_path,
    export_path,
    failed_path,
    lock_path,
    publish_file,
)


def _serving(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse" / "lead_funnel.duckdb"
    first = candidate_path(path)
    first.parent.mkdir(parents=True)
    with duckdb.connect(str(first)) as con:
        con.execute("create schema marts; create table marts.t as select 'old' as v")
    publish_file(first, path)
    return path


def _ok_builder(args, raw_dir, warehouse, target, extra_env) -> DbtOutcome:
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update marts.t set v = 'new'")
    return DbtOutcome(success=True)


def _debris(serving: Path) -> list[str]:
    """Partial or failed files left behind: a candidate, a failed copy, a half-written served file."""
    places = (candidate_path(serving), failed_path(serving), export_path(serving))
    return sorted(str(p) for place in places for p in [place, Path(f"{place}.wal")] if p.exists())


def test_disk_full_while_copying_removes_the_partial_copy(tmp_path: Path, monkeypatch) -> None:
    serving = _serving(tmp_path)

    def full_copy(src, dst, *a, **k):
        Path(dst).write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full_copy)
    with pytest.raises(PublishError, match="disk full"):
        build_and_publish(tmp_path, serving, builder=_ok_builder)
    assert _debris(serving) == [], "the partial copy is removed so the disk is not left full"


@pytest.mark.parametrize("keep_failed", [True, False])
def test_disk_full_while_building_removes_the_candidate(tmp_path: Path, keep_failed: bool) -> None:
    serving = _serving(tmp_path)

    def builder(args, raw_dir, warehouse, target, extra_env) -> DbtOutcome:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(PublishError, match="disk full") as info:
        build_and_publish(tmp_path, serving, builder=builder, keep_failed=keep_failed)
    assert "\n" not in str(info.value)
    assert _debris(serving) == []
    with duckdb.connect(str(serving), read_only=True) as con:
        assert con.execute("select v from marts.t").fetchone() == ("old",)


def test_failed_build_is_removed_unless_kept(tmp_path: Path) -> None:
    serving = _serving(tmp_path)
    result = build_and_publish(
        tmp_path, serving, builder=lambda *a, **k: DbtOutcome(success=False), keep_failed=False
    )
    assert not result.published and result.failed_copy is None
    assert _debris(serving) == []
    result = build_and_publish(tmp_path, serving, builder=lambda *a, **k: DbtOutcome(success=False))
    assert result.failed_copy == failed_path(serving) and result.failed_copy.exists()


def test_read_only_folder_gives_one_line(tmp_path: Path, monkeypatch) -> None:
    """Simulated (tests may run as root, who writes anyway): the copy is refused with EROFS."""
    serving = _serving(tmp_path)

    def refused(src, dst, *a, **k):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(shutil, "copyfile", refused)
    with pytest.raises(PublishError, match="cannot write to") as info:
        build_and_publish(tmp_path, serving, builder=_ok_builder)
    assert "\n" not in str(info.value)
    assert _debris(serving) == []


def test_concurrent_build_names_the_holder_and_times_out(tmp_path: Path) -> None:
    serving = _serving(tmp_path)
    lock = lock_path(serving)
    messages: list[str] = []
    with lock.open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write("424242")
        handle.flush()
        with pytest.raises(PublishError, match=r"pid 424242.*--lock-timeout"):
            build_and_publish(
                tmp_path, serving, builder=_ok_builder, lock_timeout=0.5, notify=messages.append
            )
    assert messages and "pid 424242" in messages[0]
    assert not candidate_path(serving).exists()
    result = build_and_publish(tmp_path, serving, builder=_ok_builder, lock_timeout=0.5)
    assert result.published


def test_new_connection_sees_the_new_build_once_the_process_closed_the_old_one(tmp_path: Path) -> None:
    """DuckDB shares one database instance per path inside a process: while a connection to the
    old file is open, a new connection in that process still reads the old file (README says so);
    once it is closed, a new connection reads the published build."""
    serving = _serving(tmp_path)
    old = duckdb.connect(str(serving), read_only=True)
    assert build_and_publish(tmp_path, serving, builder=_ok_builder).published
    with duckdb.connect(str(serving), read_only=True) as same_process:
        assert same_process.execute("select v from marts.t").fetchone() == ("old",)
    old.close()
    with duckdb.connect(str(serving), read_only=True) as fresh:
        assert fresh.execute("select v from marts.t").fetchone() == ("new",)


def test_cli_build_prints_one_line_and_exits_1_on_disk_full(tmp_path: Path, monkeypatch) -> None:
    """`lead-funnel build` turns a publish fault into one line (no traceback) and exit code 1."""
    from click.testing import CliRunner

    from lead_funnel.cli import main

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "crm__leads.parquet").write_bytes(b"")

    def full(*args, **kwargs):
        raise PublishError("disk full while writing the build in /x: partial files removed")

    monkeypatch.setattr(publish, "build_and_publish", full)
    result = CliRunner().invoke(
        main, ["build", "--skip-validate", "--raw-dir", str(raw), "--warehouse", str(tmp_path / "w.duckdb")]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception is not None
    assert isinstance(result.exception, SystemExit)
    assert [line for line in result.output.splitlines() if "disk full" in line] == [
        "not published: disk full while writing the build in /x: partial files removed"
    ]


def test_every_operational_fault_names_an_existing_test() -> None:
    from lead_funnel.quality.dirty import OPERATIONAL_FAULTS

    root = Path(__file__).resolve().parent.parent
    for fault in OPERATIONAL_FAULTS:
        module, function = fault.test.split("::")
        assert f"def {function}(" in (root / module).read_text(), fault.kind
