import difflib
import os
import stat
import threading
import time

import pytest

from nexus_cli.core import ops, store
from nexus_cli.core.errors import JournalError
from nexus_cli.core.models import SCHEMA_VERSION, Journal


def make(path, topics=("Python", "Django")):
    journal = Journal()
    for name in topics:
        ops.add_topic(journal, name)
    store.create(path, journal)
    return journal


def test_format_follows_the_extension(tmp_path):
    make(tmp_path / "j.json")
    make(tmp_path / "j.toml")
    assert (tmp_path / "j.json").read_text().startswith("{")
    assert (tmp_path / "j.toml").read_text().startswith("schema_version = 1")
    assert store.load_journal(tmp_path / "j.json") == store.load_journal(tmp_path / "j.toml")


def test_same_journal_same_bytes(tmp_path):
    journal = make(tmp_path / "j.toml")
    assert store.dumps_toml(journal) == store.dumps_toml(store.load_journal(tmp_path / "j.toml"))
    assert store.dumps_json(journal) == store.dumps_json(store.loads(store.dumps_json(journal), "json"))


@pytest.mark.parametrize("name", ["j.toml", "j.json"])
def test_adding_an_entry_only_adds_its_lines(tmp_path, name):
    path = tmp_path / name
    make(path)
    before = path.read_text().splitlines()
    with store.transaction(path) as journal:
        ops.add_topic(journal, "Docker")
    after = path.read_text().splitlines()
    changes = [line for line in difflib.ndiff(before, after) if line[:1] in "+-"]
    assert all(line.startswith("+") for line in changes), changes
    assert any('"docker"' in line for line in changes)


def test_write_keeps_a_backup_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "j.toml"
    make(path)
    first = path.read_bytes()
    with store.transaction(path) as journal:
        ops.add_topic(journal, "Docker")
    assert store.backup_path(path).read_bytes() == first
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_unchanged_journal_is_not_rewritten(tmp_path):
    path = tmp_path / "j.toml"
    make(path)
    mtime = path.stat().st_mtime_ns
    with store.transaction(path):
        pass
    assert path.stat().st_mtime_ns == mtime
    assert not store.backup_path(path).exists()


def test_new_files_are_private_and_existing_modes_kept(tmp_path):
    old = os.umask(0)
    try:
        path = tmp_path / "sub" / "j.toml"
        make(path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    path.chmod(0o640)
    with store.transaction(path) as journal:
        ops.add_topic(journal, "Docker")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_symlinked_journal_updates_its_target(tmp_path):
    target = tmp_path / "real" / "j.toml"
    target.parent.mkdir()
    make(target)
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    with store.transaction(link) as journal:
        ops.add_topic(journal, "Docker")
    assert link.is_symlink()
    assert '"docker"' in target.read_text()


def test_create_refuses_to_overwrite(tmp_path):
    path = tmp_path / "j.toml"
    path.write_text("precious")
    with pytest.raises(JournalError, match="already exists"):
        store.create(path, Journal())
    assert path.read_text() == "precious"


def test_a_newer_schema_is_read_only(tmp_path):
    path = tmp_path / "j.toml"
    path.write_text(f"schema_version = {SCHEMA_VERSION + 1}\n")
    assert store.load(path).read_only_reason
    with pytest.raises(JournalError, match="newer nexus"), store.transaction(path):
        pass
    assert path.read_text() == f"schema_version = {SCHEMA_VERSION + 1}\n"


@pytest.mark.parametrize(
    "text",
    [
        "schema_version = 1\n[[topics]]\nid = 'x'\n",
        "not toml at all ===",
        "schema_version = 1\nsurprise = 3\n",
    ],
)
def test_an_invalid_journal_is_never_written_over(tmp_path, text):
    path = tmp_path / "j.toml"
    path.write_text(text)
    with pytest.raises(JournalError), store.transaction(path) as journal:
        ops.add_topic(journal, "Docker")
    assert path.read_text() == text


def test_syntax_errors_name_the_line(tmp_path):
    path = tmp_path / "j.toml"
    path.write_text("schema_version = 1\n\n[program\n")
    with pytest.raises(JournalError, match="line 3"):
        store.load(path)


def test_a_failed_change_writes_nothing(tmp_path):
    path = tmp_path / "j.toml"
    make(path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError), store.transaction(path) as journal:
        ops.add_topic(journal, "Docker")
        raise RuntimeError("boom")
    assert path.read_bytes() == before


def test_a_busy_lock_gives_a_clear_error(tmp_path):
    path = tmp_path / "j.toml"
    make(path)
    held, release = threading.Event(), threading.Event()

    def hold():
        with store.locked(path):
            held.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        held.wait(5)
        started = time.monotonic()
        with pytest.raises(JournalError, match="busy"), store.locked(path, timeout=0.3):
            pass
        assert time.monotonic() - started < 3
    finally:
        release.set()
        thread.join()
    with store.locked(path, timeout=0.3):
        pass  # free again once the holder is done
