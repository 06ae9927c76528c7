"""Add one session to a journal nexus wrote, without Pydantic: `nexus log`'s fast lane.

The light path (journal.update) already changes a canonical, cached journal by
inserting the new entry's block; but it validates the journal's recent part
with Pydantic, which costs more to import than the whole change. This module
takes the one case `nexus log` meets nearly every time and does it on the
cached state as plain JSON, with the same block and state helpers (blocks.py),
the same lock, the same atomic write and the same cache entry as the light
path:

- the journal is a canonical file whose state is in the cache, schema version
  1, sessions in date order;
- the topic is named by its exact id or a unique id prefix, typed as an id
  (no topic has that text as its name), and it is not `planned` (logging one
  changes its status, which is more than an insertion);
- the session is dated today or before and its day stays within 24 hours (the
  rules `validate` holds a new untimed session to; NX202 and NX203 hold by
  construction: a fresh id, a topic that exists).

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
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from nexus_cli.core.idgen import new_session_id
from nexus_cli.core.shape import DAY_MINUTES, MAX_TEXT, SCHEMA_VERSION
from nexus_cli.core.store import blocks, cache
from nexus_cli.core.store.files import Format, decode, exists, format_for, read_bytes, write_journal
from nexus_cli.core.store.lock import locked

# An id as a person types it whose slug is itself (`resolve` tries the slug too).
_PLAIN_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MAX_SLUG = 48  # ids.MAX_SLUG: a longer text is cut when slugged
_STATE_START = b'{"schema_version":%d,' % SCHEMA_VERSION


class PendingSession(NamedTuple):
    """A session ready to be written: `commit()` writes it (under the lock still held)."""

    path: Path
    fmt: Format
    topic: str
    session: str
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
) -> Iterator[PendingSession | None]:
    """Hold the journal's lock and yield the session `nexus log` would add, or None.

    None: this is not a case for the fast lane (see the module's docstring); the
    lock is released and nothing was written. An error raised before `commit()`
    also leaves the file untouched.
    """
    if not _takes(path, query, minutes, day, note, today):
        yield None
        return
    with locked(path):
        yield _prepare(path, query, minutes, day, note)


def _takes(path: Path, query: str, minutes: int, day: dt.date, note: str, today: dt.date) -> bool:
    """Return whether the values are ones the fast lane handles, before touching the file."""
    if not cache.enabled() or not 1 <= minutes <= DAY_MINUTES or day > today or len(note) > MAX_TEXT:
        return False
    if len(query) > _MAX_SLUG or not _PLAIN_ID.fullmatch(query):
        return False
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:  # a stray byte from the terminal: the full path words the error
        return False
    return exists(path) and os.path.exists(path)


def _prepare(path: Path, query: str, minutes: int, day: dt.date, note: str) -> PendingSession | None:
    raw = read_bytes(path)
    fmt = format_for(path)
    entry = cache.lookup(cache.key(raw, fmt, SCHEMA_VERSION))
    if entry is None or not entry.canonical or not entry.sessions_sorted:
        return None
    state = entry.state
    topics = blocks.section_items(state, "topics") if state.startswith(_STATE_START) else None
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
    text = decode(raw, str(path))
    session_id = new_session_id(day, (s["id"] for s in recent))
    if blocks.id_taken(text, fmt, session_id):
        return None
    key = (iso, dt.time.min, session_id)
    before = next((s["id"] for s in recent if _session_key(s) > key), None)
    item = {"id": session_id, "topic": topic["id"], "date": iso, "start": None}
    item.update({"minutes": minutes, "note": note, "timer": None})  # the model's field order
    new_state = blocks.insert_state(
        state, "sessions", json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode(), before
    )
    plain: dict[str, Any] = {"id": session_id, "topic": topic["id"], "date": day, "minutes": minutes}
    if note:
        plain["note"] = note
    new_text = blocks.insert_text(text, fmt, "sessions", plain, before, blocks.present_in_state(state))
    if new_state is None or new_text is None:
        return None
    return PendingSession(path, fmt, topic["id"], session_id, new_text, new_state)


def _session_key(session: dict[str, Any]) -> tuple[str, dt.time, str]:
    """Return models.session_key of a session given as its JSON data."""
    start = session.get("start")
    return (session["date"], dt.time.fromisoformat(start) if start else dt.time.min, session["id"])


def _pick(topics: list[dict[str, Any]], query: str) -> dict[str, Any] | None:
    """Return the topic ids.resolve would pick for an id-shaped query, or None when unsure."""
    for topic in topics:
        if topic["id"] == query:
            return topic
    if any(unicodedata.normalize("NFC", topic["name"]).casefold() == query for topic in topics):
        return None  # a name typed as shown: resolve's rules for names decide
    matches = [topic for topic in topics if topic["id"].startswith(query)]
    return matches[0] if len(matches) == 1 else None
