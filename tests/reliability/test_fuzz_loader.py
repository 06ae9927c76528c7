"""Fuzz the loader: from any bytes, only JournalError may escape; whatever loads, saves and loads again."""

from __future__ import annotations

from pathlib import Path

import pytest
from attack import build_journal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexus_cli.core import store
from nexus_cli.core.errors import JournalError
from support import examples

VALID = {fmt: store.dumps(build_journal(6), fmt) for fmt in ("toml", "json")}

# Pieces that break parsers and validators in interesting ways.
TOKENS = [
    "nan", "inf", "-inf", "NaN", "Infinity", "-Infinity", "1e400", "-0", "9" * 5000, "0x1F", "1_000",
    "true", "null", '"', "'", '"""', "'''", "\\", "\\u0000", "\\ud800", "\\U0010FFFF", "\\U00110000",
    "{", "}", "[", "]", "[[", "]]", "=", ",", ".", "[" * 3000, "a." * 200, "{a={a={a={", "\x00", "\ufeff",
    "\r\n", "\r", "\t", "\x1b[2J", "[[topics]]", "[[sessions]]", "[program]", "[timer]",
    "[[topics.resources]]",
    "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2026-02-30", "24:00:00", "1979-05-27T07:32:00",
    '"schema_version": 2', "schema_version = 0", "schema_version = -1", '"id": "X Y"', 'id = ""',
    "minutes = 0", "minutes = 1441", '"minutes": 1e3', "status = \"done\"", "x" * 30_000,
]  # fmt: skip

FUZZ = settings(
    max_examples=examples(250), deadline=None, suppress_health_check=list(HealthCheck), database=None
)


@st.composite
def near_valid(draw: st.DrawFn, fmt: str) -> str:
    """A valid journal with a few random cuts, copies, insertions and swaps."""
    text = VALID[fmt]
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 60)))
        edit = draw(st.sampled_from(["cut", "copy", "token", "text", "truncate", "swap", "replace"]))
        if edit == "cut":
            text = text[:start] + text[end:]
        elif edit == "copy":
            text = text[:end] + text[start:end] + text[end:]
        elif edit == "token":
            text = text[:start] + draw(st.sampled_from(TOKENS)) + text[start:]
        elif edit == "text":
            text = text[:start] + draw(st.text(max_size=12)) + text[start:]
        elif edit == "truncate":
            text = text[:start]
        elif edit == "replace":
            text = text[:start] + draw(st.sampled_from(TOKENS)) + text[end:]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


def _round_trips(journal) -> None:
    """Whatever loaded must be written and read back unchanged, in both formats."""
    for fmt in ("toml", "json"):
        assert store.loads(store.dumps(journal, fmt), fmt) == journal


def _load_text(text: str, fmt: str) -> None:
    try:
        journal = store.loads(text, fmt, "fuzz")
    except JournalError as exc:
        assert exc.message and "\n" not in exc.message
        return
    _round_trips(journal)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(data=st.binary(max_size=2048), fmt=st.sampled_from(["toml", "json"]))
def test_random_bytes_give_only_journal_errors(scratch, data, fmt):
    path = scratch / f"journal.{fmt}"
    path.write_bytes(data)
    try:
        loaded = store.load(path)
    except JournalError as exc:
        assert str(path) in exc.message
        return
    _round_trips(loaded.journal)


@FUZZ
@given(text=near_valid("toml"))
def test_near_valid_toml_gives_only_journal_errors(text):
    _load_text(text, "toml")


@FUZZ
@given(text=near_valid("json"))
def test_near_valid_json_gives_only_journal_errors(text):
    _load_text(text, "json")


@FUZZ
@given(data=st.data(), fmt=st.sampled_from(["toml", "json"]))
def test_damaged_bytes_of_a_journal_give_only_journal_errors(scratch, data, fmt):
    raw = bytearray(VALID[fmt].encode())
    for _ in range(data.draw(st.integers(1, 6))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    path = scratch / f"damaged.{fmt}"
    path.write_bytes(bytes(raw))
    try:
        loaded = store.load(path)
    except JournalError:
        return
    _round_trips(loaded.journal)
