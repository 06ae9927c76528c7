"""Entries as rows and records for scripts: JSON lists and defused CSV."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring as encode_text  # json's own, in C
from typing import Any

from nexus_cli.core import store
from nexus_cli.core.models import Entry, Kind
from nexus_cli.core.text import json_safe, json_text

COLUMNS: dict[Kind, tuple[str, ...]] = {
    "topic": ("id", "name", "category", "parent", "status", "minutes", "target_hours", "tags", "notes"),
    "challenge": ("id", "title", "status", "topics", "problem", "solution", "opened", "resolved", "tags"),
    "takeaway": ("id", "title", "text", "topics", "tags", "created"),
    "session": ("id", "date", "start", "topic", "minutes", "note"),
}

# Spreadsheets run cells that start with these as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# An entry, or an entry as plain data (the cache's JSON of a valid entry, see store.cached_state).
AnyEntry = Entry | Mapping[str, Any]


def record(entry: AnyEntry, minutes: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Return an entry as a JSON-ready dict (topics get their logged minutes)."""
    # plain data is JSON's already: only the empty values are left out, as json_ready does
    data = store.without_empty(entry) if isinstance(entry, Mapping) else store.json_ready(entry)
    if minutes is not None and "category" in data:
        data["minutes"] = minutes.get(data["id"], 0)
    return data


def to_json(entries: Iterable[AnyEntry], minutes: Mapping[str, int] | None = None) -> str:
    """Return entries as a JSON array, text kept exactly as written."""
    return json_list_text([record(e, minutes) for e in entries])


def json_list_text(data: Any) -> str:
    """Return `json_text(data)`, quicker for plain JSON data (see indented_json)."""
    try:
        return json_safe(indented_json(data))
    except _NotPlain:
        return json_text(data)


class _NotPlain(Exception):
    """A value indented_json leaves to json.dumps."""


_CONSTANTS = {True: "true", False: "false", None: "null"}


def indented_json(data: Any) -> str:
    """Return `json.dumps(data, indent=2, ensure_ascii=False)` for plain JSON data, in half its time.

    The json module indents in Python, a generator per value; a list of 100,000
    records takes a second. Plain data means dicts with text keys, lists, text,
    numbers (finite), booleans and None, of those exact types: anything else
    raises _NotPlain, and the caller asks json.dumps. A test holds the two equal.
    """

    def text(value: Any, indent: str) -> str:
        kind = type(value)
        if kind is str:
            return encode_text(value)
        if kind is dict:
            if not value:
                return "{}"
            inner = indent + "  "
            pairs = [
                _key(key) + ": " + (encode_text(item) if type(item) is str else text(item, inner))
                for key, item in value.items()
            ]
            return "{\n" + inner + (",\n" + inner).join(pairs) + "\n" + indent + "}"
        if kind is list:
            if not value:
                return "[]"
            inner = indent + "  "
            items = [encode_text(item) if type(item) is str else text(item, inner) for item in value]
            return "[\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "]"
        if kind is int:
            return int.__repr__(value)
        if kind is float and math.isfinite(value):
            return float.__repr__(value)
        if value is None or kind is bool:
            return _CONSTANTS[value]
        raise _NotPlain

    def _key(key: Any) -> str:
        if type(key) is not str:
            raise _NotPlain
        return encode_text(key)

    return text(data, "")


def defuse(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(kind: Kind, entries: Iterable[AnyEntry], minutes: Mapping[str, int] | None = None) -> str:
    """Return entries as RFC 4180 CSV with a header row and defused cells."""
    columns = COLUMNS[kind]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for entry in entries:
        # Plain data as it is: an empty value makes an empty cell, left out or not.
        data = entry if isinstance(entry, Mapping) else store.json_ready(entry)
        values = [data.get(column) for column in columns]
        if minutes is not None and "category" in data:
            values[columns.index("minutes")] = minutes.get(data["id"], 0)
        writer.writerow(
            [
                value if type(value) is str and not value.startswith(_FORMULA_START) else defuse(_cell(value))
                for value in values
            ]
        )
    return buffer.getvalue()
