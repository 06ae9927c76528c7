"""A canonical journal text and its cached state, grown by one entry, without the models.

A journal nexus wrote is in canonical form: every entry is its own block,
sections in a fixed order, entries in list order; its cached state is the
journal's compact JSON (`Journal.model_dump_json()`), in the same order. The
functions here work on those two as text and bytes: find a section, keep only
recent sessions, put one entry's block or JSON at its place. They need neither
Pydantic nor the models, so the light path (splice.py) and the fast lane of
`log`, `add challenge` and `add takeaway` (append.py) share them: no write
logic exists twice.

Quotes inside JSON strings are escaped, so `"name":[` and `{"id":"x"` occur
in a state only as structure; TOML strings never hold a raw newline, so a line
`[[name]]` is always a header and a line `id = "x"` right after it is that
entry's id.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from nexus_cli.core.shape import FIELDS, SECTIONS
from nexus_cli.core.store.tomlwrite import format_datetime, table_lines, toml_string


def json_default(value: Any) -> str:
    """Return a date, time or datetime as a journal's JSON writes it."""
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def without_empty(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return plain data without its None, "" and [] values, at every depth (what `codec.plain` leaves).

    For data that is plain already (the cache's JSON, an entry the fast lane
    builds); `codec.plain` also turns a model's enums into their values.
    """
    # `value or`: most values are non-empty text, kept at once; 0, False and {} stay too
    return {
        key: value if type(value) is str else _nested(value)
        for key, value in data.items()
        if value or (value is not None and value != "" and value != [])
    }


def _nested(value: Any) -> Any:
    if type(value) is dict:
        return without_empty(value)
    if type(value) is list:
        return [_nested(item) for item in value]
    return value


def _unique(haystack: str | bytes, needle: Any, start: int = 0, end: int | None = None) -> int:
    """Return the one place `needle` occurs in haystack[start:end], or -1 if none or several."""
    pos = haystack.find(needle, start, end)
    if pos < 0 or haystack.find(needle, pos + 1, end) >= 0:
        return -1
    return pos


def section_span(state: bytes, section: str) -> tuple[int, int] | None:
    """Return where the items of a section's list are in a state: state[start:end] (None if unsure)."""
    index = FIELDS.index(section)
    opening = b'"' + section.encode() + b'":['
    start = state.find(opening)  # the first is the journal's own: no entry before it has the key
    if index + 1 < len(FIELDS):
        end = _unique(state, b'],"' + FIELDS[index + 1].encode() + b'":')
    else:
        end = len(state) - 2 if state.endswith(b"]}") else -1
    if start < 0 or end < start:
        return None
    return start + len(opening), end


def section_items(state: bytes, section: str) -> list[dict[str, Any]] | None:
    """Return a section's entries as plain JSON data (None if the state is not as expected)."""
    span = section_span(state, section)
    if span is None:
        return None
    try:
        items = json.loads(b"[" + state[span[0] : span[1]] + b"]")
    except ValueError:
        return None
    return items if isinstance(items, list) else None


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
    if FIELDS[-1] != "sessions" or not state.endswith(b"]}"):
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


def id_taken(text: str, fmt: str, entry_id: str) -> bool:
    """Return whether any entry in a canonical text has this id."""
    if fmt == "toml":
        return f"\nid = {toml_string(entry_id)}\n" in text
    return f'"id": {json.dumps(entry_id, ensure_ascii=False)},' in text


def insert_state(state: bytes, section: str, item: bytes, before: str | None) -> bytes | None:
    """Return a journal's compact JSON with `item` put in the list `section`.

    The item goes before the entry with id `before`, or at the end when None.
    """
    span = section_span(state, section)
    if span is None:
        return None
    start, end = span
    if before is None:
        comma = b"" if end == start else b","
        return state[:end] + comma + item + state[end:]
    pos = _unique(state, b'{"id":"' + before.encode() + b'"', start, end)
    return None if pos < 0 else state[:pos] + item + b"," + state[pos:]


def insert_text(
    text: str,
    fmt: str,
    section: str,
    plain: dict[str, Any],
    before: str | None,
    present: Mapping[str, bool],
) -> str | None:
    """Return a canonical text with one entry's block put in `section`, where a full dump puts it.

    `plain` is the entry as plain data with empty values left out (codec.plain);
    it goes before the entry with id `before`, or at the end of its section when
    None. `present` says which sections the file has entries in. None when the
    text is not laid out as expected.
    """
    later = [name for name in SECTIONS[SECTIONS.index(section) + 1 :] if present[name]]
    if fmt == "toml":
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
    body = json.dumps(plain, indent=2, ensure_ascii=False, default=json_default)
    block = "\n".join("    " + line for line in body.split("\n"))
    start = _unique(text, f'\n  "{section}": [\n')
    end = text.find(f'\n  ],\n  "{later[0]}": [\n') if later else len(text) - len("\n  ]\n}\n")
    if start < 0 or end < start or (not later and not text.endswith("\n  ]\n}\n")):
        return None
    if before is None:
        return text[:end] + ",\n" + block + text[end:]
    pos = _unique(text, f'\n    {{\n      "id": {json.dumps(before, ensure_ascii=False)},\n', start, end)
    return None if pos < 0 else text[:pos] + "\n" + block + "," + text[pos:]
