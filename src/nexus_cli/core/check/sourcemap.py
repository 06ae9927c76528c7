"""Find where a key or an array element sits in TOML or JSON text.

The parsers of the standard library give values, not positions. These small
scanners walk text that has already parsed cleanly and record the offset of
every key and every array element under its path, e.g.
`("topics", 3, "name")`, so that a problem found in the data can be shown on
its line. They never raise: on anything unexpected they stop and keep what
they found, and a lookup falls back to the nearest enclosing entry.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from typing import Any

Loc = tuple[Any, ...]


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Return where a run of `pattern` (which may be empty) starting at `pos` ends."""
    match = pattern.match(text, pos)
    return match.end() if match else pos


class SourceMap:
    """Offsets of keys and elements in one text, and line/column lookups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets: dict[Loc, int] = {}
        self.duplicates: list[tuple[Loc, int]] = []
        self._starts: list[int] | None = None

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", self.text)]
        return self._starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column (in characters) of an offset."""
        starts = self._line_starts()
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def line_text(self, line: int) -> str:
        """Return the text of a 1-based line, without its line break."""
        starts = self._line_starts()
        if not 1 <= line <= len(starts):
            return ""
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[starts[line - 1] : end].rstrip("\r\n")

    def locate(self, loc: Loc) -> tuple[int, int] | None:
        """Return line and column of `loc`, or of its nearest enclosing key or entry."""
        loc = tuple(loc)
        while loc:
            offset = self.offsets.get(loc)
            if offset is not None:
                return self.line_col(offset)
            loc = loc[:-1]
        return None


# --- TOML ---------------------------------------------------------------------

_WS = re.compile(r"[ \t]*")
_BLANK = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)*")
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\r\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\r\n]*'")
_ML_BASIC = re.compile(r'"""(?:\\[\s\S]|[^\\])*?"""(?!")')
_ML_LITERAL = re.compile(r"'''[\s\S]*?'''(?!')")
_SCALAR = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?"
    r"|[^\s,\]\}#]+"
)


class _Stop(Exception):
    """The scanner met something it does not understand: keep what was found."""


class _TomlScanner:
    def __init__(self, smap: SourceMap) -> None:
        self.map = smap
        self.text = smap.text
        self.pos = 0
        self.arrays: dict[Loc, int] = {}  # array-of-tables path -> entries seen

    def run(self) -> None:
        text, n = self.text, len(self.text)
        table: Loc = ()
        while True:
            self.pos = _skip(_BLANK, text, self.pos)
            if self.pos >= n:
                return
            start = self.pos
            if text.startswith("[[", start):
                self.pos += 2
                keys = self._key()
                self._expect("]]")
                table = self._resolve(keys, start, array=True)
                self.map.offsets.setdefault(table, start)
            elif text.startswith("[", start):
                self.pos += 1
                keys = self._key()
                self._expect("]")
                table = self._resolve(keys, start, array=False)
                self.map.offsets.setdefault(table, start)
            else:
                keys = self._key()
                path = table + tuple(keys)
                self.map.offsets.setdefault(path, start)
                self._expect("=")
                self._value(path)

    def _resolve(self, keys: list[str], start: int, *, array: bool) -> Loc:
        path: Loc = ()
        for key in keys[:-1]:
            path += (key,)
            if path in self.arrays:
                path += (self.arrays[path] - 1,)
        path += (keys[-1],)
        if not array:
            return path
        self.map.offsets.setdefault(path, start)
        index = self.arrays.get(path, 0)
        self.arrays[path] = index + 1
        return (*path, index)

    def _skip_ws(self) -> None:
        self.pos = _skip(_WS, self.text, self.pos)

    def _expect(self, token: str) -> None:
        self._skip_ws()
        if not self.text.startswith(token, self.pos):
            raise _Stop
        self.pos += len(token)

    def _key(self) -> list[str]:
        keys = []
        while True:
            self._skip_ws()
            for pattern in (_BARE, _BASIC, _LITERAL):
                match = pattern.match(self.text, self.pos)
                if match:
                    break
            else:
                raise _Stop
            raw = match.group()
            if raw[0] == '"':
                keys.append(json.loads(raw) if "\\" in raw else raw[1:-1])
            elif raw[0] == "'":
                keys.append(raw[1:-1])
            else:
                keys.append(raw)
            self.pos = match.end()
            self._skip_ws()
            if not self.text.startswith(".", self.pos):
                return keys
            self.pos += 1

    def _value(self, path: Loc) -> None:
        self._skip_ws()
        text, pos = self.text, self.pos
        char = text[pos : pos + 1]
        if char == "[":
            self.pos += 1
            index = 0
            while True:
                self.pos = _skip(_BLANK, text, self.pos)
                if text.startswith("]", self.pos):
                    self.pos += 1
                    return
                self.map.offsets.setdefault((*path, index), self.pos)
                self._value((*path, index))
                self.pos = _skip(_BLANK, text, self.pos)
                if text.startswith(",", self.pos):
                    self.pos += 1
                index += 1
        if char == "{":
            self.pos += 1
            while True:
                self._skip_ws()
                if text.startswith("}", self.pos):
                    self.pos += 1
                    return
                start = self.pos
                keys = self._key()
                inner = path + tuple(keys)
                self.map.offsets.setdefault(inner, start)
                self._expect("=")
                self._value(inner)
                self._skip_ws()
                if text.startswith(",", self.pos):
                    self.pos += 1
        for pattern in (_ML_BASIC, _ML_LITERAL, _BASIC, _LITERAL, _SCALAR):
            match = pattern.match(text, pos)
            if match:
                self.pos = match.end()
                return
        raise _Stop


def toml_map(text: str) -> SourceMap:
    """Return the source map of TOML text (best effort; never raises)."""
    smap = SourceMap(text)
    with contextlib.suppress(_Stop, RecursionError, ValueError, IndexError):
        _TomlScanner(smap).run()
    return smap


# --- JSON ---------------------------------------------------------------------

_JSON_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([{}\[\]:,])|([^\s{}\[\]:,"]+))', re.S)


def json_map(text: str) -> SourceMap:
    """Return the source map of JSON text, with any duplicate keys (never raises)."""
    smap = SourceMap(text)
    offsets = smap.offsets
    # Each frame: [path, is_object, next index or pending key, keys seen]
    stack: list[list[Any]] = []
    expect_value_at: Loc | None = ()
    pending_key: str | None = None
    try:
        for match in _JSON_TOKEN.finditer(text):
            string, punct, _scalar = match.groups()
            start = match.start(1) if string is not None else match.start(2) if punct else match.start(3)
            frame = stack[-1] if stack else None
            if frame is not None and frame[1] and expect_value_at is None and string is not None:
                key = json.loads(string)
                path = (*frame[0], key)
                if key in frame[3]:
                    smap.duplicates.append((path, start))
                else:
                    frame[3].add(key)
                    offsets.setdefault(path, start)
                pending_key = key
                continue
            if punct == ":":
                expect_value_at = (*frame[0], pending_key) if frame else ()
                pending_key = None
                continue
            if punct == ",":
                continue
            if punct in ("}", "]"):
                stack.pop()
                continue
            # A value starts here.
            if frame is not None and not frame[1]:
                path = (*frame[0], frame[2])
                offsets.setdefault(path, start)
                frame[2] += 1
            else:
                path = expect_value_at if expect_value_at is not None else ()
            expect_value_at = None
            if punct == "{":
                stack.append([path, True, 0, set()])
            elif punct == "[":
                stack.append([path, False, 0, set()])
    except (ValueError, IndexError, TypeError, RecursionError):
        pass
    return smap
