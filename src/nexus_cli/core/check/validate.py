"""Check journal files: every problem, with its file, line, column, entry path and code.

A check never writes anything. It reads bytes, parses them (syntax), validates
them against the model (schema) and then looks at the raw data again for what
the model cannot see (semantics: duplicate ids, dangling references, cycles,
overlaps, dates in the future). The semantic checks work on the raw data, so
they run even when some entries have schema errors, and one run reports all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import json
import os
import re
import tomllib
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from nexus_cli.core import clock, store
from nexus_cli.core.check.sourcemap import Loc, SourceMap, json_map, toml_map
from nexus_cli.core.errors import entry_path
from nexus_cli.core.models import (
    SCHEMA_VERSION,
    Journal,
    Program,
    Session,
    Timer,
)
from nexus_cli.core.store import SECTIONS

Severity = Literal["error", "warning"]
Format = Literal["toml", "json"]

STDIN = "-"
STDIN_NAME = "<stdin>"
PARALLEL_THRESHOLD = 8
FIELDS = ("file", "line", "column", "path", "code", "severity", "message", "hint")


@dataclass(frozen=True)
class Code:
    """A kind of problem: its stable code, severity and one-line title."""

    code: str
    severity: Severity
    title: str


_CODE_LIST = [
    # NX0xx: the file cannot be read or parsed.
    Code("NX001", "error", "path cannot be read"),
    Code("NX002", "error", "file is not valid UTF-8"),
    Code("NX003", "error", "file contains a NUL byte"),
    Code("NX004", "error", "TOML syntax error"),
    Code("NX005", "error", "JSON syntax error"),
    Code("NX006", "error", "duplicate key in a JSON object"),
    Code("NX007", "error", "top level is not a table"),
    Code("NX008", "error", "file too deeply nested or a number too long to read"),
    Code("NX009", "warning", "folder holds no journal files"),
    # NX1xx: the data does not fit the journal's schema.
    Code("NX101", "error", "unknown key"),
    Code("NX102", "error", "missing required key"),
    Code("NX103", "error", "wrong type"),
    Code("NX104", "error", "value not among the allowed ones"),
    Code("NX105", "error", "number is NaN or infinite"),
    Code("NX106", "error", "number out of range"),
    Code("NX107", "error", "text or list too short or too long"),
    Code("NX108", "error", "malformed id or tag"),
    Code("NX109", "error", "invalid date, time or timestamp"),
    # NX2xx: the data fits the schema but does not make sense.
    Code("NX201", "error", "unsupported schema_version"),
    Code("NX202", "error", "duplicate id"),
    Code("NX203", "error", "reference to a missing topic"),
    Code("NX204", "error", "topic parents form a cycle"),
    Code("NX205", "error", "resolved challenge without a solution"),
    Code("NX206", "error", "impossible session duration"),
    Code("NX207", "error", "more than 24 hours logged on one day"),
    Code("NX208", "error", "overlapping timed sessions"),
    Code("NX209", "error", "date in the future"),
    Code("NX210", "error", "programme ends before it starts"),
    Code("NX211", "error", "challenge resolved before it was opened"),
    Code("NX212", "error", "review dated before its entry was created"),
    # NX3xx: suspicious, not wrong (errors under --strict).
    Code("NX301", "warning", "open challenge with a resolved timestamp"),
    Code("NX302", "warning", "resolved challenge without a resolved timestamp"),
    Code("NX303", "warning", "topic updated before it was created"),
    Code("NX304", "warning", "the same value twice in a list"),
    Code("NX305", "warning", "session outside the programme's dates"),
    Code("NX306", "warning", "timer running for more than a day"),
]
CODES: dict[str, Code] = {code.code: code for code in _CODE_LIST}
IO_CODES = frozenset({"NX001"})


@dataclass
class Problem:
    """One problem in one file."""

    file: str
    line: int | None
    column: int | None
    path: str
    code: str
    severity: Severity
    message: str
    hint: str
    source: str = field(default="", compare=False)  # the offending line, for display only

    def to_dict(self) -> dict[str, Any]:
        """Return the problem with the stable field names of `--format json`."""
        return {name: getattr(self, name) for name in FIELDS}


@dataclass
class FileResult:
    """The problems of one checked file (or of one path that could not be read)."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def checked(self) -> bool:
        return not any(p.code in IO_CODES or p.code == "NX009" for p in self.problems)


