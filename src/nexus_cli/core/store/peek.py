"""The entries of a cached journal, as plain data, without pydantic (for TAB completion).

A TAB press must answer in a blink; loading the models costs more than the
answer. When the cache holds the journal's current bytes, its state (the
validated journal as JSON) already says every id: this reads that, and only
that. Anything else (no cache entry, an unreadable file) returns None and the
caller takes the normal path, which loads the journal and fills the cache.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nexus_cli.core.errors import NexusError
from nexus_cli.core.shape import SCHEMA_VERSION
from nexus_cli.core.store import cache
from nexus_cli.core.store.files import format_for, read_bytes

SECTION_OF = {"topic": "topics", "challenge": "challenges", "takeaway": "takeaways", "session": "sessions"}


def cached_state(path: Path) -> dict[str, Any] | None:
    """Return the journal at `path` as the cache keeps it (plain JSON data), or None if not cached."""
    if not cache.enabled():
        return None
    try:
        raw = read_bytes(path)  # refuses a pipe or a device planted at the path, which would hang a read
    except (OSError, NexusError):
        return None  # the normal path says what is wrong
    entry = cache.lookup(cache.key(raw, format_for(path), SCHEMA_VERSION))
    if entry is None:
        return None
    try:
        state = json.loads(entry.state)
    except ValueError:
        return None
    return state if isinstance(state, dict) and state.get("schema_version") == SCHEMA_VERSION else None


def label(kind: str, entry: dict[str, Any]) -> str:
    """Return an entry's human name, as `models.label_of` gives it."""
    if kind == "topic":
        return str(entry.get("name", ""))
    if kind == "session":
        return f"{entry.get('topic', '')} on {entry.get('date', '')}"
    return str(entry.get("title", ""))


def id_labels(state: dict[str, Any], kinds: list[str], prefix: str) -> list[tuple[str, str]]:
    """Return (id, label) of the entries of `kinds` whose id starts with `prefix`, like `ids.complete`."""
    prefix = prefix.lower()
    out = []
    for kind in kinds:
        for entry in state.get(SECTION_OF[kind]) or ():
            entry_id = str(entry.get("id", ""))
            if entry_id.startswith(prefix):
                out.append((entry_id, label(kind, entry)))
    return out
