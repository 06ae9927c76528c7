"""The one TOML writer: a journal as deterministic, line-oriented TOML.

Every entry is its own `[[section]]` block with one `key = value` per line, and
empty values (None, "", []) are left out, so adding an entry changes only that
entry's lines. The reader in fasttoml.py reads exactly this layout quickly; the
tests check the output against tomli-w, the reference writer.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from enum import Enum
from typing import TYPE_CHECKING, Any

from nexus_cli.core.shape import SECTIONS as SECTIONS  # imported from here too

if TYPE_CHECKING:
    from nexus_cli.core.models import Journal

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def toml_string(text: str) -> str:
    """Return `text` as a TOML basic string."""
    if _NEEDS_ESCAPE.search(text) is None:
        return '"' + text + '"'
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def toml_key(key: str) -> str:
    """Return a key bare when TOML allows it, quoted otherwise."""
    return key if _BARE_KEY.match(key) else toml_string(key)


def format_datetime(value: dt.datetime) -> str:
    """Return a datetime as nexus writes it: ISO 8601, UTC as `Z`."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _format_list(value: list[Any]) -> str:
    return "[" + ", ".join(toml_value(item) for item in value) + "]"


def _format_dict(value: dict[str, Any]) -> str:
    inner = ", ".join(
        f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items() if not (v is None or v == "" or v == [])
    )
    return "{ " + inner + " }" if inner else "{}"


def _format_float(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError("TOML journals hold finite numbers only")
    return repr(value)


_FORMATTERS: dict[type, Any] = {
    str: toml_string,
    bool: lambda value: "true" if value else "false",
    int: str,
    float: _format_float,
    dt.datetime: format_datetime,
    dt.date: dt.date.isoformat,
    dt.time: dt.time.isoformat,
    list: _format_list,
    dict: _format_dict,
}


def toml_value(value: Any) -> str:
    """Return one value as TOML text."""
    formatter = _FORMATTERS.get(type(value))
    if formatter is not None:
        return formatter(value)
    if isinstance(value, Enum):
        return toml_value(value.value)
    for kind, formatter in _FORMATTERS.items():  # subclasses (an IntEnum is an Enum above)
        if isinstance(value, kind):
            return formatter(value)
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


_KEY_TEXT: dict[str, str] = {}


def table_lines(lines: list[str], header: str, table: dict[str, Any]) -> None:
    """Append a blank line, `header` and the table's `key = value` lines to `lines`.

    Lists of tables follow as `[[name.key]]` blocks, after the plain keys.
    """
    lines.append("")
    lines.append(header)
    nested = []
    for key, value in table.items():
        if value is None or value == "" or value == []:
            continue
        if type(value) is list and type(value[0]) is dict:
            nested.append((key, value))
            continue
        key_text = _KEY_TEXT.get(key)
        if key_text is None:
            key_text = _KEY_TEXT.setdefault(key, toml_key(key) + " = ")
        lines.append(key_text + toml_value(value))
    name = header.strip("[]")
    for key, items in nested:
        for item in items:
            table_lines(lines, f"[[{name}.{key}]]", item)


def dumps_toml(journal: Journal) -> str:
    """Return the journal as deterministic, line-oriented TOML."""
    data = journal.model_dump()
    lines = [f"schema_version = {journal.schema_version}"]
    for name in ("program", "timer"):
        if data[name] is not None:
            table_lines(lines, f"[{name}]", data[name])
    for name in SECTIONS:
        header = f"[[{name}]]"
        for item in data[name]:
            table_lines(lines, header, item)
    return "\n".join(lines) + "\n"
