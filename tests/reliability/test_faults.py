"""A full disk and files nobody may change: a clear error, exit 2, the journal byte for byte as it was."""

from __future__ import annotations

import fcntl
import os
import resource
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from attack import (
    assert_clean_error,
    build_journal,
    has_command,
    immutable,
    mount,
    nexus,
    run_many,
    temp_files,
    unmount,
    write_journal,
)

from nexus_cli.core import store
from nexus_cli.core.store import lock

WRITES = [
    ("log", "python", "1h", "--note", "must not land"),
    ("add", "topic", "Kubernetes"),
    ("solve", "challenge-0", "--solution", "must not land"),
]


def _readers(journal: Path) -> list[tuple[str, ...]]:
    readers = [("list", "topics"), ("show", "python")]
    for name, args in [
        ("progress", ("progress",)),
        ("export", ("export", "markdown")),
        ("validate", ("validate", str(journal))),
    ]:
        if has_command(name):
            readers.append(args)
    return readers


def _assert_refused_and_unchanged(journal: Path, reason: str) -> None:
    before = journal.read_bytes()
    backup = store.backup_path(journal)
    backup_before = backup.read_bytes() if backup.exists() else None
    for run in run_many([(args, {}) for args in WRITES]):
        line = assert_clean_error(run, names=journal)
        assert reason in line, str(run)
        assert "hint:" in run.stderr
    assert journal.read_bytes() == before
    assert (backup.read_bytes() if backup.exists() else None) == backup_before
    assert not temp_files(journal.parent)


def _file_size_limit(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_file_size_limit_stops_the_write_and_keeps_the_journal(journal):
    """A disk that fills up mid-write, imitated by RLIMIT_FSIZE (no mount needed)."""
    before = journal.read_bytes()
    run = nexus(*WRITES[0], preexec_fn=_file_size_limit(len(before) // 2))
    line = assert_clean_error(run, names=journal)
    assert "File too large" in line
    assert "free some disk space" in run.stderr
    assert journal.read_bytes() == before
    assert not temp_files(journal.parent)
    assert nexus(*WRITES[0]).returncode == 0, "the next run, with room, must work"


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 128 KiB tmpfs (root only, and only where the sandbox allows mounts)."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if not mount("-t", "tmpfs", "-o", "size=128k,mode=0700", "tmpfs", str(folder)):
        pytest.skip("cannot mount a tmpfs here (needs root and mount rights)")
    try:
        yield folder
    finally:
        unmount(folder)


def test_a_full_disk_stops_the_write_and_keeps_the_journal(tiny_disk, monkeypatch):
    journal = tiny_disk / "journal.toml"
    monkeypatch.setenv("NEXUS_JOURNAL", str(journal))
    write_journal(journal, build_journal(150))
    assert nexus(*WRITES[0]).returncode == 0  # a backup and a lock exist, as after real use
    filler = tiny_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass  # the disk is full
    finally:
        os.close(fd)
    _assert_refused_and_unchanged(journal, "No space left on device")
    runs = run_many([(args, {}) for args in _readers(journal)])
    assert all(run.returncode == 0 for run in runs), [str(r) for r in runs if r.returncode]
    filler.unlink()
    assert nexus(*WRITES[0]).returncode == 0, "with room again, writes work"


def test_an_immutable_journal_is_refused_and_unchanged(journal):
    """chattr +i: even root cannot replace the file (tests run as root here)."""
    assert nexus("log", "python", "5m").returncode == 0  # a lock and a backup exist
    with immutable(journal):
        _assert_refused_and_unchanged(journal, "Operation not permitted")


def test_a_folder_nobody_may_write_to(journal):
    assert nexus("log", "python", "5m").returncode == 0
    with immutable(journal.parent):
        _assert_refused_and_unchanged(journal, "cannot write")
        runs = run_many([(args, {}) for args in _readers(journal)])
    assert all(run.returncode == 0 for run in runs), [str(r) for r in runs if r.returncode]


def test_a_new_folder_nobody_may_write_to_cannot_get_a_lock(journal):
    """No lock file yet and none can be made: refused before anything else."""
    store.lock_path(journal).unlink()
    with immutable(journal.parent):
        run = nexus(*WRITES[0])
        assert "cannot create its lock file" in assert_clean_error(run, names=journal)
        assert "reading still works" in run.stderr
        assert nexus("list", "topics").returncode == 0


def test_a_read_only_mount_keeps_every_reader_working(journal, tmp_path, monkeypatch):
    assert nexus("log", "python", "5m").returncode == 0
    view = tmp_path / "read-only"
    view.mkdir()
    if not mount("--bind", str(journal.parent), str(view)):
        pytest.skip("cannot bind-mount here")
    try:
        if not mount("-o", "remount,bind,ro", str(view)):
            pytest.skip("cannot remount read-only here")
        mounted = view / journal.name
        monkeypatch.setenv("NEXUS_JOURNAL", str(mounted))
        _assert_refused_and_unchanged(mounted, "Read-only file system")
        runs = run_many([(args, {}) for args in _readers(mounted)])
        assert all(run.returncode == 0 for run in runs), [str(r) for r in runs if r.returncode]
    finally:
        unmount(view)


def test_a_lock_held_too_long_gives_a_message_not_a_hang(journal):
    before = journal.read_bytes()
    fd = os.open(store.lock_path(journal), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.pwrite(fd, f"{os.getpid()} 1\n".encode(), 0)
        started = time.monotonic()
        run = nexus(*WRITES[0], env={"NEXUS_LOCK_TIMEOUT": "1"})
        waited = time.monotonic() - started
    finally:
        os.close(fd)
    line = assert_clean_error(run, names=journal)
    assert "busy" in line and f"pid {os.getpid()}" in line
    assert "NEXUS_LOCK_TIMEOUT" in run.stderr
    assert waited < 60
    assert journal.read_bytes() == before


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "soon"])
def test_a_silly_lock_timeout_cannot_make_nexus_wait_forever(monkeypatch, value):
    monkeypatch.setenv("NEXUS_LOCK_TIMEOUT", value)
    assert lock._lock_timeout() == store.DEFAULT_LOCK_TIMEOUT