@dataclass
class _Finding:
    loc: Loc
    code: str
    message: str
    hint: str = ""
    offset: int | None = None  # where in the text, when known already (a repeated JSON key)


# --- finding files ----------------------------------------------------------------


def _is_journal_name(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".toml", ".json")) and not name.startswith(".")


def _walk(folder: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder, onerror=None):
        # Hidden folders hold tool state (.git, .venv) and nexus's own backups.
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(os.path.join(root, name) for name in files if _is_journal_name(name))
    return sorted(found)


def expand(paths: Iterable[str]) -> list[str | FileResult]:
    """Return, in order, the files to check (folders searched) and results for bad paths."""
    items: list[str | FileResult] = []
    seen: set[str] = set()
    for path in paths:
        if path == STDIN:
            found = [STDIN]
        elif os.path.isdir(path):
            found = _walk(path)
            if not found:
                items.append(_path_problem(path, "NX009", f"no *.toml or *.json files in {path}"))
        elif os.path.exists(path) or os.path.islink(path):
            found = [path]
        else:
            items.append(_path_problem(path, "NX001", "no such file or folder"))
            continue
        for item in found:
            if item not in seen:
                seen.add(item)
                items.append(item)
    return items


def run(
    paths: Iterable[str], *, jobs: int | None = None, stdin: Any = None, stdin_format: Format | None = None
) -> list[FileResult]:
    """Check every path (files, folders, - for stdin) and return the results in order."""
    items = expand(paths)
    files = [item for item in items if isinstance(item, str) and item != STDIN]
    checked = dict(zip(files, check_many(files, jobs=jobs), strict=True))
    results = []
    for item in items:
        if isinstance(item, FileResult):
            results.append(item)
        elif item == STDIN:
            raw = stdin.read() if stdin is not None else b""
            results.append(
                FileResult(STDIN_NAME, check_bytes(raw, STDIN_NAME, stdin_format or sniff_format(raw)))
            )
        else:
            results.append(checked[item])
    return results


def _path_problem(path: str, code: str, message: str, hint: str = "") -> FileResult:
    if not hint:
        hint = (
            "check the path; validate takes files, folders and - for stdin"
            if code == "NX001"
            else "point validate at the folder that holds the journals"
        )
    problem = Problem(path, None, None, "", code, CODES[code].severity, message, hint)
    return FileResult(path, [problem])


# --- checking -----------------------------------------------------------------------


def sniff_format(raw: bytes) -> Format:
    """Return JSON when the first non-space character is `{`, else TOML."""
    stripped = raw.lstrip(b"\xef\xbb\xbf").lstrip()
    return "json" if stripped[:1] == b"{" else "toml"


def format_of(path: str) -> Format:
    return "json" if path.lower().endswith(".json") else "toml"


def check_path(path: str) -> FileResult:
    """Read one file and return all its problems."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except IsADirectoryError:
        return _path_problem(path, "NX001", "is a folder, not a journal file")
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        return _path_problem(path, "NX001", f"cannot read: {reason}", "check the file's permissions")
    return FileResult(path, check_bytes(raw, path, format_of(path)))


def check_bytes(raw: bytes, source: str, fmt: Format, *, today: dt.date | None = None) -> list[Problem]:
    """Return every problem of one journal's bytes, in line order."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line_start = before.rfind(b"\n") + 1
        line = before.count(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", "replace")) + 1
        end = raw.find(b"\n", exc.start)
        shown = raw[line_start : end if end >= 0 else len(raw)].decode("utf-8", "replace")
        return [
            _problem(
                source,
                "NX002",
                f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}",
                "save the file as UTF-8 (or restore the backup beside it)",
                line=line,
                column=column,
                text=shown,
            )
        ]
    text = text.removeprefix("\ufeff")
    return _check_text(text, source, fmt, today=today)


