"""A write that landed says so; nexus never writes what it cannot read; messages name the real cause."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from attack import BIN, Run, assert_clean_error, immutable, nexus, temp_files

from nexus_cli.core import store
from nexus_cli.core.store import files

LOG = ("log", "python", "1h", "--note", "must land once")


def _landed_once(journal: Path) -> None:
    assert journal.read_text(encoding="utf-8").count("must land once") == 1
    assert nexus("validate", str(journal)).returncode == 0


def _one_warning(run) -> str:
    assert run.returncode == 0, str(run)
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, str(run)
    assert "Traceback" not in run.stderr
    return warnings[0]


# --- item 2: the backup failing must not turn a write that landed into an error ----------


def test_a_folder_at_the_backup_path_is_a_warning_and_the_write_lands(journal):
    backup = store.backup_path(journal)
    if backup.exists():
        backup.unlink()
    backup.mkdir()
    (backup / "mine.txt").write_text("not nexus's")
    warning = _one_warning(nexus(*LOG))
    assert "saved" in warning and str(backup) in warning
    _landed_once(journal)
    assert (backup / "mine.txt").read_text() == "not nexus's"
    assert not temp_files(journal.parent)


def test_an_immutable_backup_is_kept_and_the_write_lands(journal):
    assert nexus("log", "python", "5m").returncode == 0  # a backup exists
    backup = store.backup_path(journal)
    old_backup = backup.read_bytes()
    with immutable(backup):
        warning = _one_warning(nexus(*LOG))
    assert "Operation not permitted" in warning and "older version" in warning
    _landed_once(journal)
    assert backup.read_bytes() == old_backup, "the backup there before must be kept"
    assert not temp_files(journal.parent)


def test_a_backup_that_cannot_even_be_staged_does_not_stop_the_write(journal):
    staging = store.backup_path(journal).with_name(store.backup_path(journal).name + ".tmp")
    staging.mkdir()
    (staging / "x").write_text("in the way")
    warning = _one_warning(nexus(*LOG))
    assert "backup" in warning
    _landed_once(journal)


# --- item 3: a journal over the read limit is refused before it is written --------------


def test_a_write_over_the_size_limit_is_refused_and_the_journal_kept(ok, nexus, journal_path, monkeypatch):
    ok("init")
    ok("add", "topic", "Python")
    before = journal_path.read_bytes()
    monkeypatch.setattr(files, "MAX_JOURNAL_BYTES", len(before) + 40)
    result = nexus("log", "python", "1h", "--note", "x" * 200)
    assert result.exit_code == 2, result.output
    assert "MB a journal may be" in result.stderr and "nothing was written" in result.stderr
    assert journal_path.read_bytes() == before
    assert ok("list", "topics").exit_code == 0, "the journal must stay readable"


def test_every_write_path_checks_the_limit(ok, nexus, journal_path, monkeypatch):
    ok("init")
    ok("add", "topic", "Python")
    ok("log", "python", "1h")  # a cached, canonical file: the light path
    before = journal_path.read_bytes()
    monkeypatch.setattr(files, "MAX_JOURNAL_BYTES", len(before) + 10)
    for args in (
        ("log", "python", "2h", "--note", "a longer note than ten bytes"),
        ("add", "challenge", "Something quite long to add", "--problem", "hard"),
        ("edit", "python", "--notes", "a note that does not fit"),
    ):
        result = nexus(*args)
        assert result.exit_code == 2, (args, result.output)
        assert journal_path.read_bytes() == before


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def as_a_user(*args: str, env: dict[str, str] | None = None):
    """Run nexus as root without the right to ignore file modes, so permissions count."""
    import shutil
    import subprocess

    if shutil.which("setpriv") is None or os.geteuid() != 0:
        pytest.skip("needs root and setpriv to drop the override of file modes")
    command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", str(BIN), *args]
    done = subprocess.run(command, capture_output=True, env={**os.environ, **(env or {})}, timeout=120)
    return Run(tuple(args), done.returncode, done.stdout.decode(), done.stderr.decode())


# --- item 18: messages that name the real cause, never exit 70 --------------------------


def test_a_journal_in_a_folder_that_may_not_be_entered(journal):
    folder = journal.parent / "private"
    folder.mkdir()
    inner = folder / "journal.toml"
    inner.write_bytes(journal.read_bytes())
    folder.chmod(0o000)
    try:
        for args in (("list", "topics"), ("log", "python", "1h"), ("init",), ("where",)):
            line = assert_clean_error(as_a_user("-j", str(inner), *args))
            assert "permission denied" in line and f"the folder {folder} may not be entered" in line
        problem = as_a_user("validate", str(inner))
        assert problem.returncode == 2 and "no such file" not in problem.stdout + problem.stderr
        assert "permission denied" in problem.stdout + problem.stderr
    finally:
        folder.chmod(0o700)
    assert inner.read_bytes() == journal.read_bytes()


def test_a_journal_nobody_may_read_says_permission_denied(journal):
    journal.chmod(0o000)
    try:
        line = assert_clean_error(as_a_user("list", "topics"))
        assert "permission denied" in line and "no journal" not in line
    finally:
        journal.chmod(0o600)


def test_output_into_a_folder_that_may_not_be_entered(journal, tmp_path):
    locked = tmp_path / "locked"
    (locked / "sub").mkdir(parents=True)
    locked.chmod(0o000)
    try:
        for target in (locked / "README.md", locked / "sub" / "README.md"):
            line = assert_clean_error(as_a_user("export", "markdown", "-o", str(target)))
            assert f"the folder {locked} may not be entered" in line
    finally:
        locked.chmod(0o700)


def test_a_lock_file_of_another_user_is_named_as_such(journal):
    assert nexus("log", "python", "5m").returncode == 0  # the lock file exists
    lock = store.lock_path(journal)
    os.chown(lock, 65534, 65534)
    before = journal.read_bytes()
    line = assert_clean_error(as_a_user("log", "python", "1h"))
    assert str(lock) in line and "belongs to" in line and "folder" not in line
    assert journal.read_bytes() == before


def test_a_dangling_symlink_is_not_called_an_existing_journal(tmp_path):
    link = tmp_path / "study.toml"
    link.symlink_to(tmp_path / "nowhere" / "journal.toml")
    line = assert_clean_error(nexus("-j", str(link), "init"))
    assert "does not exist" in line and "already exists" not in line
    assert link.is_symlink() and not link.exists()


@pytest.mark.parametrize("value", ["garbage", "2026-13-45", "x" * 500])
def test_a_bad_nexus_now_is_a_usage_error(journal, value):
    line = assert_clean_error(nexus("log", "python", "1h", env={"NEXUS_NOW": value}))
    assert "NEXUS_NOW" in line and len(line) < 200


# --- item 19: private cache folders; hard links kept ------------------------------------


def test_the_cache_folders_are_private_whatever_the_umask(journal, tmp_path):
    cache = tmp_path / "fresh-cache"
    run = nexus("list", "topics", env={"XDG_CACHE_HOME": str(cache)}, preexec_fn=lambda: os.umask(0))
    assert run.returncode == 0, str(run)
    for folder in (cache, cache / "nexus", cache / "nexus" / "journals"):
        assert _mode(folder) == 0o700, folder


def test_a_hard_linked_journal_stays_one_file(journal, tmp_path):
    other = tmp_path / "elsewhere.toml"
    os.link(journal, other)
    before = journal.read_bytes()
    for args in (LOG, ("add", "topic", "Kubernetes"), ("solve", "challenge-0", "--solution", "it worked")):
        run = nexus(*args)
        assert run.returncode == 0, str(run)
    assert os.stat(journal).st_ino == os.stat(other).st_ino, "the other name must see the same file"
    assert os.stat(journal).st_nlink == 2
    assert b"must land once" in other.read_bytes() and b"kubernetes" in other.read_bytes()
    _landed_once(journal)
    assert store.backup_path(journal).exists()
    assert os.stat(store.backup_path(journal)).st_ino != os.stat(journal).st_ino, "a copy, not a link"
    assert not temp_files(journal.parent)
    assert before != journal.read_bytes()
