"""Add one session, challenge or takeaway to a journal nexus wrote, without Pydantic: the fast lane.

The light path (journal.update) already changes a canonical, cached journal by
inserting the new entry's block; but it validates the journal's recent part
with Pydantic, which costs more to import than the whole change. This module
takes the cases `nexus log`, `nexus add challenge` and `nexus add takeaway`
meet nearly every time and does them on the cached state as plain JSON, with
the same block and state helpers (blocks.py), the same lock, the same atomic
write and the same cache entry as the light path:

- the journal is a canonical file whose state is in the cache, schema version
  1, sessions in date order;
- each topic is named by its exact id or a unique id prefix, typed as an id
  (no topic has that text as its name); a session's topic is not `planned`
  (logging one changes its status, which is more than an insertion);
- a session is dated today or before and its day stays within 24 hours (the
  rules `validate` holds a new untimed session to); a challenge's or
  takeaway's title, texts and tags are within the model's bounds, and a
  challenge's solution is not blank. NX202 and NX203 hold by construction: a
  fresh id, topics that exist.

Anything else gets None back, with nothing written, and the caller takes the
full path, which then says what is wrong in its usual words. A test proves that
both paths leave the same bytes and the same cache entry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, NamedTuple

from nexus_cli.core.idgen import MAX_SLUG, new_session_id, nfc, unique_slug
from nexus_cli.core.shape import DAY_MINUTES, MAX_TAGS, MAX_TEXT, MAX_TITLE, SCHEMA_VERSION
from nexus_cli.core.store import blocks, cache
from nexus_cli.core.store.files import Format, decode, exists, format_for, read_bytes, write_journal
from nexus_cli.core.store.lock import locked

# An id as a person types it whose slug is itself (`resolve` tries the slug too).
_PLAIN_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A tag of printable ASCII without a comma: the model's pattern (no space, no comma) surely holds.
_PLAIN_TAG = re.compile(r"[!-+\--~]{1,40}")
_ENTRY_ID = re.compile(rb'\{"id":"([a-z0-9-]+)"')
_STATE_START = b'{"schema_version":%d,' % SCHEMA_VERSION


class Pending(NamedTuple):
    """An entry ready to be written: `commit()` writes it (under the lock still held)."""

    path: Path
    fmt: Format
    entry: str  # the new entry's id
    topic: str  # a session's topic ("" for a challenge or takeaway)
    text: str
    state: bytes

    def commit(self) -> None:
        """Write the journal and its cache entry, as the light path does."""
        raw = self.text.encode("utf-8")
        write_journal(self.path, raw)
        cache.store(
            cache.Entry(cache.key(raw, self.fmt, SCHEMA_VERSION), self.state, True, sessions_sorted=True)
        )


@contextlib.contextmanager
def session_append(
    path: Path, query: str, minutes: int, day: dt.date, note: str, *, today: dt.date
) -> Iterator[Pending | None]:
    """Hold the journal's lock and yield the session `nexus log` would add, or None.

    None: this is not a case for the fast lane (see the module's docstring), or
    the file or its cache entry is not as expected; the lock is released and
    nothing was written. An error raised before `commit()` (the lock could not
    be taken) also leaves the file untouched.
    """
    takes = 1 <= minutes <= DAY_MINUTES and day <= today and len(note) <= MAX_TEXT and _plain_id(query)
    if not takes or not _plain_texts(note) or not _usable(path):
        yield None
        return
    with locked(path):
        yield _prepared(_prepare_session, path, query, minutes, day, note)


def challenge_append(
    path: Path,
    title: str,
    *,
    topics: Sequence[str],
    problem: str,
    solution: str,
    tags: Sequence[str],
    now: dt.datetime,
) -> AbstractContextManager[Pending | None]:
    """Hold the journal's lock and yield the challenge `nexus add challenge` would add, or None.

    As session_append; `now` (UTC) is when it was opened, and resolved if a
    solution is given.
    """
    solved = bool(solution.strip())
    if solution and not solved:
        return contextlib.nullcontext()  # a blank solution: the full path's words for it
    stamp = now.replace(microsecond=0)
    entry = {  # the model's field order; the placeholders are filled in under the lock
        "id": "",
        "title": "",
        "topics": [],
        "problem": problem,
        "solution": solution,
        "status": "resolved" if solved else "open",
        "tags": [],
        "opened": stamp,
        "resolved": stamp if solved else None,
    }
    return _titled_append(path, "challenges", title, topics, tags, entry, (problem, solution))


def takeaway_append(
    path: Path,
    title: str,
    *,
    text: str,
    topics: Sequence[str],
    tags: Sequence[str],
    now: dt.datetime,
) -> AbstractContextManager[Pending | None]:
    """Hold the journal's lock and yield the takeaway `nexus add takeaway` would add, or None.

    As session_append; `now` (UTC) is when it was created.
    """
    entry = {  # the model's field order; the placeholders are filled in under the lock
        "id": "",
        "title": "",
        "text": text,
        "topics": [],
        "tags": [],
        "created": now.replace(microsecond=0),
        "reviews": [],
    }
    return _titled_append(path, "takeaways", title, topics, tags, entry, (text,))


@contextlib.contextmanager
def _titled_append(
    path: Path,
    section: str,
    title: str,
    queries: Sequence[str],
    tags: Sequence[str],
    entry: dict[str, Any],
    texts: Sequence[str],
) -> Iterator[Pending | None]:
    """Hold the lock and yield a challenge or takeaway: `entry` with its id, title, topics and tags.

    `entry` is the rest of it, in the model's field order, with placeholders
    for those four; `texts` are its texts, which must be within the model's bounds.
    """
    takes = (
        1 <= len(nfc(title.strip())) <= MAX_TITLE
        and all(len(text) <= MAX_TEXT for text in texts)
        and len(set(queries)) <= MAX_TAGS
        and len(set(tags)) <= MAX_TAGS
        and all(_plain_id(query) for query in queries)
        and all(_PLAIN_TAG.fullmatch(tag) for tag in tags)
    )
    if not takes or not _plain_texts(title, *texts) or not _usable(path):
        yield None
        return
    with locked(path):
        yield _prepared(_prepare_titled, path, section, title, queries, tags, entry)


def _prepared(prepare: Callable[..., Pending | None], *args: Any) -> Pending | None:
    """Return what `prepare` makes of the journal, or None if it fails: the full path reads it whole."""
    try:
        return prepare(*args)
    except Exception:  # a file or a cache entry not as expected: nothing is written here
        return None


def _plain_id(query: str) -> bool:
    return len(query) <= MAX_SLUG and _PLAIN_ID.fullmatch(query) is not None


def _plain_texts(*texts: str) -> bool:
    try:
        for text in texts:
            text.encode("utf-8")
    except UnicodeEncodeError:  # a stray byte from the terminal: the full path words the error
        return False
    return True


def _usable(path: Path) -> bool:
    """Return whether the cache is on and the journal is there (else the full path says why not)."""
    return cache.enabled() and exists(path) and os.path.exists(path)


def _cached_state(path: Path) -> tuple[str, Format, bytes] | None:
    """Return the journal's text, format and cached state, if the fast lane may change it."""
    raw = read_bytes(path)
    fmt = format_for(path)
    entry = cache.lookup(cache.key(raw, fmt, SCHEMA_VERSION))
    if entry is None or not entry.canonical or not entry.sessions_sorted:
        return None
    if not entry.state.startswith(_STATE_START):
        return None
    return decode(raw, str(path)), fmt, entry.state


def _insert(
    path: Path,
    found: tuple[str, Format, bytes],
    section: str,
    item: dict[str, Any],
    before: str | None,
    topic: str = "",
) -> Pending | None:
    """Return the text and state with one entry put in `section`, ready to commit.

    `item` is the entry as the model dumps it, in its field order, with dates
    and times as objects: its JSON goes in the state, its plain data in the text.
    """
    text, fmt, state = found
    dumped = json.dumps(item, ensure_ascii=False, separators=(",", ":"), default=blocks.json_default)
    new_state = blocks.insert_state(state, section, dumped.encode(), before)
    plain = blocks.without_empty(item)
    new_text = blocks.insert_text(text, fmt, section, plain, before, blocks.present_in_state(state))
    if new_state is None or new_text is None:
        return None
    return Pending(path, fmt, item["id"], topic, new_text, new_state)


def _prepare_session(path: Path, query: str, minutes: int, day: dt.date, note: str) -> Pending | None:
    found = _cached_state(path)
    if found is None:
        return None
    text, fmt, state = found
    topics = blocks.section_items(state, "topics")
    topic = _pick(topics, query) if topics is not None else None
    if topic is None or topic.get("status") == "planned":
        return None
    recent_state = blocks.partial_state(state, day)
    recent = blocks.section_items(recent_state, "sessions") if recent_state is not None else None
    if recent is None:
        return None
    iso = day.isoformat()
    if sum(s["minutes"] for s in recent if s["date"] == iso) + minutes > DAY_MINUTES:
        return None  # the full path refuses it with validate's words (NX207)
    session_id = new_session_id(day, (s["id"] for s in recent))
    if blocks.id_taken(text, fmt, session_id):
        return None
    key = (iso, dt.time.min, session_id)
    before = next((s["id"] for s in recent if _session_key(s) > key), None)
    item = {"id": session_id, "topic": topic["id"], "date": day, "start": None}
    item.update({"minutes": minutes, "note": note, "timer": None})  # the model's field order
    return _insert(path, found, "sessions", item, before, topic["id"])


def _prepare_titled(
    path: Path, section: str, title: str, queries: Sequence[str], tags: Sequence[str], entry: dict[str, Any]
) -> Pending | None:
    found = _cached_state(path)
    if found is None:
        return None
    state = found[2]
    topics = blocks.section_items(state, "topics")
    if topics is None:
        return None
    topic_ids: list[str] = []
    for query in queries:
        topic = _pick(topics, query)
        if topic is None:
            return None
        if topic["id"] not in topic_ids:
            topic_ids.append(topic["id"])
    # Every entry's JSON starts with its id; a quote inside a string would be escaped.
    taken = (match.decode() for match in _ENTRY_ID.findall(state))
    filled = {
        "id": unique_slug(nfc(title), taken),
        "title": nfc(title.strip()),
        "topics": topic_ids,
        "tags": list(dict.fromkeys(tags)),
    }
    return _insert(path, found, section, {**entry, **filled}, None)


def _session_key(session: dict[str, Any]) -> tuple[str, dt.time, str]:
    """Return models.session_key of a session given as its JSON data."""
    start = session.get("start")
    return (session["date"], dt.time.fromisoformat(start) if start else dt.time.min, session["id"])


def _pick(topics: list[dict[str, Any]], query: str) -> dict[str, Any] | None:
    """Return the topic ids.resolve would pick for an id-shaped query, or None when unsure."""
    for topic in topics:
        if topic["id"] == query:
            return topic
    if any(nfc(topic["name"]).casefold() == query for topic in topics):
        return None  # a name typed as shown: resolve's rules for names decide
    matches = [topic for topic in topics if topic["id"].startswith(query)]
    return matches[0] if len(matches) == 1 else None