def _problem(
    source: str,
    code: str,
    message: str,
    hint: str,
    *,
    line: int | None = None,
    column: int | None = None,
    path: str = "",
    text: str = "",
) -> Problem:
    return Problem(source, line, column, path, code, CODES[code].severity, message, hint, text)


def _check_text(text: str, source: str, fmt: Format, *, today: dt.date | None) -> list[Problem]:
    smap: SourceMap | None = None

    def at_line(code: str, message: str, hint: str, line: int, column: int) -> Problem:
        plain = SourceMap(text)
        return _problem(source, code, message, hint, line=line, column=column, text=plain.line_text(line))

    nul = text.find("\x00")
    if nul >= 0:
        line, column = SourceMap(text).line_col(nul)
        return [
            at_line(
                "NX003",
                "contains a NUL byte",
                "the file looks damaged; restore the backup beside it",
                line,
                column,
            )
        ]

    try:
        if fmt == "json":
            data, duplicates = _parse_json(text)
        else:
            data, duplicates = _parse_toml(text), False
    except json.JSONDecodeError as exc:
        return [at_line("NX005", f"invalid JSON: {exc.msg}", _JSON_HINT, exc.lineno, exc.colno)]
    except tomllib.TOMLDecodeError as exc:
        message, line, column = _toml_error(exc, text)
        return [at_line("NX004", f"invalid TOML: {message}", _TOML_HINT, line, column)]
    except (RecursionError, MemoryError):
        return [at_line("NX008", "nested too deeply to read", "a journal is at most a few levels deep", 1, 1)]
    except ValueError:  # an integer literal longer than Python will convert
        match = re.search(r"\d{4300,}", text)
        line, column = SourceMap(text).line_col(match.start()) if match else (1, 1)
        return [at_line("NX008", "a number has too many digits to read", _LONG_HINT, line, column)]

    if fmt == "json":
        lone = _lone_surrogate(text)
        if lone is not None:
            line, column = SourceMap(text).line_col(lone)
            return [
                at_line(
                    "NX005",
                    "invalid JSON: a \\u escape is half of a surrogate pair",
                    _JSON_HINT,
                    line,
                    column,
                )
            ]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        return [at_line("NX007", f"the top level is {kind}, not a table of entries", _TOP_HINT, 1, 1)]

    findings: list[_Finding] = []
    if duplicates:
        smap = json_map(text)
        for loc, offset in smap.duplicates:
            findings.append(
                _Finding(
                    loc,
                    "NX006",
                    f"duplicate key '{loc[-1]}' (the later value would win)",
                    "keep one of the two keys",
                    offset,
                )
            )
    findings.extend(_check_data(data, today=today))
    if not findings:
        return []

    if smap is None:
        smap = json_map(text) if fmt == "json" else toml_map(text)
    problems = []
    for finding in findings:
        line = column = None
        if finding.offset is not None:
            line, column = smap.line_col(finding.offset)
        else:
            where = smap.locate(finding.loc)
            if where is not None:
                line, column = where
        problems.append(
            _problem(
                source,
                finding.code,
                finding.message,
                finding.hint,
                line=line,
                column=column,
                path=entry_path(finding.loc),
                text=smap.line_text(line) if line else "",
            )
        )
    problems.sort(key=lambda p: (p.line or 0, p.column or 0, p.code))
    return problems


_TOML_HINT = "fix the syntax there; the rest of the file is checked once it parses"
_JSON_HINT = "fix the syntax there (look for a missing comma or quote just before)"
_LONG_HINT = "write a sensible number there"
_TOP_HINT = "a journal is a table (JSON object) with schema_version, program, topics, …"


def _parse_toml(text: str) -> Any:
    return store.read_toml(text)


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


def _toml_error(exc: tomllib.TOMLDecodeError, text: str) -> tuple[str, int, int]:
    return store.toml_error_position(exc, text)


