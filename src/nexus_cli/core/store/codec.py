"""Turn a journal into text and back, in TOML or JSON, deterministically.

The layout is line-oriented so that a journal lives happily in git: every entry
is its own block and adding one entry changes only that entry's lines. Empty
values (None, "", []) are left out; loading fills them back in, so TOML and JSON
hold exactly the same journal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from nexus_cli.core.errors import JournalError, describe_validation
from nexus_cli.core.models import SCHEMA_VERSION, Challenge, Journal, Session, Takeaway, Topic
from nexus_cli.core.store import fasttoml
from nexus_cli.core.store.blocks import json_default
from nexus_cli.core.store.files import Format as Format  # imported from here too
from nexus_cli.core.store.files import format_for as format_for
from nexus_cli.core.store.tomlwrite import dumps_toml
from nexus_cli.core.text import one_line

if TYPE_CHECKING:
    from tomllib import TOMLDecodeError


def plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = plain(item)
            if item is None or item == "" or item == []:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def to_data(journal: Journal) -> dict[str, Any]:
    """Return the journal as plain Python data, empty values left out."""
    data = plain(journal.model_dump())
    data["schema_version"] = journal.schema_version
    return data


# --- JSON -------------------------------------------------------------------


def dumps_json(journal: Journal) -> str:
    """Return the journal as deterministic, indented JSON."""
    return json.dumps(to_data(journal), indent=2, ensure_ascii=False, default=json_default) + "\n"


def dumps(journal: Journal, fmt: Format) -> str:
    """Return the journal as text in the given format."""
    return dumps_json(journal) if fmt == "json" else dumps_toml(journal)


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


_MARKER = re.compile(r"^(?:<{7} |={7}$|>{7} )", re.MULTILINE)


def conflict_marker_line(text: str) -> int | None:
    """Return the line of the first git conflict marker in a text, if it has one."""
    found = _MARKER.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


def parse_text(text: str, fmt: Format, source: str = "journal") -> dict[str, Any]:
    """Return the raw data of a journal's text, or raise JournalError with the line."""
    try:
        return _parse_text(text, fmt, source)
    except JournalError:
        line = conflict_marker_line(text)
        if line is None:
            raise
        # The backup holds one side only: restoring it would drop the other machine's work.
        raise JournalError(
            f"{source}:{line}: unresolved merge conflict (the file holds <<<<<<< … >>>>>>> markers)",
            hint="keep one side of each block and delete the marker lines, then `git add` the file "
            "and run `nexus sync`",
        ) from None


def _parse_text(text: str, fmt: Format, source: str) -> dict[str, Any]:
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
        try:
            data = read_toml(text)
        except ValueError as exc:  # TOMLDecodeError, or an int() error tomllib lets through
            import tomllib

            if not isinstance(exc, tomllib.TOMLDecodeError):
                raise JournalError(f"{source}: invalid TOML: {_value_problem(exc)}") from None
            message, line, column = toml_error_position(exc, text)
            raise JournalError(
                f"{source}: invalid TOML: line {line}, column {column}: {message}",
                hint="fix the file by hand, or restore the backup beside it",
            ) from None
        except RecursionError:
            raise JournalError(f"{source}: invalid TOML: nested too deeply") from None
    if not isinstance(data, dict):
        raise JournalError(f"{source}: a journal is a table of entries, not {type(data).__name__}")
    return data


def read_toml(text: str) -> dict[str, Any]:
    """Return the data of TOML text, or raise TOMLDecodeError with its line and column.

    nexus's own layout is read by fasttoml's line reader, which returns exactly
    what tomllib would or gives up; anything else goes to tomllib, after a guard
    against the dotted keys that stall it.
    """
    try:
        return fasttoml.loads(text)
    except fasttoml.Unsupported:
        pass
    import tomllib  # only for a file nexus did not write, on a cache miss

    line = long_key_chain_line(text)
    if line is not None:
        raise tomllib.TOMLDecodeError(
            f"a dotted key has more than {MAX_KEY_PARTS} parts (at line {line}, column 1)"
        )
    return tomllib.loads(text)


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


