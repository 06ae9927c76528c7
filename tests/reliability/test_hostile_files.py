"""Broken, strange and malicious journal files: a clear error, never a traceback, a hang or a write."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from attack import RAW, Run, assert_clean_error, build_journal, in_process, isolated_env, run_many, temp_files

from nexus_cli.core import store

TOML = store.dumps(build_journal(12), "toml")
JSON = store.dumps(build_journal(12), "json")
MB = 1_000_000
DIGITS = "9" * 5000


def _first(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# name -> bytes of a journal file that nexus must refuse (exit 2, file untouched).
BROKEN: dict[str, bytes] = {
    "truncated-in-a-string.toml": TOML[: TOML.index('name = "Django"') + 12].encode(),
    "truncated-in-a-header.toml": TOML[: TOML.index("[[sessions]]") + 5].encode(),
    "truncated-in-half.json": JSON[: len(JSON) // 2].encode(),
    "empty.toml": b"",
    "empty.json": b"",
    "only-blank-lines.toml": b"\n\n   \n\t\n",
    "all-nul.toml": b"\0" * 4096,
    "nul-in-a-note.toml": _first(TOML, "session 3:", "session \0 3:").encode(),
    "invalid-utf8.toml": _first(TOML, "session 3:", "session 3:")
    .encode()
    .replace(b"session 3:", b"\xff\xfe 3:"),
    "latin-1.toml": _first(TOML, "session 3:", "caf\u00e9 3:").encode("latin-1"),
    "utf-16.json": JSON.encode("utf-16"),
    "binary-garbage.toml": random.Random(7).randbytes(8192),
    "string-minutes.toml": _first(TOML, "minutes = 30", 'minutes = "thirty"').encode(),
    "topics-a-number.toml": b"schema_version = 1\ntopics = 3\n",
    "schema-a-string.toml": b'schema_version = "1"\n',
    "schema-zero.json": b'{"schema_version": 0}',
    "program-a-list.json": b'{"schema_version": 1, "program": []}',
    "a-list.json": b"[]",
    "a-string.json": b'"journal"',
    "nan-target.toml": _first(TOML, "target_hours = 40.0", "target_hours = nan").encode(),
    "inf-minutes.toml": _first(TOML, "minutes = 30", "minutes = inf").encode(),
    "nan-target.json": _first(JSON, '"target_hours": 40.0', '"target_hours": NaN').encode(),
    "infinity-minutes.json": _first(JSON, '"minutes": 30', '"minutes": Infinity').encode(),
    "minus-infinity-target.json": _first(JSON, '"target_hours": 40.0', '"target_hours": -Infinity').encode(),
    "5000-digit-int.toml": _first(TOML, "minutes = 30", f"minutes = {DIGITS}").encode(),
    "5000-digit-int.json": _first(JSON, '"minutes": 30', f'"minutes": {DIGITS}').encode(),
    "5000-digit-float.toml": _first(TOML, "target_hours = 40.0", f"target_hours = {DIGITS}.5").encode(),
    "5000-digit-float.json": _first(JSON, '"target_hours": 40.0', f'"target_hours": {DIGITS}.5').encode(),
    "5000-digit-schema.json": f'{{"schema_version": {DIGITS}}}'.encode(),
    "100k-open-arrays.toml": b"schema_version = 1\nx = " + b"[" * 100_000,
    "100k-open-arrays.json": b'{"x": ' + b"[" * 100_000,
    "100k-nested-arrays.json": b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "100k-nested-arrays.toml": b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "50k-dotted-key.toml": b"x" + b".x" * 50_000 + b" = 1\n",
    "duplicate-key.json": b'{"schema_version": 1, "schema_version": 1}',
    "duplicate-key-in-an-entry.json": _first(
        JSON, '"name": "Python"', '"name": "Python", "name": "Evil"'
    ).encode(),
    "duplicate-key.toml": b"schema_version = 1\nschema_version = 1\n",
    "duplicate-table.toml": b'[program]\nname = "a"\n[program]\nname = "b"\n',
    "megabyte-note.toml": _first(TOML, "session 3:", "x" * MB).encode(),
    "megabyte-title.json": _first(JSON, '"name": "Python"', f'"name": "{"P" * MB}"').encode(),
    "megabyte-key.toml": b'"' + b"k" * MB + b'" = 1\n',
    "megabyte-garbage-line.toml": b"x" * MB,
    "megabyte-id.toml": _first(TOML, 'id = "python"', f'id = "{"p" * MB}"').encode(),
    "escape-sequence-key.toml": b'"\\u001b]52;c;aGk=\\u0007\\u001b[2J" = 1\n',
    "escape-sequence-key.json": b'{"\\u001b]8;;http://evil\\u001b\\\\link\\u009b31m": 1}',
    "year-9999-west-of-utc.toml": _first(
        TOML, "created = 2026-11-28T18:00:00Z", "created = 9999-12-31T23:00:00-05:00"
    ).encode(),
    "year-1-east-of-utc.json": _first(
        JSON, '"created": "2026-11-28T18:00:00Z"', '"created": "0001-01-01T00:00:00+05:00"'
    ).encode(),
    "no-time-zone.toml": _first(
        TOML, "created = 2026-11-28T18:00:00Z", "created = 2026-11-28T18:00:00"
    ).encode(),
    "lone-surrogate.json": _first(JSON, "session 3:", "\\ud800 3:").encode(),
    "unknown-field.toml": _first(TOML, 'id = "python"', 'id = "python"\nsurprise = 1').encode(),
}

WRITE = ("log", "python", "1h", "--note", "must not land")
READ = ("list", "topics")
# The installed program too, for the cases most likely to hang or crash a process
# (the rest run in-process, where they cost milliseconds instead of a start-up).
SUBPROCESS = [
    "empty.toml",
    "all-nul.toml",
    "invalid-utf8.toml",
    "5000-digit-int.toml",
    "100k-open-arrays.toml",
    "100k-nested-arrays.json",
    "50k-dotted-key.toml",
    "duplicate-key.json",
    "megabyte-key.toml",
    "escape-sequence-key.toml",
    "year-9999-west-of-utc.toml",
    "lone-surrogate.json",
]


def _setup(folder: Path, name: str, data: bytes) -> Path:
    case = folder / name.replace(".", "-")
    case.mkdir()
    path = case / name
    path.write_bytes(data)
    return path


def _check(path: Path, name: str, runs: list[Run]) -> None:
    for run in runs:
        line = assert_clean_error(run, names=path)
        assert not RAW.search(run.stderr), repr(run.stderr)
        assert line != f"error: {path}", "the message must say what is wrong"
        assert "unexpected" not in line, "an unforeseen exception escaped"
    assert path.read_bytes() == BROKEN[name], "the file was written over"
    assert sorted(os.listdir(path.parent)) in ([path.name], sorted([path.name, f".{path.name}.lock"]))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[Run]]]:
    """The subprocess cases, written to by the installed nexus (a few at a time)."""
    folder = tmp_path_factory.mktemp("broken")
    env = isolated_env(folder)
    paths = {name: _setup(folder, name, BROKEN[name]) for name in SUBPROCESS}
    # the writer only: it reads the file first, exactly as a reader does
    runs = run_many([(("-j", str(path), *WRITE), {"env": env}) for path in paths.values()])
    return {name: (path, [run]) for (name, path), run in zip(paths.items(), runs, strict=True)}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_journal_gets_one_clear_line_and_is_never_written(tmp_path, nexus, name):
    path = _setup(tmp_path, name, BROKEN[name])
    _check(path, name, [in_process(nexus, "-j", str(path), *args) for args in (READ, WRITE)])


@pytest.mark.parametrize("name", SUBPROCESS)
def test_the_installed_nexus_refuses_a_broken_journal_too(installed, name):
    path, runs = installed[name]
    _check(path, name, runs)


def test_the_messages_say_what_is_wrong(tmp_path, nexus):
    def message(name: str) -> str:
        return nexus("-j", str(_setup(tmp_path, name, BROKEN[name])), *WRITE).stderr

    assert "empty" in message("empty.toml")
    assert "NUL" in message("all-nul.toml")
    assert "UTF-8" in message("invalid-utf8.toml")
    assert "too many digits" in message("5000-digit-int.toml")
    assert "too many digits" in message("5000-digit-int.json")
    assert "nested too deeply" in message("100k-nested-arrays.json")
    assert "duplicate key 'schema_version'" in message("duplicate-key.json")
    assert "duplicate key 'name'" in message("duplicate-key-in-an-entry.json")
    assert "NaN" in message("nan-target.json")
    assert "sessions[0].minutes" in message("string-minutes.toml")
    assert "at most 200 characters" in message("megabyte-title.json")
    assert "surrogate" in message("lone-surrogate.json")
    assert "surprise" in message("unknown-field.toml")
    assert "␛]52" in message("escape-sequence-key.toml")  # shown, not obeyed


# Odd but honest files: a Windows editor's BOM and CRLF line endings are read, and
# a write keeps them (and the data).
ODD: dict[str, bytes] = {
    "bom.toml": b"\xef\xbb\xbf" + TOML.encode(),
    "bom.json": b"\xef\xbb\xbf" + JSON.encode(),
    "crlf.toml": TOML.replace("\n", "\r\n").encode(),
    "crlf.json": JSON.replace("\n", "\r\n").encode(),
    "bom-and-crlf.toml": b"\xef\xbb\xbf" + TOML.replace("\n", "\r\n").encode(),
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_bom_and_crlf_are_read_and_kept(tmp_path, nexus, name):
    path = _setup(tmp_path, name, ODD[name])
    read = nexus("-j", str(path), *READ)
    write = nexus("-j", str(path), "log", "python", "1h", "--note", "odd but fine")
    again = nexus("-j", str(path), "list", "sessions", "--format", "json")
    assert read.exit_code == 0 and "python" in read.stdout, read.output
    assert write.exit_code == 0, write.output
    assert again.exit_code == 0 and "odd but fine" in again.stdout, again.output
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == ODD[name].startswith(b"\xef\xbb\xbf")
    if b"\r\n" in ODD[name]:
        assert data.count(b"\n") == data.count(b"\r\n")
    else:
        assert b"\r" not in data
    assert (path.parent / f".{path.name}.bak").read_bytes() == ODD[name]
    assert not temp_files(path.parent)


def test_a_newer_schema_is_read_but_never_written(tmp_path, nexus):
    data = _first(TOML, "schema_version = 1", "schema_version = 99").encode()
    path = _setup(tmp_path, "newer.toml", data)
    read, write = (in_process(nexus, "-j", str(path), *args) for args in (READ, WRITE))
    assert read.returncode == 0 and "python" in read.stdout, str(read)
    assert "newer nexus" in assert_clean_error(write, names=path)
    assert path.read_bytes() == data


def _special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / kind / "journal.toml"
    path.parent.mkdir()
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "dev-null":
        path.symlink_to("/dev/null")
    elif kind == "dangling-link":
        path.symlink_to(tmp_path / "nowhere" / "journal.toml")
    elif kind == "link-loop":
        path.symlink_to(path)
    elif kind == "parent-is-a-file":
        path.parent.rmdir()
        path.parent.write_text("a file where a folder should be")
    return path


SPECIAL = ["folder", "fifo", "dev-zero", "dev-null", "dangling-link", "link-loop", "parent-is-a-file"]


# Reading these could block for ever: only a subprocess (with a timeout) may try.
HANG_PRONE = {"fifo", "dev-zero"}


@pytest.mark.parametrize("kind", SPECIAL)
def test_what_is_not_a_journal_file_is_refused_without_hanging(tmp_path, nexus, kind):
    path = _special(tmp_path, kind)
    before = sorted(os.listdir(tmp_path / kind)) if (tmp_path / kind).is_dir() else None
    if kind in HANG_PRONE:
        read, write = run_many([(("-j", str(path), *READ), {}), (("-j", str(path), *WRITE), {})])
    else:
        read, write = (in_process(nexus, "-j", str(path), *args) for args in (READ, WRITE))
    for run in (read, write):
        assert_clean_error(run, names=path)
    if before is not None:
        after = sorted(os.listdir(tmp_path / kind))
        assert set(after) - set(before) <= {".journal.toml.lock"}
    if kind == "dangling-link":
        assert not (tmp_path / "nowhere").exists(), "a dangling link must not be followed to create files"