# --- schema -------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _model_of(shape: Loc) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Journal
    for part in shape:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) if model is not None else None
        if info is None:
            return None
        model = _inner_model(info.annotation)
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _kind_name(model: type[BaseModel] | None) -> str:
    if model is None:
        return "this table"
    if model is Journal:
        return "the journal"
    if model in (Program, Timer):
        return f"the {model.__name__.lower()} table"
    return f"a {model.__name__.lower()}"


_ID_HINT = "ids are lower-case letters, digits and dashes, e.g. django-rest"
_STAMP_HINT = "a timestamp with a time zone, e.g. 2026-11-28T10:00:00Z"
_FIELD_HINTS = {
    "id": _ID_HINT,
    "topic": "a topic id, e.g. django",
    "parent": "the id of the parent topic, e.g. python",
    "topics": 'a list of topic ids, e.g. ["django", "docker"]',
    "tags": 'a list of single words, e.g. ["orm", "performance"]',
    "minutes": "whole minutes from 1 to 1440, e.g. minutes = 90",
    "date": "an ISO date, e.g. 2026-11-28",
    "start": "a time of day, e.g. 14:30:00",
    "created": _STAMP_HINT,
    "updated": _STAMP_HINT,
    "opened": _STAMP_HINT,
    "resolved": _STAMP_HINT,
    "started": _STAMP_HINT,
    "target_hours": "a number of hours above 0, e.g. target_hours = 40",
    "schema_version": f"the journal format version, {SCHEMA_VERSION} for this nexus",
    "name": "a name of 1 to 200 characters",
    "title": "a title of 1 to 200 characters",
    "url": "a link, e.g. https://docs.djangoproject.com/",
    "done": "true or false",
}
_PROGRAM_HINTS = {"start": "an ISO date, e.g. 2026-09-07", "end": "an ISO date, e.g. 2026-12-28"}

_DEFAULT_HINTS = {
    "NX103": "write a value of the type the message names",
    "NX105": "write a finite number",
    "NX106": "write a number within the range the message names",
    "NX107": "shorten or fill in the value",
    "NX109": "dates are YYYY-MM-DD, times HH:MM:SS, timestamps need a time zone (…Z)",
}
_TYPE_CODES = {
    "extra_forbidden": "NX101",
    "missing": "NX102",
    "enum": "NX104",
    "literal_error": "NX104",
    "finite_number": "NX105",
    "greater_than": "NX106",
    "greater_than_equal": "NX106",
    "less_than": "NX106",
    "less_than_equal": "NX106",
    "string_too_short": "NX107",
    "string_too_long": "NX107",
    "too_short": "NX107",
    "too_long": "NX107",
    "string_pattern_mismatch": "NX108",
    "value_error": "NX109",
}


def _model_at(loc: Loc) -> type[BaseModel] | None:
    return _model_of(tuple(0 if isinstance(part, int) else part for part in loc))


def _field_of(loc: Loc) -> tuple[str, Loc]:
    """Return the last key of a location and the location of the table holding it."""
    for index in range(len(loc) - 1, -1, -1):
        if isinstance(loc[index], str):
            return loc[index], loc[:index]
    return "", ()


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:39] + "…")
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _code_for(kind: str) -> str:
    if kind in _TYPE_CODES:
        return _TYPE_CODES[kind]
    if kind.startswith(("date", "datetime", "time", "timezone")):
        return "NX109"
    return "NX103"  # every other pydantic error is a value of the wrong type or shape


