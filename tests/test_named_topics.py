"""`log` and `add topic` build only the topics their words could name: never a different outcome.

The topics kept must be every one `ids.resolve` and `ops.add_topic` could pick or
stumble on, by id, id prefix or name (up to case and Unicode form), so that the
change made on them ends as it would on the whole journal, and the file written
is the one the full path writes.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nexus_cli.core import check, ops, store
from nexus_cli.core.errors import NexusError
from nexus_cli.core.ids import resolve
from nexus_cli.core.models import Journal, Session, Topic
from nexus_cli.core.store import cache, named
from nexus_cli.core.store import journal as storage
from support import examples, seeded_letters

STAMP = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
# Names that fold, compose or slug into one another, and words typed to find them.
NAMES = [
    "Django",
    "django",
    "DJANGO REST",
    "Straße",
    "STRASSE",
    "Café",
    "Cafe\u0301",
    "\u212a8s",  # Kelvin sign: casefolds to k
    "K8s",
    "ſql",  # long s: casefolds to s
    "SQL",
    "C++",
    "C",
    "C#",
    "ﬁle",
    "file",
    "İstanbul",
    "rest-api",
    "ω\u0345\u0300",  # not in NFC, and casefolding it before or after NFC gives two texts
    "\u1fa2",
    "Ω\u0300\u0345",
    'say "hi"',  # escaped in JSON: every topic is kept
    "back\\slash",
]
IDS = [
    "a--b",
    "a-b-c",
    "django",
    "django-rest",
    "strasse",
    "cafe",
    "k8s",
    "sql",
    "cpp",
    "c",
    "csharp",
    "file",
    "istanbul",
    "d",
]
WORDS = [*NAMES, *IDS, "dj", "DJ", "ca", "st", "k", "s", "c+", "İ", "", "  django  ", "nothing"]


@st.composite
def topic_lists(draw: st.DrawFn) -> list[Topic]:
    names = draw(st.lists(st.sampled_from(NAMES), max_size=10))
    ids = draw(st.lists(st.sampled_from(IDS), min_size=len(names), max_size=len(names)))
    parents = [None, *ids]
    return [
        Topic(id=tid, name=name, parent=draw(st.sampled_from(parents)), created=STAMP, updated=STAMP)
        for tid, name in zip(ids, names, strict=True)
    ]


def _outcome(action):
    try:
        found = action()
    except NexusError as exc:
        return ("error", type(exc).__name__)
    return ("ok", found.model_dump())


@settings(max_examples=examples(300), deadline=None)
@given(topics=topic_lists(), words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=2))
def test_the_topics_kept_decide_as_all_of_them_would(topics: list[Topic], words: list[str]) -> None:
    whole = Journal(topics=topics)
    state = storage._state(whole)
    narrowed = named.named_topics(state, words)
    assert narrowed is not None
    part = Journal.model_validate_json(narrowed)
    kept = [t.model_dump() for t in part.topics]
    assert kept == [t.model_dump() for t in topics if t.model_dump() in kept]  # in their order
    for word in words:
        # resolve: a success on the topics kept is the success on all of them (an error reruns whole)
        on_part = _outcome(lambda word=word: resolve(part, word, ["topic"]))
        if on_part[0] == "ok":
            assert on_part == _outcome(lambda word=word: resolve(whole, word, ["topic"]))
    for force in (False, True):
        parent = words[1] if len(words) > 1 else None

        def add(journal: Journal, force: bool = force, parent: str | None = parent) -> Topic:
            return ops.add_topic(journal.model_copy(deep=True), words[0], parent=parent, force=force)

        on_part = _outcome(lambda add=add: add(part))
        if on_part[0] == "ok":
            assert on_part == _outcome(lambda add=add: add(whole))


def _guard(path: Path):
    def guard(journal: Journal, added: tuple[str, int] | None) -> bool:
        if added is not None:
            return check.adds_no_error(journal, *added)
        check.refuse_new_errors(journal, lambda: store.load_journal(path))
        return True

    return guard


@settings(max_examples=examples(60), deadline=None)
@given(
    topics=topic_lists(),
    word=st.sampled_from(WORDS),
    parent=st.none() | st.sampled_from(WORDS),
    log=st.booleans(),
    seed=st.integers(0, 2**32),
)
def test_a_narrowed_write_leaves_the_bytes_of_the_full_path(
    topics: list[Topic], word: str, parent: str | None, log: bool, seed: int
) -> None:
    day = dt.date(2026, 11, 28)
    journal = Journal(topics=topics)
    if topics:
        journal.sessions = [Session(id="s-1", topic=topics[0].id, date=day, minutes=1400)]
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
        monkeypatch.setenv("XDG_CACHE_HOME", str(Path(tmp) / "cache"))
        for fmt in ("toml", "json"):
            light, full = Path(tmp) / f"light.{fmt}", Path(tmp) / f"full.{fmt}"
            store.save(light, journal)  # the cache knows the text is canonical
            shutil.copyfile(light, full)
            outcomes = []
            for path, disabled in ((light, False), (full, True)):
                if disabled:
                    monkeypatch.setenv(cache.ENV_DISABLE, "1")

                def change(j: Journal) -> object:
                    monkeypatch.setattr("nexus_cli.core.idgen.letters", seeded_letters(seed))
                    if log:
                        return ops.log_session(j, word, 30, day=day)
                    return ops.add_topic(j, word or "x", parent=parent)

                words = [word] if log or parent is None else [word or "x", parent]
                try:
                    store.update(
                        path,
                        change,
                        sessions_since=day - dt.timedelta(days=1) if log else dt.date.max,
                        topics_named=words,
                        guard=_guard(path),
                    )
                    outcomes.append("ok")
                except NexusError as exc:
                    outcomes.append(f"{type(exc).__name__}: {exc.message} / {exc.hint}")
                monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
            assert outcomes[0] == outcomes[1]
            assert light.read_bytes() == full.read_bytes()
            found = cache.lookup(cache.key(light.read_bytes(), fmt, journal.schema_version))
            if found is not None:
                assert Journal.model_validate_json(found.state) == store.loads(light.read_text(), fmt)


def test_log_builds_only_the_topic_it_names(demo: Path, ok, monkeypatch: pytest.MonkeyPatch) -> None:
    ok("log", "python", "10m")  # a write proves the file canonical in the cache
    seen: list[int] = []
    real = ops.log_session

    def counted(journal: Journal, *args, **kwargs):
        seen.append(len(journal.topics))
        return real(journal, *args, **kwargs)

    monkeypatch.setattr(ops, "log_session", counted)
    ok("log", "django", "30m")
    topics = store.loads(demo.read_text(), "toml").topics
    assert seen == [len([t for t in topics if t.id.startswith("django")])] != [len(topics)]
    text = demo.read_text()
    assert store.dumps(store.loads(text, "toml"), "toml") == text


def test_add_topic_is_checked_without_the_whole_journal(demo: Path, ok, monkeypatch) -> None:
    from nexus_cli.core.check import guard

    ok("log", "python", "10m")
    calls: list[int] = []
    real = guard.errors
    monkeypatch.setattr(guard, "errors", lambda journal: calls.append(1) or real(journal))
    ok("add", "topic", "Flask", "--parent", "python", "--status", "learning")
    ok("log", "flask", "20m")
    assert calls == []
    assert store.loads(demo.read_text(), "toml").topics[-1].parent == "python"


@pytest.mark.parametrize(
    "args",
    [
        ("log", "djnago", "10m"),  # the suggestion comes from every topic
        ("log", "d", "10m"),  # ambiguous: the candidates listed
        ("add", "topic", "PYTHON"),  # already there, by name
        ("add", "topic", "Flask", "--parent", "pyhton"),
        ("log", "django", "23h"),  # today would pass 24 hours
    ],
)
def test_a_refused_narrowed_write_says_what_the_full_path_says(
    started: Path, ok, nexus, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    ok("log", "python", "10m")  # the cache knows the file: the next write may take the light path
    before = started.read_bytes()
    warm = nexus(*args)
    assert started.read_bytes() == before
    monkeypatch.setenv(cache.ENV_DISABLE, "1")
    cold = nexus(*args)
    assert started.read_bytes() == before
    assert warm.exit_code == cold.exit_code != 0
    assert warm.output == cold.output
    assert len([line for line in warm.output.splitlines() if line.startswith("error:")]) == 1
