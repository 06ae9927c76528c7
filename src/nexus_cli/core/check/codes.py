"""What a check can find: the stable problem codes, and a problem as it is reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from nexus_cli.core.check.sourcemap import Loc

Severity = Literal["error", "warning"]
Format = Literal["toml", "json"]

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
    Code("NX010", "error", "file is empty"),
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
class Finding:
    """A problem found in the data, before it is placed on a line of the text."""

    loc: Loc
    code: str
    message: str
    hint: str = ""
    offset: int | None = None  # where in the text, when known already (a repeated JSON key)


def make_problem(
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
    """Return a problem of `code`, with the code's severity."""
    return Problem(source, line, column, path, code, CODES[code].severity, message, hint, text)
