"""The TOML writer agrees with tomli-w, and the fast reader with tomllib, exactly."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from nexus_cli.core import store
from nexus_cli.core.errors import JournalError
from nexus_cli.core.models import Challenge, Journal, Program, Resource, Session, Status, Takeaway, Topic
from nexus_cli.core.store import fasttoml
from support import examples

pytestmark = pytest.mark.slow  # Hypothesis-heavy

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "prodev-backend.toml"
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
NAME = TEXT.filter(lambda s: 0 < len(s) <= 200)
IDS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True)
TAGS = st.lists(st.from_regex(r"[^\s,]{1,8}", fullmatch=True), max_size=3)
STAMP = st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC))


@st.composite
def journals(draw: st.DrawFn) -> Journal:
    topics = [
        Topic(
            id=f"t{n}-{draw(IDS)}",
            name=draw(NAME),
            status=draw(st.sampled_from(list(Status))),
            notes=draw(TEXT),
            tags=draw(TAGS),
            target_hours=draw(st.none() | st.floats(0.01, 10_000)),
            resources=[
                Resource(url=draw(NAME), title=draw(TEXT), done=draw(st.booleans())) for _ in range(2)
            ],
            created=draw(STAMP),
            updated=draw(STAMP),
        )
        for n in range(draw(st.integers(0, 3)))
    ]
    sessions = [
        Session(
            id=f"s{n}-{draw(IDS)}",
            topic=draw(IDS),
            date=draw(st.dates(dt.date(1970, 1, 1), dt.date(2100, 1, 1))),
            start=draw(st.none() | st.times()),
            minutes=draw(st.integers(1, 1440)),
            note=draw(TEXT),
        )
        for n in range(draw(st.integers(0, 4)))
    ]
    return Journal(
        program=draw(
            st.none() | st.builds(Program, name=NAME, description=TEXT, start=st.none() | st.dates())
        ),
        topics=topics,
        challenges=[Challenge(id="c-" + draw(IDS), title=draw(NAME), problem=draw(TEXT), opened=draw(STAMP))],
        takeaways=[Takeaway(id="k-" + draw(IDS), title=draw(NAME), topics=[draw(IDS)], created=draw(STAMP))],
        sessions=sessions,
    )


def reference_toml(journal: Journal) -> str:
    """The journal written by tomli-w, the reference writer, empty values left out as nexus does."""
    data = store.plain(journal.model_dump())
    data["schema_version"] = journal.schema_version
    return tomli_w.dumps(data)


@settings(max_examples=examples(200), deadline=None)
@given(journals())
def test_writes_what_the_reference_writer_means_and_reads_it_back(journal: Journal) -> None:
    text = store.dumps_toml(journal)
    assert store.dumps(journal, "toml") == text
    assert tomllib.loads(text) == tomllib.loads(reference_toml(journal))
    assert fasttoml.loads(text) == tomllib.loads(text)
    assert store.loads(text, "toml") == journal
    assert store.load_journals([text, text], "toml", ["a", "b"]) == [journal, journal]


LINES = st.sampled_from(
    [
        "",
        "[program]",
        "[timer]",
        "[[topics]]",
        "[[topics.resources]]",
        "[[sessions]]",
        "[[x.y]]",
        "topics = []",
        "program = 1",
        'name = "a"',
        'name = "a\\u0041\\n"',
        'name = "\\ud800"',
        'name = "a" # c',
        "name = 'lit'",
        "a = 1",
        "a = 01",
        "a = -0",
        "a = +1",
        "a = 1.5",
        "a = 1e5",
        "a = inf",
        "a = true",
        "a = True",
        "a = 2026-02-30",
        "a = 2026-11-28",
        "a = 2026-11-28T10:00:00Z",
        "a = 2026-11-28T10:00:00.123456789+02:00",
        "a = 2026-11-28 10:00:00",
        "a = 10:00:00",
        "a = 25:00:00",
        'a = ["x", "y"]',
        'a = ["x", 1]',
        "a = [[1]]",
        "a = []",
        "a = [ ]",
        "a = {}",
        "a.b = 1",
        " a = 1",
        "a=1",
    ]
)


@settings(max_examples=examples(1000), deadline=None)
@given(st.lists(LINES, max_size=8))
def test_never_disagrees_with_tomllib(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        expected = None
    try:
        got = fasttoml.loads(text)
    except fasttoml.Unsupported:
        return
    assert got == expected


JOURNAL_LINES = st.sampled_from(
    [
        "",
        "schema_version = 1",
        "schema_version = 2",
        "[program]",
        'name = "P"',
        "[[topics]]",
        "[[topics.resources]]",
        'url = "https://x"',
        'id = "python"',
        'id = "django"',
        'name = "Python"',
        "created = 2026-11-28T10:00:00Z",
        "updated = 2026-11-28T10:00:00+02:00",
        "[[sessions]]",
        'topic = "python"',
        "date = 2026-11-28",
        "minutes = 30",
        "minutes = 0",
        "sessions = []",
        "[sessions]",
    ]
)


@settings(max_examples=examples(1000), deadline=None)
@given(st.lists(JOURNAL_LINES, max_size=14), st.lists(JOURNAL_LINES, max_size=14))
def test_reading_many_at_once_agrees_with_codec(first: list[str], second: list[str]) -> None:
    texts = ["\n".join(first) + "\n", "\n".join(first + second) + "\n"]
    expected = []
    for text in texts:
        try:
            expected.append(store.loads(text, "toml"))
        except JournalError:
            expected.append(None)
    try:
        got = store.load_journals(texts, "toml", ["a", "b"])
    except JournalError:
        got = None
    if got is None:
        assert None in expected
    else:
        assert got == expected


def test_the_demo_journal_is_read_without_falling_back() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert fasttoml.loads(text) == tomllib.loads(text)


def test_errors_are_those_of_codec() -> None:
    bad = 'schema_version = 1\n\n[[topics]]\nid = "x"\n'
    with pytest.raises(JournalError) as fast:
        store.load_journals([bad], "toml", ["j.toml"])
    with pytest.raises(JournalError) as slow:
        store.loads(bad, "toml", "j.toml")
    assert fast.value.message == slow.value.message
