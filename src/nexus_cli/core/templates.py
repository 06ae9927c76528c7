"""Starting journals shipped as data files in `nexus_cli/templates/`.

A template is a TOML file: `[template] summary`, a `[program]` table and
`[[topics]]` (a topic's `parent` is the id of a topic listed before it).
Dropping a new file into the folder adds a template; no code changes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nexus_cli.core import ops
from nexus_cli.core.errors import InputError, JournalError, NexusError
from nexus_cli.core.models import Journal

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
_TOPIC_KEYS = {"name", "category", "parent", "notes", "status", "tags", "target_hours"}
_PROGRAM_KEYS = {"name", "description", "start", "end"}


@dataclass
class Template:
    name: str
    summary: str
    path: Path


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise JournalError(f"cannot read template {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise JournalError(f"template {path} is not valid TOML: {exc}") from None


def available() -> list[Template]:
    """Return the shipped templates, sorted by name."""
    found = []
    for path in sorted(TEMPLATE_DIR.glob("*.toml")):
        summary = str(_read(path).get("template", {}).get("summary", ""))
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
    fields = dict(data.get("program") or {})
    unknown = set(fields) - _PROGRAM_KEYS
    if unknown:
        raise JournalError(f"template {path.name}: [program] has no key {sorted(unknown)[0]!r}")
    if program:
        fields["name"] = program
    if description:
        fields["description"] = description
    if fields:
        ops.set_program(journal, **fields)
    for index, topic in enumerate(data.get("topics") or []):
        extra = set(topic) - _TOPIC_KEYS
        if extra or "name" not in topic:
            problem = f"unknown key {sorted(extra)[0]!r}" if extra else "no name"
            raise JournalError(f"template {path.name}: topics[{index}] has {problem}")
        try:
            ops.add_topic(journal, topic.pop("name"), **topic)
        except NexusError as exc:
            raise JournalError(f"template {path.name}: topics[{index}]: {exc.message}") from None
    return journal