def _schema_finding(error: dict[str, Any]) -> _Finding:
    loc = tuple(error["loc"])
    kind = error["type"]
    code = _code_for(kind)
    name, owner = _field_of(loc)
    model = _model_at(owner)
    hint = (_PROGRAM_HINTS.get(name) if model is Program else None) or _FIELD_HINTS.get(name, "")
    label = entry_path(loc[len(owner) :]) if name else "value"
    msg = str(error["msg"])
    msg = msg.removeprefix("Value error, ")
    msg = msg[:1].lower() + msg[1:]
    if code == "NX101":
        allowed = list(model.model_fields) if model else []
        close = difflib.get_close_matches(name, allowed, n=1)
        kind_name = _kind_name(model)
        hint = (f"did you mean '{close[0]}'? " if close else "remove it or fix its spelling; ") + (
            f"{kind_name} takes: {', '.join(allowed)}" if allowed else ""
        )
        return _Finding(loc, code, f"unknown key '{name}'", hint.strip())
    if code == "NX102":
        return _Finding(loc, code, f"missing required key '{name}'", f"add {name}: {hint}" if hint else "")
    if code == "NX106" and name == "minutes" and model is Session:
        code = "NX206"
        hint = "a session lasts from 1 minute to 24 hours; split longer study into several sessions"
    if code == "NX108":
        what = "tag (no spaces or commas)" if name == "tags" else "id"
        return _Finding(loc, code, f"{label}: {_shown(error.get('input'))} is not a valid {what}", hint)
    if code == "NX104" and error.get("ctx", {}).get("expected"):
        hint = f"use one of {error['ctx']['expected']}"
    hint = hint or _DEFAULT_HINTS.get(code, "fix the value so it fits the schema (see `nexus schema`)")
    message = f"{label}: {msg}"
    if code not in ("NX105",) and "input" in error and not isinstance(error["input"], (dict, list)):
        message += f" (found {_shown(error['input'])})"
    return _Finding(loc, code, message, hint)


def _check_data(data: dict[str, Any], *, today: dt.date | None = None) -> list[_Finding]:
    findings: list[_Finding] = []
    version = data.get("schema_version", SCHEMA_VERSION)
    version_ok = isinstance(version, int) and not isinstance(version, bool)
    if not version_ok:
        findings.append(
            _Finding(
                ("schema_version",),
                "NX201",
                f"schema_version must be a whole number (found {_shown(version)})",
                f"write schema_version = {SCHEMA_VERSION}",
            )
        )
    elif version > SCHEMA_VERSION:
        # A newer format may hold anything: judging it by this model would only mislead.
        return [
            _Finding(
                ("schema_version",),
                "NX201",
                f"schema_version {version} is newer than this nexus reads (up to {SCHEMA_VERSION})",
                "upgrade nexus to check this file",
            )
        ]
    elif version < 1:
        findings.append(
            _Finding(
                ("schema_version",),
                "NX201",
                f"schema_version {version} does not exist (versions start at 1)",
                f"write schema_version = {SCHEMA_VERSION}",
            )
        )
    try:
        Journal.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            if tuple(error["loc"])[:1] == ("schema_version",) and findings:
                continue
            findings.append(_schema_finding(error))
    except (RecursionError, OverflowError) as exc:
        findings.append(_Finding((), "NX008", f"cannot check the values ({type(exc).__name__})", _TOP_HINT))
        return findings
    semantics = _Semantics(data, today or clock.today(), clock.now())
    with contextlib.suppress(OverflowError):  # year 9999 plus a few minutes: keep what was found
        semantics.run()
    findings.extend(semantics.findings)
    return findings


# --- semantics -------------------------------------------------------------------------


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _as_time(value: Any) -> dt.time | None:
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    if isinstance(value, str) and 4 < len(value) < 20:
        try:
            return dt.time.fromisoformat(value).replace(tzinfo=None)
        except ValueError:
            return None
    return None


def _as_stamp(value: Any) -> dt.datetime | None:
    if isinstance(value, str) and 10 < len(value) < 40:
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value
    return None


def _as_minutes(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 24 * 60:
        return value
    return None


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}m" if rest else f"{hours}h"


def _nearest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


