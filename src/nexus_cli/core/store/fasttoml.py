"""Read the TOML that nexus itself writes, many times faster than `tomllib`.

Journals written by `tomlwrite.dumps_toml` use a small, regular subset of TOML: one
`key = value` per line, `[table]` and `[[array]]` headers, basic strings, dates,
numbers and flat arrays. Reading a cohort's thousand journals, or merging two
journals of ten thousand entries, spends most of its time in `tomllib`; this
reader handles that subset line by line and gives up (`Unsupported`) on
anything else, so the caller falls back to `tomllib`. Whatever it accepts it
reads exactly as `tomllib` would; the tests hold it to that.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any


class Unsupported(Exception):
    """The text uses TOML this reader does not handle; use tomllib instead."""


_TABLE = re.compile(r"\[([A-Za-z0-9_-]+)\]")
_ARRAY_TABLE = re.compile(r"\[\[([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))?\]\]")
_PLAIN_STRING = re.compile(r'"([^"\\\x00-\x1f\x7f]*)"')
_STRING = re.compile(r'"((?:[^"\\\x00-\x1f\x7f]|\\["\\btnfr]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*)"')
_ESCAPE = re.compile(r'\\(["\\btnfr]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})')
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?")
_DATETIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_ARRAY_ITEM = re.compile(r'"(?:[^"\\\x00-\x1f\x7f]|\\.)*"|[^,\[\]{}" ]+')
_SIMPLE = {"true": True, "false": False}
_UNESCAPE = {'"': '"', "\\": "\\", "b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r"}


# Journals repeat the same keys, headers, dates and numbers thousands of times, and
# a report reads many journals in one process: each distinct one is read once.
# Only immutable values are kept; the caches are emptied when they grow large.
_CACHE_LIMIT = 100_000
_scalars: dict[str, Any] = {}
_good_keys: set[str] = set()
_headers: dict[str, tuple[bool, str, str | None]] = {}


def loads(text: str) -> dict[str, Any]:
    """Return the data of TOML in nexus's own layout; raise Unsupported otherwise."""
    if "\r" in text:
        raise Unsupported("carriage returns")
    if len(_scalars) > _CACHE_LIMIT:
        _scalars.clear()
    root: dict[str, Any] = {}
    table = root
    # The lists made by array-of-tables headers, so a later header may extend them
    # but a plain `key = [...]` of the same name is told apart (TOML forbids mixing).
    table_arrays: set[int] = set()
    scalars, good_keys = _scalars, _good_keys
    for line in text.split("\n"):
        if not line:
            continue
        if line[0] == "[":
            table = _open(root, line, table_arrays)
            continue
        key, sep, raw = line.partition(" = ")
        if key not in good_keys:
            if not sep or not _KEY.fullmatch(key):
                raise Unsupported(line[:40])
            if len(good_keys) < _CACHE_LIMIT:
                good_keys.add(key)
        if key in table or not raw:
            raise Unsupported(f"duplicate or empty key {key}")
        if raw[0] == '"':
            inner = raw[1:-1]
            if raw[-1] == '"' and len(raw) > 1 and inner.isprintable() and not _QUOTE_OR_SLASH(inner):
                table[key] = inner
            else:
                table[key] = _string(raw)
            continue
        value = scalars.get(raw, _MISSING)
        if value is _MISSING:
            value = _value(raw)
            if not isinstance(value, list):
                scalars[raw] = value
        table[key] = value
    return root


_MISSING = object()
_KEY = re.compile(r"[A-Za-z0-9_-]+")
_QUOTE_OR_SLASH = re.compile(r'["\\]').search


def _header(line: str) -> tuple[bool, str, str | None]:
    """Return (is an array of tables, name, sub-name) for a header line."""
    known = _headers.get(line)
    if known is not None:
        return known
    match = _ARRAY_TABLE.fullmatch(line)
    if match:
        parsed: tuple[bool, str, str | None] = (True, match.group(1), match.group(2))
    else:
        match = _TABLE.fullmatch(line)
        if match is None:
            raise Unsupported(line[:40])
        parsed = (False, match.group(1), None)
    if len(_headers) < 1000:
        _headers[line] = parsed
    return parsed


