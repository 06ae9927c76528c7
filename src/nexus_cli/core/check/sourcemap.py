"""Find where a key or an array element sits in TOML or JSON text.

The parsers of the standard library give values, not positions. These small
scanners walk text that has already parsed cleanly and record the offset of
every key and every array element under its path, e.g.
`("topics", 3, "name")`, so that a problem found in the data can be shown on
its line. They never raise: on anything unexpected they stop and keep what
they found, and a lookup falls back to the nearest enclosing entry.

Given the paths that will be looked up (`wanted`), they record only what those
lookups can reach: a table or value whose path begins no wanted path is passed
over in one step (a regular expression over its plain lines in TOML, the JSON
decoder in JSON) instead of key by key. Every path that begins a wanted one
gets the offset the full walk gives it, so `locate` answers the same.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from collections.abc import Iterable
from typing import Any

Loc = tuple[Any, ...]


def _prefixes(wanted: Iterable[Loc] | None) -> set[Loc] | None:
    """Return every path that begins one of `wanted` (itself and () included), or None for all."""
    if wanted is None:
        return None
    return {tuple(loc[:i]) for loc in wanted for i in range(len(loc) + 1)}


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
        self._places: dict[int, tuple[int, int]] = {}  # offset -> line, column (from `learn`)
        self._known_starts: dict[int, int] = {}  # line -> offset of its start (from `learn`)

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", self.text)]
        return self._starts

    def learn(self, offsets: Iterable[int]) -> None:
        """Find the lines of these offsets in one pass over the text.

        `line_col` and `line_text` then answer for them without a table of every
        line's start, which a large file with a few problems does not need. Text
        with a carriage return is left to that table.
        """
        text = self.text
        if self._starts is not None or "\r" in text:
            return
        line, start, before = 1, 0, 0
        for offset in sorted(set(offsets)):
            if not 0 <= offset <= len(text):
                continue
            newline = text.rfind("\n", before, offset)
            if newline >= 0:
                line += text.count("\n", before, offset)
                start = newline + 1
            self._places[offset] = (line, offset - start + 1)
            self._known_starts[line] = start
            before = offset

    def line_col(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column (in characters) of an offset."""
        place = self._places.get(offset)
        if place is not None:
            return place
        starts = self._line_starts()
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def line_text(self, line: int) -> str:
        """Return the text of a 1-based line, without its line break."""
        start = self._known_starts.get(line)
        if start is not None:  # a line found by `learn`: the text has no carriage return
            end = self.text.find("\n", start)
            return self.text[start : end if end >= 0 else len(self.text)]
        starts = self._line_starts()
        if not 1 <= line <= len(starts):
            return ""
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[starts[line - 1] : end].rstrip("\r\n")

    def find(self, loc: Loc) -> int | None:
        """Return the offset of `loc`, or of its nearest enclosing key or entry."""
        loc = tuple(loc)
        while loc:
            offset = self.offsets.get(loc)
            if offset is not None:
                return offset
            loc = loc[:-1]
        return None

    def locate(self, loc: Loc) -> tuple[int, int] | None:
        """Return line and column of `loc`, or of its nearest enclosing key or entry."""
        offset = self.find(loc)
        return None if offset is None else self.line_col(offset)


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


# A run of blank lines, comment lines and one-line `key = value` statements whose
# value is a string, a scalar or a one-line array of those: what a table of a
# journal nexus wrote is made of. Built from the scanner's own patterns, each
# matched atomically (first alternative wins, as in the scanner), so a run ends
# exactly where the scanner would have ended it; anything else (a header, an
# inline table, a multi-line string or array) ends the run and is scanned.
# A quoted key with an escape is left to the scanner, which decodes it (and may stop there).
_SKIP_KEY = r"""(?>[A-Za-z0-9_-]+|"[^"\\\r\n]*+"|'[^'\r\n]*+')"""
_SKIP_ATOM = (
    r"""(?>"[^"\\\r\n]*+(?:\\.[^"\\\r\n]*+)*+"(?!")|'[^'\r\n]*+'(?!')"""
    r"|\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?"
    r"""|[^\s,\]\}#\[\{"']++)"""
)
_SKIP_ARRAY = rf"\[[ \t]*+(?:{_SKIP_ATOM}[ \t]*+(?:,[ \t]*+{_SKIP_ATOM}[ \t]*+)*+,?+[ \t]*+)?+\]"
_SKIP_VALUE = rf"(?>{_SKIP_ATOM}|{_SKIP_ARRAY})"
_PLAIN_LINES = re.compile(
    rf"(?:[ \t]*+(?:#[^\r\n]*+)?+\r?\n"
    rf"|[ \t]*+{_SKIP_KEY}(?:[ \t]*+\.[ \t]*+{_SKIP_KEY})*+[ \t]*+=[ \t]*+{_SKIP_VALUE}"
    rf"[ \t]*+(?:#[^\r\n]*+)?+(?:\r?\n|\Z))*+"
)