class _Semantics:
    """The checks that need the whole journal; tolerant of values of the wrong type."""

    def __init__(self, data: dict[str, Any], today: dt.date, now: dt.datetime) -> None:
        self.data = data
        self.today = today
        self.now = now
        self.findings: list[_Finding] = []

    def add(self, loc: Loc, code: str, message: str, hint: str = "") -> None:
        self.findings.append(_Finding(loc, code, message, hint))

    def entries(self, section: str) -> Iterator[tuple[int, dict[str, Any]]]:
        items = self.data.get(section)
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    yield index, item

    def run(self) -> list[_Finding]:
        self.check_ids()
        self.topic_ids = {item["id"] for _, item in self.entries("topics") if isinstance(item.get("id"), str)}
        self.check_references()
        self.check_cycles()
        self.check_program()
        self.check_challenges()
        self.check_stamps()
        self.check_sessions()
        self.check_timer()
        self.check_list_duplicates()
        return self.findings

    def check_ids(self) -> None:
        seen: dict[str, Loc] = {}
        for section in SECTIONS:
            for index, item in self.entries(section):
                ident = item.get("id")
                if not isinstance(ident, str):
                    continue
                loc = (section, index, "id")
                if ident in seen:
                    first = entry_path(seen[ident][:2])
                    self.add(
                        loc,
                        "NX202",
                        f"duplicate id '{ident}' (first used by {first})",
                        "ids are unique across all entries; rename this one and update references to it",
                    )
                else:
                    seen[ident] = loc

    def _reference(self, loc: Loc, value: Any, what: str) -> None:
        if isinstance(value, str) and value not in self.topic_ids:
            hint = _nearest(value, self.topic_ids) or "add the topic with `nexus add topic`, or fix the id; "
            self.add(loc, "NX203", f"{what} '{value}' is not a topic in this journal", hint.strip())

    def check_references(self) -> None:
        if "topics" in self.data and not isinstance(self.data["topics"], list):
            return  # already a schema error; every reference would look dangling
        for index, item in self.entries("topics"):
            self._reference(("topics", index, "parent"), item.get("parent"), "parent")
        for section in ("challenges", "takeaways"):
            for index, item in self.entries(section):
                refs = item.get("topics")
                if isinstance(refs, list):
                    for position, ref in enumerate(refs):
                        self._reference((section, index, "topics", position), ref, "topic")
        for index, item in self.entries("sessions"):
            self._reference(("sessions", index, "topic"), item.get("topic"), "topic")
        timer = self.data.get("timer")
        if isinstance(timer, dict):
            self._reference(("timer", "topic"), timer.get("topic"), "timer topic")

    def check_cycles(self) -> None:
        parents: dict[str, str] = {}
        where: dict[str, int] = {}
        for index, item in self.entries("topics"):
            ident, parent = item.get("id"), item.get("parent")
            if isinstance(ident, str) and ident not in where:
                where[ident] = index
                if isinstance(parent, str) and parent in self.topic_ids:
                    parents[ident] = parent
        done: set[str] = set()
        for ident in where:
            trail: list[str] = []
            node: str | None = ident
            while node is not None and node not in done and node not in trail:
                trail.append(node)
                node = parents.get(node)
            if node is not None and node in trail:
                cycle = trail[trail.index(node) :]
                loc = ("topics", where[cycle[0]], "parent")
                if len(cycle) == 1:
                    message = f"topic '{node}' is its own parent"
                else:
                    message = "topic parents form a cycle: " + " → ".join([*cycle, cycle[0]])
                self.add(loc, "NX204", message, "remove or change one parent so the topics form a tree")
            done.update(trail)

    def check_program(self) -> None:
        program = self.data.get("program")
        if not isinstance(program, dict):
            self.program_span = None
            return
        start, end = _as_date(program.get("start")), _as_date(program.get("end"))
        self.program_span = (start, end)
        if start and end and end < start:
            self.program_span = None  # one error is enough; every session would look outside
            self.add(
                ("program", "end"),
                "NX210",
                f"the programme ends ({end}) before it starts ({start})",
                "swap the dates or fix the one that is wrong",
            )

    def check_challenges(self) -> None:
        for index, item in self.entries("challenges"):
            status = item.get("status", "open")
            opened, resolved = _as_stamp(item.get("opened")), _as_stamp(item.get("resolved"))
            if status == "resolved":
                solution = item.get("solution")
                if not (isinstance(solution, str) and solution.strip()):
                    key = "solution" if "solution" in item else "status"
                    self.add(
                        ("challenges", index, key),
                        "NX205",
                        "the challenge is resolved but says nothing about the solution",
                        "write what worked: nexus solve ID --solution TEXT (or set status back to open)",
                    )
                if "resolved" not in item:
                    self.add(
                        ("challenges", index, "status"),
                        "NX302",
                        "the challenge is resolved but has no resolved timestamp",
                        "add resolved = the time it was solved, e.g. 2026-11-28T10:00:00Z",
                    )
            elif status == "open" and "resolved" in item:
                self.add(
                    ("challenges", index, "resolved"),
                    "NX301",
                    "the challenge is open but has a resolved timestamp",
                    'set status = "resolved" (with a solution) or remove the resolved timestamp',
                )
            if opened and resolved and resolved < opened:
                self.add(
                    ("challenges", index, "resolved"),
                    "NX211",
                    f"resolved ({_stamp(resolved)}) before it was opened ({_stamp(opened)})",
                    "fix whichever timestamp is wrong",
                )

    def check_stamps(self) -> None:
        keys: dict[str, tuple[str, ...]] = {
            "topics": ("created", "updated"),
            "challenges": ("opened", "resolved"),
            "takeaways": ("created",),
        }
        for section, names in keys.items():
            for index, item in self.entries(section):
                for name in names:
                    stamp = _as_stamp(item.get(name))
                    if stamp and stamp > self.now:
                        self.add(
                            (section, index, name),
                            "NX209",
                            f"{name} {_stamp(stamp)} is in the future",
                            "fix the timestamp (or the clock of the machine that wrote it)",
                        )
                reviews = item.get("reviews")
                for position, review in enumerate(reviews if isinstance(reviews, list) else []):
                    day = _as_date(review.get("date")) if isinstance(review, dict) else None
                    if day and day > self.today:
                        self.add(
                            (section, index, "reviews", position, "date"),
                            "NX209",
                            f"review date {day} is in the future (today is {self.today})",
                            "fix the date of the review",
                        )
                    created = _as_stamp(item.get("created"))
                    # created is UTC, review dates are local: allow a day for time zones.
                    if day and created and day < created.date() - dt.timedelta(days=1):
                        self.add(
                            (section, index, "reviews", position, "date"),
                            "NX212",
                            f"review date {day} is before the entry was created ({created.date()})",
                            "fix the date of the review",
                        )
                if section == "topics":
                    created, updated = _as_stamp(item.get("created")), _as_stamp(item.get("updated"))
                    if created and updated and updated < created:
                        self.add(
                            (section, index, "updated"),
                            "NX303",
                            f"updated ({_stamp(updated)}) before it was created ({_stamp(created)})",
                            "set updated to the same time as created or later",
                        )

    def check_sessions(self) -> None:
        per_day: dict[dt.date, int] = {}
        reported_days: set[dt.date] = set()
        timed: list[tuple[dt.datetime, dt.datetime, int, str]] = []
        now_local = self.now.replace(tzinfo=None)
        span = self.program_span
        for index, item in self.entries("sessions"):
            day, start = _as_date(item.get("date")), _as_time(item.get("start"))
            minutes = _as_minutes(item.get("minutes"))
            if day is None:
                continue
            if day > self.today:
                self.add(
                    ("sessions", index, "date"),
                    "NX209",
                    f"date {day} is in the future (today is {self.today})",
                    "log sessions after they happen; fix the date",
                )
            elif start and day == self.today and dt.datetime.combine(day, start) > now_local:
                self.add(
                    ("sessions", index, "start"),
                    "NX209",
                    f"start {start} today is later than now",
                    "fix the start time",
                )
            if span and ((span[0] and day < span[0]) or (span[1] and day > span[1])):
                self.add(
                    ("sessions", index, "date"),
                    "NX305",
                    f"date {day} is outside the programme ({span[0] or '…'} to {span[1] or '…'})",
                    "fix the date, or the programme's start/end",
                )
            if minutes is None:
                continue
            per_day[day] = per_day.get(day, 0) + minutes
            if per_day[day] > 24 * 60 and day not in reported_days:
                reported_days.add(day)
                self.add(
                    ("sessions", index, "minutes"),
                    "NX207",
                    f"sessions on {day} add up to {_hours(per_day[day])}, more than a day has",
                    "fix the durations or the dates of that day's sessions",
                )
            if start is not None and day < dt.date.max:
                begin = dt.datetime.combine(day, start)
                ident = item.get("id") if isinstance(item.get("id"), str) else f"sessions[{index}]"
                timed.append((begin, begin + dt.timedelta(minutes=minutes), index, ident))
        timed.sort()
        latest: tuple[dt.datetime, dt.datetime, int, str] | None = None
        for session in timed:
            if latest is not None and session[0] < latest[1]:
                self.add(
                    ("sessions", session[2], "start"),
                    "NX208",
                    f"overlaps session '{latest[3]}' ({_span(latest[0], latest[1])})",
                    "fix the start time or the minutes of one of them",
                )
            if latest is None or session[1] > latest[1]:
                latest = session

    def check_timer(self) -> None:
        timer = self.data.get("timer")
        if not isinstance(timer, dict):
            return
        started = _as_stamp(timer.get("started"))
        if started is None:
            return
        if started > self.now:
            self.add(
                ("timer", "started"),
                "NX209",
                f"the timer starts in the future ({_stamp(started)})",
                "fix the timestamp, or cancel the timer",
            )
        elif self.now - started > dt.timedelta(days=1):
            self.add(
                ("timer", "started"),
                "NX306",
                f"a timer has been running since {_stamp(started)}",
                "stop it with `nexus stop` (a session lasts at most 24 hours), or remove the timer",
            )

    def check_list_duplicates(self) -> None:
        for section in SECTIONS:
            for index, item in self.entries(section):
                for name in ("tags", "topics"):
                    values = item.get(name)
                    if not isinstance(values, list):
                        continue
                    seen: set[str] = set()
                    for position, value in enumerate(values):
                        if not isinstance(value, str):
                            continue
                        if value in seen:
                            self.add(
                                (section, index, name, position),
                                "NX304",
                                f"'{value}' appears twice in {name}",
                                "remove the second one",
                            )
                        seen.add(value)


