"""Entries as rows and records for scripts: JSON lists and defused CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from nexus_cli.core import store
from nexus_cli.core.models import Entry, Kind
from nexus_cli.core.text import json_text

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
    data = store.plain(entry) if isinstance(entry, Mapping) else store.json_ready(entry)
    if minutes is not None and "category" in data:
        data["minutes"] = minutes.get(data["id"], 0)
    return data


def to_json(entries: Iterable[AnyEntry], minutes: Mapping[str, int] | None = None) -> str:
    """Return entries as a JSON array, text kept exactly as written."""
    return json_text([record(e, minutes) for e in entries])


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
        data = record(entry, minutes)
        writer.writerow([defuse(_cell(data.get(column))) for column in columns])
    return buffer.getvalue()
