"""The second check: the data against the journal's model, each error with a code and a hint."""

from __future__ import annotations

import difflib
import functools
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from nexus_cli.core.check.codes import Finding
from nexus_cli.core.check.sourcemap import Loc
from nexus_cli.core.check.syntax import TOP_HINT
from nexus_cli.core.errors import entry_path
from nexus_cli.core.models import SCHEMA_VERSION, Journal, Program, Session, Timer


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


def shown(value: Any) -> str:
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


def _schema_finding(error: ErrorDetails) -> Finding:
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
        return Finding(loc, code, f"unknown key '{name}'", hint.strip())
    if code == "NX102":
        return Finding(loc, code, f"missing required key '{name}'", f"add {name}: {hint}" if hint else "")
    if code == "NX106" and name == "minutes" and model is Session:
        code = "NX206"
        hint = "a session lasts from 1 minute to 24 hours; split longer study into several sessions"
    if code == "NX108":
        what = "tag (no spaces or commas)" if name == "tags" else "id"
        return Finding(loc, code, f"{label}: {shown(error.get('input'))} is not a valid {what}", hint)
    if code == "NX104" and error.get("ctx", {}).get("expected"):
        hint = f"use one of {error['ctx']['expected']}"
    hint = hint or _DEFAULT_HINTS.get(code, "fix the value so it fits the schema (see `nexus schema`)")
    message = f"{label}: {msg}"
    if code not in ("NX105",) and "input" in error and not isinstance(error["input"], (dict, list)):
        message += f" (found {shown(error['input'])})"
    return Finding(loc, code, message, hint)


def check(data: dict[str, Any]) -> tuple[list[Finding], bool]:
    """Return the schema problems of a journal's data, and whether checking may go on.

    It may not for a newer schema version (which may hold anything) or values
    too deep or large to check.
    """
    findings: list[Finding] = []
    version = data.get("schema_version", SCHEMA_VERSION)
    version_ok = isinstance(version, int) and not isinstance(version, bool)
    if not version_ok:
        findings.append(
            Finding(
                ("schema_version",),
                "NX201",
                f"schema_version must be a whole number (found {shown(version)})",
                f"write schema_version = {SCHEMA_VERSION}",
            )
        )
    elif version > SCHEMA_VERSION:
        # A newer format may hold anything: judging it by this model would only mislead.
        return [
            Finding(
                ("schema_version",),
                "NX201",
                f"schema_version {version} is newer than this nexus reads (up to {SCHEMA_VERSION})",
                "upgrade nexus to check this file",
            )
        ], False
    elif version < 1:
        findings.append(
            Finding(
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
        findings.append(Finding((), "NX008", f"cannot check the values ({type(exc).__name__})", TOP_HINT))
        return findings, False
    return findings, True
