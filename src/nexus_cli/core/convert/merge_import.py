"""Merge another journal into this one by id: add what is new, never overwrite what clashes."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from pydantic import BaseModel

from nexus_cli.core.errors import JournalError
from nexus_cli.core.models import (
    LIST_OF,
    SCHEMA_VERSION,
    Entry,
    Journal,
    Session,
    Topic,
    label_of,
    session_key,
)

ADD, UPDATE, KEPT, SKIP, CLASH = "add", "update", "kept", "skip", "clash"


@dataclass
class Change:
    """One line of an import plan: what happens to one entry, and why."""

    action: str
    kind: str
    id: str
    label: str
    detail: str = ""
    line: int = 0  # where a README entry came from (0: not from a README)


def _differing(ours: BaseModel, theirs: BaseModel) -> list[str]:
    return [name for name in type(ours).model_fields if getattr(ours, name) != getattr(theirs, name)]


# Structure, not content: filling a missing parent could close a cycle.
_NOT_FILLED = frozenset({"parent"})


def _empty(value: object) -> bool:
    return value is None or value == "" or value == []


def _fill(mine: BaseModel, theirs: BaseModel) -> list[str] | None:
    """Fill `mine`'s empty fields from `theirs`; return the names filled.

    None when the two differ where both hold something (a clash); nothing is
    changed then. Where only `theirs` is empty, `mine` is kept as it is.
    """
    differing = _differing(mine, theirs)
    for name in differing:
        ours, other = getattr(mine, name), getattr(theirs, name)
        if name in _NOT_FILLED or not (_empty(ours) or _empty(other)):
            return None
    filled = [name for name in differing if _empty(getattr(mine, name))]
    for name in filled:
        setattr(mine, name, copy.deepcopy(getattr(theirs, name)))
    return filled


def _references(entry: Entry) -> list[str]:
    if isinstance(entry, Session):
        return [entry.topic]
    if isinstance(entry, Topic):
        return [entry.parent] if entry.parent else []
    return list(getattr(entry, "topics", []))


def merge_journal(journal: Journal, other: Journal, *, skip_clashes: bool = False) -> list[Change]:
    """Add `other`'s entries to `journal` by id and return what happened to each.

    Identical entries are skipped, new ones added. Where the two differ only in
    fields one side left empty, the empty ones here are filled. An entry whose
    id is taken by different content is a clash: it is reported and the journal's own version
    stays. The caller decides whether clashes stop the import; when they do,
    it must not save (see `commands/import_.py`). `skip_clashes` only changes
    how clashes are labelled in the plan.
    """
    if other.schema_version > SCHEMA_VERSION:
        raise JournalError(
            f"that journal was written by a newer nexus (schema {other.schema_version})",
            hint="upgrade nexus to merge it",
        )
    changes: list[Change] = []
    clash_action = SKIP if skip_clashes else CLASH
    if other.program is not None:
        if journal.program is None:
            journal.program = other.program.model_copy(deep=True)
            changes.append(Change(ADD, "program", "", other.program.name))
        elif journal.program != other.program:
            fields = ", ".join(_differing(journal.program, other.program))
            filled = _fill(journal.program, other.program)
            if filled is None:
                changes.append(
                    Change(clash_action, "program", "", other.program.name, f"differs in {fields}")
                )
            elif filled:
                changes.append(
                    Change(UPDATE, "program", "", journal.program.name, "filled " + ", ".join(filled))
                )
    if other.timer is not None:
        if journal.timer is None:
            journal.timer = other.timer.model_copy(deep=True)
            changes.append(Change(ADD, "timer", "", other.timer.topic))
        elif journal.timer != other.timer:
            changes.append(Change(KEPT, "timer", "", journal.timer.topic, "a timer is already running here"))

    # Ids are unique across kinds; one that names another kind here clashes.
    kind_here = {entry.id: kind for kind in LIST_OF for entry in getattr(journal, LIST_OF[kind])}
    foreign = {
        entry.id
        for kind in LIST_OF
        for entry in getattr(other, LIST_OF[kind])
        if kind_here.get(entry.id, kind) != kind
    }
    ours: dict[tuple[str, str], Entry] = {
        (kind, entry.id): entry for kind in LIST_OF for entry in getattr(journal, LIST_OF[kind])
    }

    # Sessions join in date order; into a journal without any, they keep the other's order.
    sorted_sessions = bool(journal.sessions)
    for kind, list_name in LIST_OF.items():
        items = getattr(journal, list_name)
        for entry in getattr(other, list_name):
            label = label_of(entry)
            mine = ours.get((kind, entry.id))
            if entry.id in foreign:
                here = kind_here[entry.id]
                changes.append(Change(clash_action, kind, entry.id, label, f"the id names a {here} here"))
                continue
            blocked = [ref for ref in _references(entry) if ref in foreign]
            if blocked:
                detail = f"refers to {blocked[0]}, which clashes"
                changes.append(Change(clash_action, kind, entry.id, label, detail))
                continue
            if mine is None:
                new = entry.model_copy(deep=True)
                items.append(new)
                ours[(kind, new.id)] = new
                changes.append(Change(ADD, kind, entry.id, label))
            elif mine != entry:
                fields = ", ".join(_differing(mine, entry))
                filled = _fill(mine, entry)
                if filled is None:
                    changes.append(Change(clash_action, kind, entry.id, label, f"differs in {fields}"))
                elif filled:
                    changes.append(Change(UPDATE, kind, entry.id, label, "filled " + ", ".join(filled)))
    if sorted_sessions:
        journal.sessions.sort(key=session_key)  # stable: one sort, not one insert per session
    return changes


def clashes(changes: list[Change]) -> list[Change]:
    """Return the changes that are clashes."""
    return [change for change in changes if change.action == CLASH]
