"""Starting journals shipped as data files in `nexus_cli/templates/`.

A template is a TOML file: `[template] summary`, a `[program]` table and
`[[topics]]` (a topic's `parent` is the id of a topic listed before it).
Dropping a new file into the folder adds a template; no code changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nexus_cli.core import ops, store
from nexus_cli.core.errors import InputError, JournalError, NexusError
from nexus_cli.core.models import Journal

TEMPLATE_DIR = Path(__file__).resolve().parent.parent.parent / "templates"
# What each key holds, and how to say it in an error.
_TOPIC_KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "name": (str, "text"),
    "category": (str, "text"),
    "parent": (str, "a topic id"),
    "notes": (str, "text"),
    "status": (str, "a status name"),
    "tags": (list, "a list of words"),
    "target_hours": ((int, float), "a number of hours"),
}
_PROGRAM_KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "name": (str, "text"),
    "description": (str, "text"),
    "start": (dt.date, "a date (2026-09-07)"),
    "end": (dt.date, "a date (2026-09-07)"),
}


@dataclass
class Template:
    name: str
    summary: str
    path: Path


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise JournalError(f"cannot read template {path}: {exc}") from None
    try:
        return store.parse_text(text, "toml", f"template {path}")
    except JournalError as exc:  # its hint speaks of a journal's backup; a template has none
        raise JournalError(exc.message, hint="fix the template file") from None


def _check(fields: dict[str, Any], keys: dict[str, tuple[Any, str]], where: str) -> None:
    """Raise JournalError unless every key is known and holds the right kind of value."""
    for key, value in fields.items():
        if key not in keys:
            raise JournalError(f"{where}: unknown key {key!r}", hint=f"its keys: {', '.join(keys)}")
        expected, what = keys[key]
        wrong = not isinstance(value, expected) or isinstance(value, bool)
        if key == "tags" and not wrong:
            wrong = not all(isinstance(tag, str) for tag in value)
        if expected is dt.date and isinstance(value, dt.datetime):
            wrong = True
        if wrong:
            raise JournalError(f"{where}: {key} must be {what}")


def available() -> list[Template]:
    """Return the shipped templates, sorted by name."""
    found = []
    for path in sorted(TEMPLATE_DIR.glob("*.toml")):
        meta = _read(path).get("template")
        summary = str(meta.get("summary", "")) if isinstance(meta, dict) else ""
        found.append(Template(path.stem, summary, path))
    return found


def find(name: str) -> Path:
    """Return the file of a template: a shipped name, or a path to a .toml file."""
    candidate = Path(name).expanduser()
    if candidate.suffix == ".toml" and candidate.is_file():
        return candidate
    for template in available():
        if template.name == name.strip().lower():
            return template.path
    names = ", ".join(t.name for t in available()) or "none"
    raise InputError(f"no template named {name!r}", hint=f"available: {names} (see --list-templates)")


def build(name: str, *, program: str | None = None, description: str | None = None) -> Journal:
    """Return a new journal filled from a template; `program` renames the programme."""
    path = find(name)
    data = _read(path)
    unknown = set(data) - {"template", "program", "topics"}
    if unknown:
        raise JournalError(f"template {path.name}: unknown table {sorted(unknown)[0]!r}")
    journal = Journal()
    fields = data.get("program", {})
    if not isinstance(fields, dict):
        raise JournalError(f"template {path.name}: program must be a table ([program])")
    _check(fields, _PROGRAM_KEYS, f"template {path.name}: [program]")
    fields = dict(fields)
    if program:
        fields["name"] = program
    if description:
        fields["description"] = description
    if fields:
        try:
            ops.set_program(journal, **fields)
        except NexusError as exc:
            raise JournalError(f"template {path.name}: [program]: {exc.message}") from None
    topics = data.get("topics", [])
    if not isinstance(topics, list) or not all(isinstance(topic, dict) for topic in topics):
        raise JournalError(f"template {path.name}: topics must be tables ([[topics]])")
    for index, topic in enumerate(topics):
        where = f"template {path.name}: topics[{index}]"
        _check(topic, _TOPIC_KEYS, where)
        if "name" not in topic:
            raise JournalError(f"{where} has no name")
        fields = dict(topic)
        try:
            ops.add_topic(journal, fields.pop("name"), **fields)
        except NexusError as exc:
            raise JournalError(f"{where}: {exc.message}") from None
    return journal