def _stamp(value: dt.datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _span(begin: dt.datetime, end: dt.datetime) -> str:
    return f"{begin:%Y-%m-%d %H:%M}–{end:%H:%M}"


# --- many files -------------------------------------------------------------------------


def check_many(files: list[str], *, jobs: int | None = None) -> list[FileResult]:
    """Check files, in parallel processes when there are many; results in input order."""
    workers = jobs if jobs and jobs > 0 else os.cpu_count() or 1
    workers = min(workers, len(files))
    if len(files) <= PARALLEL_THRESHOLD or workers <= 1:
        return [check_path(path) for path in files]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, len(files) // (workers * 8))
    try:
        with ProcessPoolExecutor(workers) as pool:
            return list(pool.map(check_path, files, chunksize=chunk))
    except (OSError, BrokenProcessPool, NotImplementedError):
        # No process pool here (a sandbox without semaphores): check one by one.
        return [check_path(path) for path in files]


@dataclass
class Summary:
    """Counts over a run, and the exit code they imply."""

    errors: int
    warnings: int
    files: int
    files_with_problems: int
    unreadable: int

    def exit_code(self, *, strict: bool = False) -> int:
        if self.unreadable:
            return 2
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def line(self) -> str:
        def count(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        files = count(self.files, "file")
        unreadable = f" ({count(self.unreadable, 'path')} could not be read)" if self.unreadable else ""
        if not self.errors and not self.warnings:
            return f"no problems in {files}"
        return (
            f"{count(self.errors, 'error')}, {count(self.warnings, 'warning')} "
            f"in {self.files_with_problems} of {files}{unreadable}"
        )


def summarize(results: list[FileResult]) -> Summary:
    """Count errors, warnings and files of a run."""
    problems = [p for r in results for p in r.problems]
    return Summary(
        errors=sum(p.severity == "error" for p in problems),
        warnings=sum(p.severity == "warning" for p in problems),
        files=sum(1 for r in results if r.checked),
        files_with_problems=sum(1 for r in results if r.problems and r.checked),
        unreadable=sum(p.code in IO_CODES for p in problems),
    )