_BLANK_RUN = r"(?:[ \t\r\n]++|#[^\r\n]*+)*+"
# One `[[name]]` header (a bare name) and the plain lines of its entry.
_PLAIN_ENTRY = re.compile(
    rf"\[\[[ \t]*+([A-Za-z0-9_-]++)[ \t]*+\]\]{_BLANK_RUN}{_PLAIN_LINES.pattern}{_BLANK_RUN}"
)


class _Stop(Exception):
    """The scanner met something it does not understand: keep what was found."""


class _TomlScanner:
    def __init__(self, smap: SourceMap, needed: set[Loc] | None = None) -> None:
        self.map = smap
        self.text = smap.text
        self.pos = 0
        self.arrays: dict[Loc, int] = {}  # array-of-tables path -> entries seen
        self.needed = needed  # paths whose keys are recorded (None: all)

    def run(self) -> None:
        text, n = self.text, len(self.text)
        table: Loc = ()
        needed = self.needed
        while True:
            self.pos = _skip(_BLANK, text, self.pos)
            if needed is not None and table not in needed:
                table = self._pass_over(table, needed)
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

    def _pass_over(self, table: Loc, needed: set[Loc]) -> Loc:
        """Pass over what no wanted path lies in: the rest of `table`, then whole entries.

        An entry is a `[[name]]` of an array of tables already met and its plain lines;
        the scanner stops passing over at the first one a wanted path lies in, or at
        anything but plain lines. Returns the table the scanner is then in.
        """
        text, arrays = self.text, self.arrays
        self.pos = _skip(_BLANK, text, _skip(_PLAIN_LINES, text, self.pos))
        while (match := _PLAIN_ENTRY.match(text, self.pos)) is not None:
            path = (match[1],)
            index = arrays.get(path)
            if index is None or (*path, index) in needed:
                break
            arrays[path] = index + 1
            table = (*path, index)
            self.pos = match.end()
        return table

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


def toml_map(text: str, wanted: Iterable[Loc] | None = None) -> SourceMap:
    """Return the source map of TOML text (best effort; never raises).

    With `wanted`, only the offsets that lookups of those paths can reach are recorded.
    """
    smap = SourceMap(text)
    with contextlib.suppress(_Stop, RecursionError, ValueError, IndexError):
        _TomlScanner(smap, _prefixes(wanted)).run()
    return smap


# --- JSON ---------------------------------------------------------------------

_JSON_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([{}\[\]:,])|([^\s{}\[\]:,"]+))', re.S)


_NEXT_CONTAINER = re.compile(r"\s*,\s*[{\[]")
_DECODER = json.JSONDecoder()


def _pass_elements(text: str, pos: int, frame: list[Any], needed: set[Loc]) -> int:
    """Pass over the next objects and arrays of an array that no wanted path lies in.

    `pos` is just after an element; returns where the walk goes on (before the comma of
    the first element it must look into, or of anything but an object or array).
    """
    while (match := _NEXT_CONTAINER.match(text, pos)) is not None and (*frame[0], frame[2]) not in needed:
        pos = _DECODER.raw_decode(text, match.end() - 1)[1]
        frame[2] += 1
    return pos


def json_map(text: str, wanted: Iterable[Loc] | None = None) -> SourceMap:
    """Return the source map of JSON text, with any duplicate keys (never raises).

    With `wanted`, only the offsets that lookups of those paths can reach are recorded,
    and duplicate keys are looked for only there.
    """
    smap = SourceMap(text)
    offsets = smap.offsets
    needed = _prefixes(wanted)
    skip_value = _DECODER.raw_decode
    # Each frame: [path, is_object, next index or pending key, keys seen]
    stack: list[list[Any]] = []
    expect_value_at: Loc | None = ()
    pending_key: str | None = None
    token, search = _JSON_TOKEN.match, _JSON_TOKEN.search
    pos = 0
    try:
        while match := token(text, pos) or search(text, pos):  # as finditer would go on
            pos = match.end()
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
            if punct in ("{", "[") and needed is not None and path not in needed:
                # Nothing wanted inside: let the decoder find where this value ends.
                pos = skip_value(text, start)[1]
                if frame is not None and not frame[1]:
                    pos = _pass_elements(text, pos, frame, needed)
            elif punct == "{":
                stack.append([path, True, 0, set()])
            elif punct == "[":
                stack.append([path, False, 0, set()])
    except (ValueError, IndexError, TypeError, RecursionError):
        pass
    return smap
