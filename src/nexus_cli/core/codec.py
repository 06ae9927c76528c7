"""Turn a journal into text and back, in TOML or JSON, deterministically.

The layout is line-oriented so that a journal lives happily in git: every entry
is its own block and adding one entry changes only that entry's lines. Empty
values (None, "", []) are left out; loading fills them back in, so TOML and JSON
hold exactly the same journal.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from nexus_cli.core.errors import JournalError
from nexus_cli.core.models import SCHEMA_VERSION, Journal
from nexus_cli.core.text import one_line

if TYPE_CHECKING:
    import tomllib

Format = Literal["toml", "json"]

SECTIONS = ("topics", "challenges", "takeaways", "sessions")


def format_for(path: str | Path) -> Format:
    """Return the journal format a path implies: JSON for `.json`, else TOML."""
    return "json" if str(path).lower().endswith(".json") else "toml"


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = _plain(item)
            if item is None or item == "" or item == []:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def to_data(journal: Journal) -> dict[str, Any]:
    """Return the journal as plain Python data, empty values left out."""
    data = _plain(journal.model_dump())
    data["schema_version"] = journal.schema_version
    return data


# --- TOML -------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_string(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return _ESCAPES.get(char) or f"\\u{ord(char):04x}"

    return '"' + _NEEDS_ESCAPE.sub(escape, text) + '"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("TOML journals hold finite numbers only")
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, dt.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_string(key)


def _toml_table(lines: list[str], header: str, table: dict[str, Any]) -> None:
    nested = {k: v for k, v in table.items() if isinstance(v, list) and v and isinstance(v[0], dict)}
    lines.append("")
    lines.append(header)
    for key, value in table.items():
        if key not in nested:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    name = header.strip("[]")
    for key, items in nested.items():
        for item in items:
            _toml_table(lines, f"[[{name}.{key}]]", item)


def dumps_toml(journal: Journal) -> str:
    """Return the journal as deterministic, line-oriented TOML."""
    data = to_data(journal)
    lines = [f"schema_version = {data.pop('schema_version')}"]
    for name in ("program", "timer"):
        if name in data:
            _toml_table(lines, f"[{name}]", data.pop(name))
    for name in SECTIONS:
        for item in data.pop(name, []):
            _toml_table(lines, f"[[{name}]]", item)
    return "\n".join(lines) + "\n"


# --- JSON -------------------------------------------------------------------


def _json_default(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return _toml_value(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def dumps_json(journal: Journal) -> str:
    """Return the journal as deterministic, indented JSON."""
    return json.dumps(to_data(journal), indent=2, ensure_ascii=False, default=_json_default) + "\n"


def dumps(journal: Journal, fmt: Format) -> str:
    """Return the journal as text in the given format.

    TOML is written by fasttoml's writer: the same text as `dumps_toml` (tested
    on generated journals), in less than half the time.
    """
    if fmt == "json":
        return dumps_json(journal)
    from nexus_cli.core import fasttoml  # imports this module: not at the top

    return fasttoml.dumps(journal)


# --- reading ------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a journal can hold")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys silently; a journal with one is damaged.
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"duplicate key {one_line(repr(key), 80)}")
        data[key] = value
    return data


def _value_problem(exc: BaseException) -> str:
    """Return a short reason for a ValueError raised while parsing a value."""
    message = str(exc)
    if "digits" in message and "integer string conversion" in message:
        return "a number has too many digits"
    return one_line(message, 200)


def _check_strings(data: Any, source: str) -> None:
    """Refuse text that cannot be written back as UTF-8 (JSON's lone surrogate escapes)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                code = ord(item[exc.start])
                raise JournalError(
                    f"{source}: invalid JSON: \\u{code:04x} is half of a surrogate pair, not a character",
                    hint="fix the file by hand, or restore the backup beside it",
                ) from None


def parse_text(text: str, fmt: Format, source: str = "journal") -> dict[str, Any]:
    """Return the raw data of a journal's text, or raise JournalError with the line."""
    if fmt == "json":
        try:
            data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as exc:
            raise JournalError(
                f"{source}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}",
                hint="fix the file by hand, or restore the backup beside it",
            ) from None
        except ValueError as exc:
            raise JournalError(
                f"{source}: invalid JSON: {_value_problem(exc)}",
                hint="fix the file by hand, or restore the backup beside it",
            ) from None
        except RecursionError:
            raise JournalError(f"{source}: invalid JSON: nested too deeply") from None
        _check_strings(data, source)
    else:
        data = _read_own_toml(text)
        if data is None:
            check_key_chains(text, source)  # only tomllib stalls on long dotted keys
            import tomllib  # only on a cache miss of a file nexus did not write

            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise JournalError(
                    f"{source}: invalid TOML: {_toml_error(exc)}",
                    hint="fix the file by hand, or restore the backup beside it",
                ) from None
            except ValueError as exc:  # tomllib lets int() errors through, e.g. 5,000 digits
                raise JournalError(f"{source}: invalid TOML: {_value_problem(exc)}") from None
            except RecursionError:
                raise JournalError(f"{source}: invalid TOML: nested too deeply") from None
    if not isinstance(data, dict):
        raise JournalError(f"{source}: a journal is a table of entries, not {type(data).__name__}")
    return data


def _read_own_toml(text: str) -> dict[str, Any] | None:
    """Return TOML in the layout nexus writes, read quickly; None for anything else."""
    from nexus_cli.core import fasttoml  # imports this module: not at the top

    try:
        return fasttoml.loads(text)
    except Exception:  # Unsupported, or anything odd: tomllib reads it and says what is wrong
        return None


# tomllib spends time quadratic in the parts of a dotted key (`a.b.c = 1`, `[a.b.c]`):
# 50,000 parts take a minute. A journal's keys have at most two parts; a chain of
# this many, even inside a note, is no text a person writes.
MAX_KEY_PARTS = 64
_KEY_CHAIN = re.compile(
    r"""(?<![A-Za-z0-9_-])(?:(?:[A-Za-z0-9_-]++|"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+')[ \t]*+\.[ \t]*+)"""
    + f"{{{MAX_KEY_PARTS},}}"
)


def long_key_chain_line(text: str) -> int | None:
    """Return the line of a dotted key long enough to stall tomllib, if there is one."""
    if text.count(".") < MAX_KEY_PARTS:
        return None
    # A key never spans lines, and only a line with that many dots can hold one.
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count(".") >= MAX_KEY_PARTS and _KEY_CHAIN.search(line):
            return number
    return None


def check_key_chains(text: str, source: str) -> None:
    """Raise JournalError if TOML text holds a dotted key long enough to stall tomllib."""
    number = long_key_chain_line(text)
    if number is not None:
        raise JournalError(
            f"{source}: invalid TOML: line {number}: a dotted key has more than {MAX_KEY_PARTS} parts",
            hint="fix the file by hand, or restore the backup beside it",
        )


def _toml_error(exc: tomllib.TOMLDecodeError) -> str:
    message = str(exc)
    match = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", message)
    if match:
        return f"line {match[2]}, column {match[3]}: {match[1]}"
    return message


def schema_version_of(data: dict[str, Any]) -> int:
    """Return the schema version a raw journal claims (1 when it does not say)."""
    version = data.get("schema_version", SCHEMA_VERSION)
    return version if isinstance(version, int) and not isinstance(version, bool) else -1


def describe_validation(exc: ValidationError, source: str, limit: int = 3) -> str:
    """Return the first problems of a ValidationError as one line."""
    problems = []
    for error in exc.errors()[:limit]:
        # keys come from the file or the command line: keep them short and on one line
        where = one_line(entry_path(error["loc"]), 120)
        message = one_line(error["msg"], 200)
        problems.append(f"{where}: {message}" if where else message)
    more = exc.error_count() - len(problems)
    tail = f" (and {more} more)" if more > 0 else ""
    return f"{source}: " + "; ".join(problems) + tail


def entry_path(loc: tuple[Any, ...]) -> str:
    """Return a pydantic error location as `challenges[3].solution`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path


def loads(text: str, fmt: Format, source: str = "journal") -> Journal:
    """Return the journal in `text`, or raise JournalError saying what is wrong."""
    data = parse_text(text, fmt, source)
    version = schema_version_of(data)
    if version < 1:
        raise JournalError(f"{source}: schema_version must be a positive whole number")
    if version < SCHEMA_VERSION:
        data = migrate(data, version)
    try:
        journal = Journal.model_validate(data)
    except (OverflowError, RecursionError) as exc:
        # a validator doing date arithmetic on year 1 or 9999 overflows instead of failing
        raise JournalError(
            f"{source}: a value is out of range ({one_line(str(exc), 120)})",
            hint="run `nexus validate` for every problem with its line",
        ) from None
    except ValidationError as exc:
        hint = "run `nexus validate` for every problem with its line"
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"{source} was written by a newer nexus (schema {version}; this one reads "
                f"up to {SCHEMA_VERSION})",
                hint="upgrade nexus to read it",
            ) from None
        raise JournalError(describe_validation(exc, source), hint=hint) from None
    return journal


MIGRATIONS: dict[int, Any] = {}
"""Functions from schema version N's raw data to version N+1's."""


def migrate(data: dict[str, Any], version: int) -> dict[str, Any]:
    """Bring raw data from an older schema version up to the current one."""
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["schema_version"] = version
    return data
