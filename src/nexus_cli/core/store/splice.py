"""Add one entry to a journal's canonical text without writing the whole journal again.

A journal that nexus wrote is in canonical form: every entry is its own block,
sections in a fixed order, entries in list order. When a change only appends
one entry to the end of one section (what `log` and `add` do), the new
canonical text is the old text with that entry's block inserted at the end of
its section: this module builds it in time proportional to the entry, not the
journal. Whether the change really was only that append is proved on the
journal's JSON state (pydantic-core serialises 100,000 entries in ~0.1 s);
anything else returns None and the caller writes the full text.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nexus_cli.core.models import Journal, session_key
from nexus_cli.core.store import codec
from nexus_cli.core.store.blocks import insert_state, insert_text
from nexus_cli.core.store.tomlwrite import SECTIONS


def snapshot(journal: Journal) -> dict[str, list]:
    """Return a shallow copy of each section's list (to find where an entry was added)."""
    return {name: list(getattr(journal, name)) for name in SECTIONS}


@dataclass
class Insertion:
    """Where one added entry went: its section, the entry, the id it went before, the new text."""

    section: str
    entry: Any
    before: str | None
    text: str


def appended_text(
    old_text: str,
    fmt: codec.Format,
    old_state: bytes,
    old_lists: Mapping[str, list],
    journal: Journal,
    new_state: bytes,
    present: Mapping[str, bool] | None = None,
) -> str | None:
    """Return the canonical text of `journal`, given the canonical text of its earlier state.

    `old_text` must be the canonical text of the journal whose model_dump_json()
    was `old_state` and whose sections were `old_lists`; `new_state` is
    `journal`'s model_dump_json(). Returns None unless the only change is one
    entry added to one section (at any place: a session goes in date order).
    """
    if new_state == old_state:
        return old_text
    found = insertion(old_text, fmt, old_state, old_lists, journal, new_state, present)
    return None if found is None else found.text


def insertion(
    old_text: str,
    fmt: codec.Format,
    old_state: bytes,
    old_lists: Mapping[str, list],
    journal: Journal,
    new_state: bytes,
    present: Mapping[str, bool] | None = None,
) -> Insertion | None:
    """Like appended_text, but say what was inserted where (None: not a single insertion).

    `present` says which sections the file has entries in (default: the
    non-empty `old_lists`), for when `old_lists` are only part of the journal.
    """
    grown = [name for name in SECTIONS if len(getattr(journal, name)) != len(old_lists[name])]
    if len(grown) != 1:
        return None
    section = grown[0]
    old, new = old_lists[section], getattr(journal, section)
    if len(new) != len(old) + 1:
        return None
    index = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a is not b), len(old))
    entry = new[index]
    before = old[index].id if index < len(old) else None
    expected = insert_state(old_state, section, entry.model_dump_json().encode(), before)
    if expected is None or expected != new_state:
        return None
    if present is None:
        present = {name: bool(items) for name, items in old_lists.items()}
    text = insert_text(old_text, fmt, section, codec.plain(entry.model_dump()), before, present)
    return None if text is None else Insertion(section, entry, before, text)


def sessions_sorted(journal: Journal) -> bool:
    """Return whether the sessions are in (date, start, id) order, as `log` keeps them."""
    keys = [session_key(s) for s in journal.sessions]
    return all(a <= b for a, b in itertools.pairwise(keys))
