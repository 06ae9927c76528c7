"""A write that landed says so; nexus never writes what it cannot read; messages name the real cause."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from attack import immutable, nexus, temp_files

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


@pytest.fixture
def no_dac_override():
    """Run nexus as root without the right to ignore file modes, like any user (needs setpriv)."""
    import shutil

    if shutil.which("setpriv") is None or os.geteuid() != 0:
        pytest.skip("needs root and setpriv to drop the override of file modes")
    return None