def toml_error_position(exc: TOMLDecodeError, text: str) -> tuple[str, int, int]:
    """Return a TOML error's message without its position, and its line and column."""
    message = str(exc)
    match = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", message)
    if match:
        return match[1], int(match[2]), int(match[3])
    match = re.search(r"^(.*) \(at end of document\)$", message)
    body = text.rstrip("\r\n")
    line = body.count("\n") + 1
    column = len(body) - (body.rfind("\n") + 1) + 1
    return (match[1] if match else message), line, column


def schema_version_of(data: dict[str, Any]) -> int:
    """Return the schema version a raw journal claims (1 when it does not say)."""
    version = data.get("schema_version", SCHEMA_VERSION)
    return version if isinstance(version, int) and not isinstance(version, bool) else -1


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


# --- several versions of one journal ---------------------------------------------

_ENTRY_MODELS: dict[str, type[BaseModel]] = {
    "topics": Topic,
    "challenges": Challenge,
    "takeaways": Takeaway,
    "sessions": Session,
}


def load_journals(texts: Sequence[str], fmt: Format, sources: Sequence[str]) -> list[Journal]:
    """Return several journals, reading each distinct entry only once.

    Versions of one journal (git's base, ours and theirs) share most entries
    word for word: each distinct entry is parsed and validated once, and the
    journals share the resulting objects, which also makes comparing them cheap.
    """
    memo: dict[str, Any] = {}
    journals = []
    for text, source in zip(texts, sources, strict=True):
        journal = None
        if fmt == "toml":
            try:
                journal = _load_by_entry(text, memo)
            except (fasttoml.Unsupported, ValidationError):  # loads() reads it, or says what is wrong
                journal = None
        journals.append(journal if journal is not None else loads(text, fmt, source))
    return journals


def _load_by_entry(text: str, memo: dict[str, Any]) -> Journal:
    if "\r" in text:
        raise fasttoml.Unsupported("carriage returns")
    # Every line that starts with "[" is a header (strings never span lines here). A
    # header without a dot starts a top-level entry; `[[topics.resources]]` stays with its topic.
    pieces = ("\n" + text).split("\n[")
    chunks: list[str] = []
    for piece in pieces[1:]:
        if chunks and "." in piece[: piece.find("]")]:
            chunks[-1] += "\n[" + piece
        else:
            chunks.append("[" + piece)
    data = fasttoml.loads(pieces[0])
    version = schema_version_of(data)
    if version != SCHEMA_VERSION:
        raise fasttoml.Unsupported("another schema version")
    made: set[str] = set()
    for chunk in chunks:
        parsed = memo.get(chunk)
        if parsed is None:
            parsed = memo[chunk] = _parse_entry(chunk)
        name, value, is_entry = parsed
        if not is_entry:
            if name in data:
                raise fasttoml.Unsupported(f"{name} defined twice")
            data[name] = value
            continue
        if name not in made:
            if name in data:
                raise fasttoml.Unsupported(f"{name} defined twice")
            data[name] = []
            made.add(name)
        data[name].append(value)
    return Journal.model_validate(data)


def _parse_entry(chunk: str) -> tuple[str, Any, bool]:
    """Return (section, validated entry, True) for an entry, or (name, table, False)."""
    parsed = fasttoml.loads(chunk)
    if len(parsed) != 1:
        raise fasttoml.Unsupported("not one entry")
    name, value = next(iter(parsed.items()))
    model = _ENTRY_MODELS.get(name)
    if isinstance(value, list) and model is not None and len(value) == 1:
        return name, model.model_validate(value[0]), True
    if isinstance(value, dict):
        return name, value, False
    raise fasttoml.Unsupported(f"unexpected {name}")


def json_ready(value: Any) -> Any:
    """Return a model's data as JSON would give it back: empty values left out, dates as text."""
    data = value.model_dump() if hasattr(value, "model_dump") else value
    return json.loads(json.dumps(plain(data), default=json_default))
