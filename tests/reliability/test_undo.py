"""`nexus undo`: the last change shown and taken back, several steps, redo; never over others' changes."""

from __future__ import annotations

import os
import stat

import pytest
from attack import assert_clean_error, nexus

from nexus_cli import ui
from nexus_cli.core import store
from nexus_cli.core.store import history


def _history(journal) -> list[str]:
    folder = history.folder(store.real_path(journal))
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_undo_shows_the_last_change_and_takes_it_back(journal):
    before = journal.read_bytes()
    assert nexus("log", "python", "1h", "--note", "a mistake").returncode == 0
    run = nexus("undo", "--yes")
    assert run.returncode == 0, str(run)
    assert '-note = "a mistake"' in run.stdout and run.stdout.startswith("--- journal.toml (now)")
    assert journal.read_bytes() == before
    assert b"a mistake" in store.backup_path(journal).read_bytes(), "the undone text stays as the backup"


def test_undo_off_a_terminal_needs_yes(journal):
    assert nexus("log", "python", "1h").returncode == 0
    after = journal.read_bytes()
    line = assert_clean_error(nexus("undo"))
    assert "--yes" in line or "confirmation" in line
    assert journal.read_bytes() == after


def test_undo_asks_on_a_terminal(ok, nexus, journal_path, monkeypatch):
    monkeypatch.setattr(ui, "is_interactive", lambda: True)
    ok("init")
    ok("add", "topic", "Python")
    before = journal_path.read_bytes()
    ok("log", "python", "1h")
    after = journal_path.read_bytes()
    declined = nexus("undo", input="n\n")
    assert declined.exit_code == 0 and "nothing changed" in declined.output  # a no is a choice
    assert journal_path.read_bytes() == after
    accepted = nexus("undo", input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert journal_path.read_bytes() == before


def test_several_steps_back_and_forward_again(journal):
    versions = [journal.read_bytes()]
    for minutes in ("10m", "20m", "30m"):
        assert nexus("log", "python", minutes).returncode == 0
        versions.append(journal.read_bytes())
    assert nexus("undo", "--yes").returncode == 0
    assert journal.read_bytes() == versions[2]
    assert nexus("undo", "--yes", "--steps", "2").returncode == 0
    assert journal.read_bytes() == versions[0]
    assert nexus("undo", "--redo", "--yes").returncode == 0, "an undo can itself be taken back"
    assert journal.read_bytes() == versions[1]
    assert nexus("undo", "--redo", "--yes", "--steps", "2").returncode == 0
    assert journal.read_bytes() == versions[3]
    assert nexus("undo", "--redo", "--yes").returncode == 1, "nothing left to redo"
    assert nexus("validate", str(journal)).returncode == 0


def test_a_new_change_after_an_undo_drops_the_redo(journal):
    assert nexus("log", "python", "10m").returncode == 0
    assert nexus("undo", "--yes").returncode == 0
    assert nexus("log", "python", "20m").returncode == 0
    assert nexus("undo", "--redo", "--yes").returncode == 1


def test_undo_refuses_over_a_change_nexus_did_not_make(journal):
    assert nexus("log", "python", "1h").returncode == 0
    with journal.open("a") as handle:
        handle.write("# my own note, added by hand\n")
    edited = journal.read_bytes()
    line = assert_clean_error(nexus("undo", "--yes"))
    assert "changed since nexus last wrote it" in line
    assert journal.read_bytes() == edited


def test_the_history_is_bounded_and_private(journal):
    os.umask(0)
    try:
        for index in range(14):
            assert nexus("log", "python", f"{index + 1}m", preexec_fn=lambda: os.umask(0)).returncode == 0
    finally:
        os.umask(0o022)
    folder = history.folder(store.real_path(journal))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    names = _history(journal)
    assert len(names) == history.KEEP
    for name in names:
        assert stat.S_IMODE((folder / name).stat().st_mode) & 0o077 == 0
    assert assert_clean_error(nexus("undo", "--yes", "--steps", "11"))
    assert nexus("undo", "--yes", "--steps", "10").returncode == 0


def test_nothing_to_undo_on_a_new_journal(tmp_path):
    journal = tmp_path / "fresh.toml"
    assert nexus("-j", str(journal), "init").returncode == 0
    run = nexus("-j", str(journal), "undo", "--yes")
    assert run.returncode == 1 and "nothing to undo" in run.stderr


@pytest.mark.parametrize("command", [("add", "topic", "Terraform"), ("rm", "challenge-0", "--yes")])
def test_undo_takes_back_add_and_rm(journal, command):
    before = journal.read_bytes()
    assert nexus(*command).returncode == 0
    assert nexus("undo", "--yes").returncode == 0
    assert journal.read_bytes() == before