def _open(root: dict[str, Any], line: str, table_arrays: set[int]) -> dict[str, Any]:
    is_array, name, sub = _header(line)
    if is_array:
        owner = root
        if sub is not None:
            items = root.get(name)
            if items is None or id(items) not in table_arrays:
                raise Unsupported(f"[[{name}.{sub}]] without [[{name}]]")
            owner, name = items[-1], sub
        items = owner.get(name)
        if items is None:
            items = owner[name] = []
            table_arrays.add(id(items))
        elif id(items) not in table_arrays:
            raise Unsupported(f"{name} is not an array of tables")
        entry: dict[str, Any] = {}
        items.append(entry)
        return entry
    if name in root:
        raise Unsupported(f"table {name} defined twice")
    table: dict[str, Any] = {}
    root[name] = table
    return table


def _value(raw: str) -> Any:
    first = raw[0]
    if first == '"':
        return _string(raw)
    if first == "[":
        return _array(raw)
    simple = _SIMPLE.get(raw)
    if simple is not None:
        return simple
    return _scalar(raw)


def _string(raw: str) -> str:
    match = _PLAIN_STRING.fullmatch(raw)
    if match:
        return match.group(1)
    match = _STRING.fullmatch(raw)
    if match is None:
        raise Unsupported("string")
    return _ESCAPE.sub(_unescape, match.group(1))


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) == 1:
        return _UNESCAPE[code]
    value = int(code[1:], 16)
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        raise Unsupported("escape is not a Unicode scalar")
    return chr(value)


def _scalar(raw: str) -> Any:
    if _INT.fullmatch(raw):
        if len(raw) > 30:  # no journal number is this long; tomllib gives the error
            raise Unsupported("a very long number")
        return int(raw)
    if len(raw) >= 10 and raw[4:5] == "-":
        return _date_or_datetime(raw)
    if raw[2:3] == ":":
        match = _TIME.fullmatch(raw)
        if match is None:
            raise Unsupported("time")
        return _time(*match.groups())
    if _FLOAT.fullmatch(raw):
        return float(raw)
    raise Unsupported("value")


def _date_or_datetime(raw: str) -> dt.date | dt.datetime:
    try:
        if len(raw) == 10:
            match = _DATE.fullmatch(raw)
            if match is None:
                raise Unsupported("date")
            return dt.date(*(int(part) for part in match.groups()))
        match = _DATETIME.fullmatch(raw)
        if match is None:
            raise Unsupported("datetime")
        year, month, day, hour, minute, second, fraction, offset = match.groups()
        tz: dt.tzinfo | None = None
        if offset == "Z":
            tz = dt.UTC
        elif offset:
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            if hours > 23 or minutes > 59:
                raise Unsupported("offset")
            delta = dt.timedelta(hours=hours, minutes=minutes)
            tz = dt.timezone(-delta if offset[0] == "-" else delta)
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            _micro(fraction),
            tzinfo=tz,
        )
    except ValueError:
        raise Unsupported("date out of range") from None


def _time(hour: str, minute: str, second: str, fraction: str | None) -> dt.time:
    try:
        return dt.time(int(hour), int(minute), int(second), _micro(fraction))
    except ValueError:
        raise Unsupported("time out of range") from None


def _micro(fraction: str | None) -> int:
    return int(fraction.ljust(6, "0")) if fraction else 0


def _array(raw: str) -> list[Any]:
    if raw == "[]":
        return []
    if raw[-1] != "]":
        raise Unsupported("array")
    items: list[Any] = []
    pos, end = 1, len(raw) - 1
    while True:
        match = _ARRAY_ITEM.match(raw, pos)
        if match is None:
            raise Unsupported("array item")
        items.append(_value(match.group()))
        pos = match.end()
        if pos == end:
            break
        if raw.startswith(", ", pos):
            pos += 2
        else:
            raise Unsupported("array separator")
    if len({type(item) for item in items}) > 1:
        # Mixed arrays are TOML 1.0 but rare in journals: let tomllib judge them.
        raise Unsupported("mixed array")
    return items
