"""Adding an entry by splicing its block into the file gives the full canonical dump, byte for byte."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nexus_cli.core import ops, store
from nexus_cli.core.models import Challenge, Journal, Session, Takeaway, Topic
from nexus_cli.core.store import cache, splice
from nexus_cli.core.store import journal as storage
from support import examples, seeded_letters

pytestmark = pytest.mark.slow  # Hypothesis-heavy

UTC = dt.UTC
# Text that looks like the structure the splicer searches for, and characters that need escaping.
TRICKY = [
    '"id": "x",',
    '\n\n[[sessions]]\nid = "a"\n',
    '],"sessions":[',
    '{"id":"20261128-aaaa","date":"2030-01-01"',
    '\n  ],\n  "sessions": [\n',
    "\\",
    '"',
    "\t\x1b\x7f",
    "é 日本 🙂",
]
texts = st.one_of(st.text(max_size=20), st.sampled_from(TRICKY))
ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True)
days = st.dates(min_value=dt.date(2026, 11, 1), max_value=dt.date(2026, 11, 28))
starts = st.one_of(st.none(), st.times().map(lambda t: t.replace(microsecond=0)))
stamp = dt.datetime(2026, 11, 1, 9, tzinfo=UTC)


@st.composite
def journals(draw) -> Journal:
    all_ids = draw(st.lists(ids, min_size=1, max_size=12, unique=True))
    n_topics = draw(st.integers(1, min(4, len(all_ids))))
    topic_ids, rest = all_ids[:n_topics], all_ids[n_topics:]
    topics = [
        Topic(
            id=tid,
            name=draw(texts.filter(lambda t: t.strip())) or tid,
            status=draw(st.sampled_from(["planned", "learning", "confident"])),
            notes=draw(texts),
            tags=draw(st.lists(st.from_regex(r"[a-z]{1,5}", fullmatch=True), max_size=2)),
            created=stamp,
            updated=stamp,
        )
        for tid in topic_ids
    ]
    split = draw(st.integers(0, len(rest)))
    challenges = [
        Challenge(
            id=cid,
            title="c " + cid,
            problem=draw(texts),
            topics=draw(st.lists(st.sampled_from(topic_ids), max_size=2, unique=True)),
            opened=stamp,
        )
        for cid in rest[:split]
    ]
    takeaways = [Takeaway(id=tid, title="t " + tid, text=draw(texts), created=stamp) for tid in rest[split:]]
    sessions = []
    used: set[str] = set(all_ids)
    for _ in range(draw(st.integers(0, 12))):
        day = draw(days)
        sid = f"{day:%Y%m%d}-" + draw(st.from_regex(r"[a-z2-9]{4}", fullmatch=True))
        if sid in used:
            continue
        used.add(sid)
        sessions.append(
            Session(
                id=sid,
                topic=draw(st.sampled_from(topic_ids)),
                date=day,
                start=draw(starts),
                minutes=draw(st.integers(1, 600)),
                note=draw(texts),
            )
        )
    sessions.sort(key=lambda s: (s.date, s.start or dt.time.min, s.id))
    return Journal(topics=topics, challenges=challenges, takeaways=takeaways, sessions=sessions)


def change_for(kind: str, journal: Journal, draw_text: str, day: dt.date):
    topic = journal.topics[0].id
    if kind == "log":
        return lambda j: ops.log_session(j, topic, 30, day=day, note=draw_text)
    if kind == "challenge":
        return lambda j: ops.add_challenge(j, "New " + draw_text, topics=[topic], problem=draw_text)
    if kind == "takeaway":
        return lambda j: ops.add_takeaway(j, "New " + draw_text, text=draw_text)
    return lambda j: ops.add_topic(j, "New " + draw_text, notes=draw_text, status="learning")


KINDS = ["log", "challenge", "takeaway", "topic"]


@pytest.mark.parametrize("fmt", ["toml", "json"])
@settings(max_examples=examples(150), deadline=None)
@given(journal=journals(), kind=st.sampled_from(KINDS), text=texts, day=days)
def test_splicing_one_added_entry_equals_the_full_dump(fmt, journal, kind, text, day):
    old_text = store.dumps(journal, fmt)
    old_state = storage._state(journal)
    before = splice.snapshot(journal)
    planned = journal.topics[0].status == "planned"
    change_for(kind, journal, text, day)(journal)
    result = splice.appended_text(old_text, fmt, old_state, before, journal, storage._state(journal))
    full = store.dumps(journal, fmt)
    if kind == "log" and planned:
        assert result is None  # the topic's status changed too: not a single insertion
    elif fmt == "json" and not before[{"log": "sessions"}.get(kind, kind + "s")]:
        assert result in (None, full)  # a section's first entry in JSON is left to the full dump
    else:
        assert result == full


@settings(max_examples=examples(60), deadline=None)
@given(
    journal=journals(),
    kind=st.sampled_from(KINDS),
    text=texts,
    day=days,
    seed=st.integers(0, 2**32),
    written_by_nexus=st.booleans(),
)
def test_a_light_update_writes_the_same_bytes_as_the_full_path(
    journal, kind, text, day, seed, written_by_nexus
):
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
        monkeypatch.setenv("XDG_CACHE_HOME", str(Path(tmp) / "cache"))
        for fmt in ("toml", "json"):
            light, full = Path(tmp) / f"light.{fmt}", Path(tmp) / f"full.{fmt}"
            if written_by_nexus:
                store.save(light, journal)  # the cache knows the text is canonical
            else:
                # written by other means: the first update checks it, and the next may splice
                light.write_text(store.dumps(journal, fmt))
                store.load(light, check_canonical=True)
            shutil.copyfile(light, full)
            outcomes = []
            for path, disabled in ((light, False), (full, True)):
                if disabled:
                    monkeypatch.setenv(cache.ENV_DISABLE, "1")
                base = change_for(kind, journal, text, day)

                def change(j: Journal, base=base) -> object:
                    # Each call draws the same ids: the light path may call it twice.
                    monkeypatch.setattr("nexus_cli.core.idgen.letters", seeded_letters(seed))
                    return base(j)

                try:
                    store.update(path, change, sessions_since=day if kind == "log" else None)
                    outcomes.append("ok")
                except Exception as exc:  # the same error either way
                    outcomes.append(type(exc).__name__ + str(exc))
                monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
            assert outcomes[0] == outcomes[1]
            assert light.read_bytes() == full.read_bytes()
            written = light.read_text()
            assert store.dumps(store.loads(written, fmt), fmt) == written
            # The cache entry the light path left equals a fresh parse of the file.
            found = cache.lookup(cache.key(light.read_bytes(), fmt, journal.schema_version))
            if found is not None:
                assert Journal.model_validate_json(found.state) == store.loads(written, fmt)


def test_the_light_path_is_taken_for_log_and_add(demo: Path, ok, monkeypatch):
    ok("log", "python", "10m")  # a write proves the file canonical in the cache
    calls = []
    real = store.load
    monkeypatch.setattr(storage, "load", lambda *a, **k: calls.append(a) or real(*a, **k))
    ok("log", "django", "30m")
    ok("add", "challenge", "Light", "-t", "django")
    ok("add", "takeaway", "Light too")
    assert calls == []  # no full load was needed
    text = demo.read_text()
    assert store.dumps(store.loads(text, "toml"), "toml") == text


def test_a_session_out_of_date_order_takes_the_full_path(demo: Path, ok):
    # A hand-edited journal with sessions out of order: the partial journal would
    # put the new session in the wrong place, so nexus must not use it.
    journal = store.loads(demo.read_text(), "toml")
    journal.sessions.reverse()
    demo.write_text(store.dumps(journal, "toml"))
    ok("add", "takeaway", "Warm")  # a write: the cache now knows the file canonical
    ok("log", "django", "30m", "--date", "2026-11-20")
    after = store.loads(demo.read_text(), "toml")
    keys = [(s.date, s.start or dt.time.min, s.id) for s in after.sessions]
    assert len(after.sessions) == len(journal.sessions) + 1
    assert not all(a <= b for a, b in itertools.pairwise(keys))  # order as the full path leaves it
    assert store.dumps(after, "toml") == demo.read_text()


def test_an_id_used_by_an_older_session_takes_the_full_path(demo: Path, ok, monkeypatch):
    # A session whose id has today's prefix but an older date is outside the partial
    # journal; a new id must still not collide with it.
    journal = store.loads(demo.read_text(), "toml")
    old = journal.sessions[0]
    journal.sessions[0] = old.model_copy(update={"id": "20261128-aaaa"})
    demo.write_text(store.dumps(journal, "toml"))
    ok("add", "takeaway", "Warm")
    choices = itertools.chain("aaaa", itertools.cycle("bcde"))
    monkeypatch.setattr(
        "nexus_cli.core.idgen.letters", lambda count: "".join(next(choices) for _ in range(count))
    )
    ok("log", "django", "30m")
    after = store.loads(demo.read_text(), "toml")
    ids = [s.id for s in after.sessions]
    assert len(ids) == len(set(ids))
    assert os.environ.get(cache.ENV_DISABLE) is None
