"""The journal cache: never stale, damaged entries ignored, private, can be turned off."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from nexus_cli.core import store
from nexus_cli.core.models import SCHEMA_VERSION
from nexus_cli.core.store import cache
from nexus_cli.core.store import journal as storage


def entries() -> list[Path]:
    where = cache.folder()
    return sorted(where.iterdir()) if where.exists() else []


def entry_for(path: Path) -> Path:
    raw = path.read_bytes()
    return cache.folder() / cache.key(raw, store.format_for(path), SCHEMA_VERSION)


def test_a_read_leaves_a_private_entry_that_the_next_read_uses(demo: Path, ok):
    ok("list", "topics")
    where = entry_for(demo)
    assert where.exists()
    assert stat.S_IMODE(os.stat(where).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(cache.folder()).st_mode) == 0o700
    found = cache.lookup(where.name)
    assert found is not None
    assert store.load_journal(demo) == store.loads(demo.read_text(), "toml")


def test_changed_content_is_never_served_from_the_cache(demo: Path, ok):
    ok("list", "topics")
    text = demo.read_text()
    assert 'name = "Django"' in text
    # Same size, same mtime: only the content differs.
    before = os.stat(demo)
    demo.write_text(text.replace('name = "Django"', 'name = "Djungo"'))
    os.utime(demo, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "Djungo" in ok("show", "django").stdout
    assert store.load_journal(demo) == store.loads(demo.read_text(), "toml")


def test_a_stale_entry_planted_under_the_new_key_fails_its_checks(demo: Path, ok):
    # An entry is only trusted when its header names its own key and its checksum holds.
    ok("list", "topics")
    old = entry_for(demo)
    demo.write_text(demo.read_text().replace('name = "Django"', 'name = "Djungo"'))
    new = entry_for(demo)
    new.write_bytes(old.read_bytes())  # the old journal under the new file's key
    assert cache.lookup(new.name) is None
    assert "Djungo" in ok("show", "django").stdout


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # cut short
        lambda blob: blob[:-10] + b"x" + blob[-9:],  # one byte changed in the payload
        lambda blob: b"garbage\n" + blob,  # not a header
        lambda blob: b"",  # empty
        lambda blob: bytes(len(blob)),  # zeros, as after a crash
    ],
)
def test_a_damaged_entry_is_ignored(demo: Path, ok, damage):
    ok("list", "topics")
    where = entry_for(demo)
    where.write_bytes(damage(where.read_bytes()))
    assert cache.lookup(where.name) is None
    expected = store.loads(demo.read_text(), "toml")
    assert store.load_journal(demo) == expected
    ok("log", "django", "30m")  # and writing still works
    assert len(store.load_journal(demo).sessions) == len(expected.sessions) + 1


def test_an_entry_that_is_valid_json_but_not_a_journal_is_ignored(demo: Path, ok):
    ok("list", "topics")
    where = entry_for(demo)
    cache.store(cache.Entry(where.name, b'{"nonsense": true}', True, True))
    assert cache.lookup(where.name) is not None
    assert store.load_journal(demo) == store.loads(demo.read_text(), "toml")
    ok("log", "django", "30m")
    assert store.dumps(store.loads(demo.read_text(), "toml"), "toml") == demo.read_text()


def test_no_cache_env_var_writes_nothing_and_still_works(demo: Path, ok, monkeypatch):
    monkeypatch.setenv("NEXUS_NO_CACHE", "1")
    ok("list", "topics")
    ok("log", "django", "30m", "--note", "uncached")
    ok("add", "challenge", "Uncached", "-t", "django")
    assert entries() == []
    text = demo.read_text()
    assert "uncached" in text
    assert store.dumps(store.loads(text, "toml"), "toml") == text


def test_a_folder_others_can_write_is_not_trusted(demo: Path, ok):
    ok("list", "topics")
    where = cache.folder()
    os.chmod(where, 0o777)
    ok("list", "topics")  # nexus takes the folder back to 0700 before using it
    assert stat.S_IMODE(os.stat(where).st_mode) == 0o700


def test_old_entries_are_pruned(demo: Path, ok):
    for minutes in range(1, cache.KEEP + 4):
        ok("log", "django", f"{minutes}m")
    assert len(entries()) <= cache.KEEP
    assert entry_for(demo).exists()  # the current one is kept


def test_the_cache_keeps_up_with_writes(demo: Path, ok):
    ok("list", "topics")
    ok("log", "django", "25m", "--note", "first")
    ok("add", "challenge", "Cached challenge", "-t", "django")
    ok("add", "topic", "Cached topic")
    # Each write left the entry for the new bytes, equal to a fresh parse.
    found = cache.lookup(entry_for(demo).name)
    assert found is not None and found.canonical
    fresh = store.loads(demo.read_text(), "toml")
    assert found.state == storage._state(fresh)
    assert store.dumps(fresh, "toml") == demo.read_text()


@pytest.mark.parametrize("since", ["2026-09-01", "2026-11-01", "2026-11-25", "2026-11-28", "2030-01-01"])
def test_list_sessions_since_reads_only_recent_sessions_and_says_the_same(demo: Path, ok, monkeypatch, since):
    """With the cache, `list sessions --since` validates only the recent sessions: same output."""
    args = ("list", "sessions", "--since", since, "--format", "json")
    ok("list", "topics")  # the file is cached
    assert store.load_recent(demo, dt.date.fromisoformat(since))[1] == (since != "2026-09-01")
    cached = ok(*args).stdout
    monkeypatch.setenv(cache.ENV_DISABLE, "1")
    assert ok(*args).stdout == cached
    monkeypatch.delenv(cache.ENV_DISABLE)
    table = ok("list", "sessions", "--since", since)
    if since == "2030-01-01":
        assert "no sessions match" in table.stderr + table.stdout


def test_recent_sessions_of_an_unsorted_journal_are_read_in_full(journal_path: Path, ok):
    ok("init", "--program", "P")
    ok("add", "topic", "Go")
    ok("log", "go", "1h", "--date", "2026-11-20")
    ok("log", "go", "2h", "--date", "2026-11-10")
    text = journal_path.read_text()  # put the later session first, by hand
    first, second = text.split("[[sessions]]")[1:]
    journal_path.write_text(
        text.split("[[sessions]]")[0] + "[[sessions]]" + second.rstrip("\n") + "\n\n[[sessions]]" + first
    )
    ok("list", "topics")
    journal, left_out = store.load_recent(journal_path, dt.date(2026, 11, 15))
    assert not left_out and len(journal.sessions) == 2
    assert "2h" not in ok("list", "sessions", "--since", "2026-11-15").stdout


def test_tests_never_touch_the_developers_cache(tmp_path):
    # conftest points XDG_CACHE_HOME into the test's folder (HOME alone is not enough when
    # the developer's shell sets XDG_CACHE_HOME), and subprocesses inherit it.
    assert Path(os.environ["XDG_CACHE_HOME"]).is_relative_to(tmp_path)
    assert cache.folder().is_relative_to(tmp_path)
