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

import datetime as dt
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nexus_cli.core.models import Journal, session_key
from nexus_cli.core.store import codec
from nexus_cli.core.store.tomlwrite import SECTIONS, table_lines, toml_string


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
    text = _insert_text(old_text, fmt, section, entry, before, present)
    return None if text is None else Insertion(section, entry, before, text)


def present_in_state(state: bytes) -> dict[str, bool]:
    """Return which sections hold entries, from a journal's compact JSON."""
    out = {}
    for name in SECTIONS:
        pos = state.find(b'"' + name.encode() + b'":[')  # the first is the journal's own
        out[name] = pos >= 0 and state[pos + len(name) + 4 : pos + len(name) + 5] != b"]"
    return out


_DATE_FIELD = re.compile(rb'"date":"(\d{4}-\d{2}-\d{2})"')


def partial_state(state: bytes, sessions_since: dt.date | None) -> bytes | None:
    """Return a journal's compact JSON keeping only the sessions dated `sessions_since` or later.

    Valid only for a journal whose sessions are in date order. None when the
    JSON is not laid out as expected.
    """
    if list(Journal.model_fields)[-1] != "sessions" or not state.endswith(b"]}"):
        return None
    start = state.find(b'"sessions":[')
    if start < 0:
        return None
    body, end = start + len(b'"sessions":['), len(state) - 2
    cut = end
    if sessions_since is not None:
        since = sessions_since.isoformat().encode()
        while True:
            # `{"id":"` starts each session: inside strings its quotes would be escaped.
            pos = state.rfind(b'{"id":"', body, cut)
            match = _DATE_FIELD.search(state, pos, cut) if pos >= 0 else None
            if match is None or match.group(1) < since:
                break
            cut = pos
    return state[:body] + state[cut:end] + b"]}"


def sessions_sorted(journal: Journal) -> bool:
    """Return whether the sessions are in (date, start, id) order, as `log` keeps them."""
    keys = [session_key(s) for s in journal.sessions]
    return all(a <= b for a, b in itertools.pairwise(keys))


def id_taken(text: str, fmt: codec.Format, entry_id: str) -> bool:
    """Return whether any entry in a canonical text has this id."""
    if fmt == "toml":
        return f"\nid = {toml_string(entry_id)}\n" in text
    return f'"id": {json.dumps(entry_id, ensure_ascii=False)},' in text


def _unique(haystack: str | bytes, needle: Any, start: int = 0, end: int | None = None) -> int:
    """Return the one place `needle` occurs in haystack[start:end], or -1 if none or several."""
    pos = haystack.find(needle, start, end)
    if pos < 0 or haystack.find(needle, pos + 1, end) >= 0:
        return -1
    return pos


def insert_state(state: bytes, section: str, item: bytes, before: str | None) -> bytes | None:
    """Return a journal's compact JSON with `item` put in the list `section`.

    The item goes before the entry with id `before`, or at the end when None.
    Quotes inside JSON strings are escaped, so `"name":[` and `{"id":"x"` only
    occur as structure.
    """
    fields = list(Journal.model_fields)
    index = fields.index(section)
    start = state.find(b'"' + section.encode() + b'":[')  # the first is the journal's own
    if index + 1 < len(fields):
        end = _unique(state, b'],"' + fields[index + 1].encode() + b'":')
    else:
        end = len(state) - 2 if state.endswith(b"]}") else -1
    if start < 0 or end < start:
        return None
    if before is None:
        comma = b"" if state[end - 1 : end] == b"[" else b","
        return state[:end] + comma + item + state[end:]
    pos = _unique(state, b'{"id":"' + before.encode() + b'"', start, end)
    return None if pos < 0 else state[:pos] + item + b"," + state[pos:]


def _insert_text(
    text: str, fmt: codec.Format, section: str, entry: object, before: str | None, present: Mapping[str, bool]
) -> str | None:
    plain = codec.plain(entry.model_dump())  # type: ignore[attr-defined]
    later = [name for name in SECTIONS[SECTIONS.index(section) + 1 :] if present[name]]
    if fmt == "toml":
        # Strings never hold a raw newline, so a line `[[name]]` is always a header
        # and a line `id = "x"` right after it is that entry's id.
        lines: list[str] = []
        table_lines(lines, f"[[{section}]]", plain)
        block = "\n".join(lines) + "\n"  # starts with the blank line before the header
        if before is not None:
            pos = _unique(text, f"\n\n[[{section}]]\nid = {toml_string(before)}\n")
        elif later:
            pos = text.find(f"\n\n[[{later[0]}]]\n")
        else:
            return text + block
        return None if pos < 0 else text[: pos + 1] + block + text[pos + 1 :]
    if not present[section]:
        return None  # the section's key is not in the file yet: not worth a special case
    body = json.dumps(plain, indent=2, ensure_ascii=False, default=codec.json_default)
    block = "\n".join("    " + line for line in body.split("\n"))
    start = _unique(text, f'\n  "{section}": [\n')
    end = text.find(f'\n  ],\n  "{later[0]}": [\n') if later else len(text) - len("\n  ]\n}\n")
    if start < 0 or end < start or (not later and not text.endswith("\n  ]\n}\n")):
        return None
    if before is None:
        return text[:end] + ",\n" + block + text[end:]
    pos = _unique(text, f'\n    {{\n      "id": {json.dumps(before, ensure_ascii=False)},\n', start, end)
    return None if pos < 0 else text[:pos] + "\n" + block + "," + text[pos:]
