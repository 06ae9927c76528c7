"""The first check: bytes to UTF-8 text to data, or the one problem that stops it.

TOML goes through the store's reader (`store.read_toml`), so `validate` parses a
file exactly as every other command does.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from nexus_cli.core import store
from nexus_cli.core.check.codes import Format, Problem, make_problem
from nexus_cli.core.check.sourcemap import SourceMap

TOML_HINT = "fix the syntax there; the rest of the file is checked once it parses"
JSON_HINT = "fix the syntax there (look for a missing comma or quote just before)"
LONG_HINT = "write a sensible number there"
TOP_HINT = "a journal is a table (JSON object) with schema_version, program, topics, …"


@dataclass
class Parsed:
    """A file that parsed: its text, its data, and whether a JSON object repeats a key."""

    text: str
    data: dict[str, Any]
    duplicates: bool


def sniff_format(raw: bytes) -> Format:
    """Return JSON when the first non-space character is `{`, else TOML."""
    stripped = raw.lstrip(b"\xef\xbb\xbf").lstrip()
    return "json" if stripped[:1] == b"{" else "toml"


def parse(raw: bytes, source: str, fmt: Format) -> Parsed | Problem:
    """Return the data of one journal's bytes, or the problem that keeps it from parsing."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _not_utf8(raw, source, exc)
    text = text.removeprefix("\ufeff")

    def at_line(code: str, message: str, hint: str, line: int, column: int) -> Problem:
        plain = SourceMap(text)
        return make_problem(source, code, message, hint, line=line, column=column, text=plain.line_text(line))

    if not text.strip():
        # Every command refuses an empty journal (most likely a file cut short), so must this.
        return make_problem(
            source,
            "NX010",
            "the file is empty; a journal holds at least its schema_version",
            "restore the backup beside it, or write schema_version = 1",
            line=1,
            column=1,
        )

    nul = text.find("\x00")
    if nul >= 0:
        line, column = SourceMap(text).line_col(nul)
        damaged = "the file looks damaged; restore the backup beside it"
        return at_line("NX003", "contains a NUL byte", damaged, line, column)

    try:
        if fmt == "json":
            data, duplicates = _parse_json(text)
        else:
            data, duplicates = store.read_toml(text), False
    except json.JSONDecodeError as exc:
        return at_line("NX005", f"invalid JSON: {exc.msg}", JSON_HINT, exc.lineno, exc.colno)
    except (RecursionError, MemoryError):
        return at_line("NX008", "nested too deeply to read", "a journal is at most a few levels deep", 1, 1)
    except ValueError as exc:  # TOMLDecodeError, or an integer literal longer than Python will convert
        import tomllib  # here, not at the top: `log` imports this package and reads no TOML with it

        if isinstance(exc, tomllib.TOMLDecodeError):
            message, line, column = store.toml_error_position(exc, text)
            return at_line("NX004", f"invalid TOML: {message}", TOML_HINT, line, column)
        match = re.search(r"\d{4300,}", text)
        line, column = SourceMap(text).line_col(match.start()) if match else (1, 1)
        return at_line("NX008", "a number has too many digits to read", LONG_HINT, line, column)

    if fmt == "json":
        lone = _lone_surrogate(text)
        if lone is not None:
            line, column = SourceMap(text).line_col(lone)
            return at_line(
                "NX005", "invalid JSON: a \\u escape is half of a surrogate pair", JSON_HINT, line, column
            )
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        return at_line("NX007", f"the top level is {kind}, not a table of entries", TOP_HINT, 1, 1)
    return Parsed(text, data, duplicates)


def _not_utf8(raw: bytes, source: str, exc: UnicodeDecodeError) -> Problem:
    before = raw[: exc.start]
    line_start = before.rfind(b"\n") + 1
    line = before.count(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", "replace")) + 1
    end = raw.find(b"\n", exc.start)
    shown = raw[line_start : end if end >= 0 else len(raw)].decode("utf-8", "replace")
    return make_problem(
        source,
        "NX002",
        f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}",
        "save the file as UTF-8 (or restore the backup beside it)",
        line=line,
        column=column,
        text=shown,
    )


def _parse_json(text: str) -> tuple[Any, bool]:
    duplicates = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicates
        result = dict(items)
        if len(result) != len(items):
            duplicates = True
        return result

    return json.loads(text, object_pairs_hook=pairs), duplicates


_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _lone_surrogate(text: str) -> int | None:
    """Return the offset of a \\u escape that decodes to half a surrogate pair, if any."""
    for match in _SURROGATE.finditer(text):
        try:
            json.loads('"' + text[match.start() : match.start() + 12] + '"').encode("utf-8")
        except UnicodeEncodeError:
            return match.start()
        except ValueError:
            continue
    return None
