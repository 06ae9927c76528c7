"""Files and paths: private modes whatever the umask, symlinks kept or refused, $EDITOR done right."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest
from attack import assert_clean_error, nexus, run_many, temp_files

from nexus_cli.core import store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _umask(value: int):
    def apply() -> None:
        os.umask(value)

    return apply


@pytest.mark.parametrize("umask", [0o000, 0o077], ids=["umask-000", "umask-077"])
def test_new_files_are_0600_and_folders_0700_whatever_the_umask(tmp_path, umask):
    journal = tmp_path / "new" / "deeper" / "journal.toml"
    for args in (("init",), ("add", "topic", "Python"), ("log", "python", "1h")):
        run = nexus("-j", str(journal), *args, preexec_fn=_umask(umask))
        assert run.returncode == 0, str(run)
    assert _mode(journal) == 0o600
    assert _mode(store.lock_path(journal)) == 0o600
    assert _mode(store.backup_path(journal)) == 0o600
    assert _mode(tmp_path / "new") == 0o700
    assert _mode(tmp_path / "new" / "deeper") == 0o700


def test_an_existing_files_mode_and_owner_are_kept(journal):
    journal.chmod(0o640)
    as_root = os.geteuid() == 0
    if as_root:
        os.chown(journal, 65534, 65534)  # as if root edited someone else's journal
    assert nexus("log", "python", "1h").returncode == 0
    assert _mode(journal) == 0o640
    if as_root:
        assert (journal.stat().st_uid, journal.stat().st_gid) == (65534, 65534)


def test_a_symlinked_journal_stays_a_link_and_its_target_changes(journal, tmp_path):
    links = tmp_path / "links"
    links.mkdir()
    first = links / "study.toml"
    first.symlink_to(Path("..") / journal.name)  # relative
    second = links / "again.toml"
    second.symlink_to(first)  # a link to a link
    target_before = journal.read_bytes()
    run = nexus("-j", str(second), "log", "python", "1h", "--note", "through two links")
    assert run.returncode == 0, str(run)
    assert first.is_symlink() and second.is_symlink()
    assert os.readlink(first) == str(Path("..") / journal.name)
    assert b"through two links" in journal.read_bytes()
    assert store.backup_path(second) == journal.with_name(f".{journal.name}.bak")
    assert store.backup_path(second).read_bytes() == target_before
    assert sorted(os.listdir(links)) == ["again.toml", "study.toml"], "nothing may appear beside the link"


@pytest.mark.parametrize("victim_exists", [True, False], ids=["to-a-file", "to-nowhere"])
def test_a_symlink_planted_at_the_lock_path_is_not_followed(journal, tmp_path, victim_exists):
    victim = tmp_path / "victim.txt"
    if victim_exists:
        victim.write_text("precious")
    lock = store.lock_path(journal)
    lock.unlink()
    lock.symlink_to(victim)
    before = journal.read_bytes()
    line = assert_clean_error(nexus("log", "python", "1h"))
    assert "symbolic link" in line and str(lock) in line
    assert journal.read_bytes() == before
    assert victim.read_text() == "precious" if victim_exists else not victim.exists()


def test_something_odd_at_the_lock_path_is_refused_without_hanging(journal):
    lock = store.lock_path(journal)
    lock.unlink()
    os.mkfifo(lock)
    before = journal.read_bytes()
    assert "not a plain file" in assert_clean_error(nexus("log", "python", "1h"))
    assert journal.read_bytes() == before


def test_symlinks_planted_at_the_backup_paths_are_replaced_not_followed(journal, tmp_path):
    victims = [tmp_path / "victim-bak.txt", tmp_path / "victim-staging.txt"]
    for victim in victims:
        victim.write_text("precious")
    backup = store.backup_path(journal)
    backup.symlink_to(victims[0])
    backup.with_name(backup.name + ".tmp").symlink_to(victims[1])
    before = journal.read_bytes()
    assert nexus("log", "python", "1h").returncode == 0
    assert all(victim.read_text() == "precious" for victim in victims)
    assert not backup.is_symlink() and backup.read_bytes() == before


def test_temp_files_of_killed_writers_are_cleaned_once_they_are_old(journal):
    folder = journal.parent
    stale = [folder / ".journal.toml.ab12cd34.tmp", folder / ".journal.toml.bak.tmp"]
    young = folder / ".journal.toml.young123.tmp"
    unrelated = [folder / ".other.toml.ab12cd34.tmp", folder / ".journal.toml.notes.tmp", folder / "mine.tmp"]
    for path in [*stale, young, *unrelated]:
        path.write_text("left behind")
    old = time.time() - 3600
    for path in [*stale, *unrelated]:
        os.utime(path, (old, old))
    assert nexus("log", "python", "1h").returncode == 0
    assert not any(path.exists() for path in stale)
    assert young.exists(), "a young temp file may belong to a writer still at work"
    assert all(path.exists() for path in unrelated), "only this journal's temp files are nexus's to remove"


EDITOR_SCRIPT = """
import os, signal, sys
path = sys.argv[-1]
assert "--flag" in sys.argv, sys.argv
text = open(path, encoding="utf-8").read()
mode = os.environ["EDITOR_MODE"]
if mode == "remove":
    os.unlink(path)
    sys.exit(0)
if mode == "bytes":
    open(path, "wb").write(b'name = "\\xff"\\n')
    sys.exit(0)
text = text.replace('name = "Python"', 'name = "Python 3"\\nnotes = "written by the editor"')
if mode == "broken":
    text += "\\nthis is not toml ==="
open(path, "w", encoding="utf-8").write(text)
if mode == "fail":
    sys.exit(1)
if mode == "killed":
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture
def editor(tmp_path: Path) -> str:
    """$EDITOR: a script in a folder whose name has a space, with an argument."""
    folder = tmp_path / "my editors"
    folder.mkdir()
    script = folder / "edit entry.py"
    script.write_text(EDITOR_SCRIPT)
    return f"{sys.executable} '{script}' --flag"


def test_an_editor_with_spaces_and_arguments_works(journal, editor):
    run = nexus("edit", "python", env={"EDITOR": editor, "EDITOR_MODE": "ok"})
    assert run.returncode == 0, str(run)
    topic = {t.id: t for t in store.load_journal(journal).topics}["python"]
    assert (topic.name, topic.notes) == ("Python 3", "written by the editor")


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("fail", "exited with status 1"),
        ("killed", "killed by signal 9"),
        ("broken", "not valid TOML"),
        ("bytes", "not valid UTF-8"),
        ("remove", "removed the file"),
    ],
)
def test_a_failing_or_killed_editor_changes_nothing(journal, editor, mode, says):
    before = journal.read_bytes()
    run = nexus("edit", "python", env={"EDITOR": editor, "EDITOR_MODE": mode})
    assert says in assert_clean_error(run)
    assert journal.read_bytes() == before
    assert not temp_files(journal.parent)


def test_an_editor_that_does_not_exist(journal):
    before = journal.read_bytes()
    runs = run_many(
        [
            (("edit", "python"), {"env": {"EDITOR": "no-such-editor-here --wait"}}),
            (("edit", "python"), {"env": {"EDITOR": "vim 'unbalanced"}}),
        ]
    )
    assert "cannot run editor" in assert_clean_error(runs[0])
    assert "$EDITOR" in assert_clean_error(runs[1])
    assert journal.read_bytes() == before
