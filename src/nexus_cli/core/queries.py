"""Questions asked of a journal: filters, sorting, totals."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nexus_cli.core.errors import InputError
from nexus_cli.core.ids import resolve
from nexus_cli.core.models import Challenge, Journal, Kind, Session, Takeaway, Topic, session_key


def ancestors(topic_id: str, parents: Mapping[str, str | None]) -> Iterator[str]:
    """Yield a topic's parent, its parent's parent and so on, nearest first.

    `parents` maps each topic id to its parent id. The walk stops at a top-level
    topic, at a parent that is not a topic, and before going round a loop of
    parents (which `validate` reports, and a hand edit or a merge can make).
    """
    seen = {topic_id}
    current = parents.get(topic_id)
    while current is not None and current in parents and current not in seen:
        yield current
        seen.add(current)
        current = parents[current]


def makes_loop(journal: Journal, topic_id: str, parent_id: str) -> bool:
    """Whether giving `topic_id` the parent `parent_id` would close a loop of parents."""
    parents = {t.id: t.parent for t in journal.topics}
    return parent_id == topic_id or topic_id in ancestors(parent_id, parents)


@dataclass
class Filters:
    """What `nexus list` narrows entries down by; None means "any"."""

    status: str | None = None
    topic: str | None = None
    tags: Sequence[str] = field(default_factory=tuple)
    category: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    open_only: bool = False


SORT_FIELDS: dict[Kind, tuple[str, ...]] = {
    "topic": ("name", "id", "category", "status", "hours", "created", "updated"),
    "challenge": ("opened", "title", "id", "status", "resolved"),
    "takeaway": ("created", "title", "id"),
    "session": ("date", "minutes", "topic", "id"),
}
DEFAULT_SORT: dict[Kind, str | None] = {
    "topic": None,  # journal order: parents before their subtopics
    "challenge": None,
    "takeaway": None,
    "session": "date",
}
STATUS_ORDER = {"planned": 0, "learning": 1, "practicing": 2, "confident": 3, "open": 0, "resolved": 1}


def minutes_by_topic(journal: Journal) -> dict[str, int]:
    """Return each topic's own logged minutes (not counting subtopics)."""
    totals: dict[str, int] = defaultdict(int)
    for session in journal.sessions:
        totals[session.topic] += session.minutes
    return dict(totals)


def subtree_ids(journal: Journal, topic_id: str) -> set[str]:
    """Return a topic's id and the ids of all its descendants."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for topic in journal.topics:
        children[topic.parent].append(topic.id)
    found, stack = set(), [topic_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def topic_order(journal: Journal) -> list[Topic]:
    """Return topics with every subtopic right after its parent."""
    ids = {t.id for t in journal.topics}
    children: dict[str, list[Topic]] = defaultdict(list)
    roots: list[Topic] = []
    for topic in journal.topics:
        (children[topic.parent] if topic.parent in ids else roots).append(topic)
    ordered: list[Topic] = []
    seen: set[str] = set()
    # Depth first without recursion: a chain of 100,000 subtopics is a valid journal.
    stack = roots[::-1]
    while stack:
        topic = stack.pop()
        if topic.id in seen:
            continue
        seen.add(topic.id)
        ordered.append(topic)
        kids = children.get(topic.id)
        if kids:
            stack.extend(reversed(kids))
    ordered.extend(t for t in journal.topics if t.id not in seen)  # parents in a loop
    return ordered


def select(journal: Journal, kind: Kind, filters: Filters) -> list:
    """Return the entries of one kind that pass the filters, in journal order."""
    topic_scope: set[str] | None = None
    if filters.topic:
        topic_scope = subtree_ids(journal, resolve(journal, filters.topic, ["topic"]).id)
    tags = set(filters.tags)
    if kind == "topic":
        items: list = topic_order(journal)
    else:
        items = list(getattr(journal, kind + "s"))
    dated = bool(filters.since or filters.until)
    if topic_scope is None and not (filters.status or filters.open_only or tags or filters.category or dated):
        return items  # nothing to narrow down
    out = []
    for item in items:
        if filters.status and _status(item) != filters.status:
            continue
        if filters.open_only and _status(item) != "open":
            continue
        if tags and not tags.issubset(getattr(item, "tags", ())):
            continue
        if filters.category and getattr(item, "category", None) != filters.category:
            continue
        if topic_scope is not None and not _touches(item, topic_scope):
            continue
        day = _day(item) if dated else None
        if filters.since and (day is None or day < filters.since):
            continue
        if filters.until and (day is None or day > filters.until):
            continue
        out.append(item)
    return out


def _status(item: object) -> str | None:
    status = getattr(item, "status", None)
    return status.value if status is not None else None


def _touches(item: object, scope: set[str]) -> bool:
    if isinstance(item, Topic):
        return item.id in scope
    if isinstance(item, Session):
        return item.topic in scope
    return bool(scope.intersection(getattr(item, "topics", ())))


def _day(item: object) -> dt.date | None:
    if isinstance(item, Session):
        return item.date
    if isinstance(item, Challenge):
        return item.opened.date()
    if isinstance(item, (Topic,)):
        return item.updated.date()
    if isinstance(item, Takeaway):
        return item.created.date()
    return None


def sort_entries(journal: Journal, kind: Kind, items: list, by: str | None, reverse: bool = False) -> list:
    """Return items sorted by a field name (a leading `-` sorts descending)."""
    by = by if by is not None else DEFAULT_SORT[kind]
    if by is None:
        return list(reversed(items)) if reverse else items
    if by.startswith("-"):
        by, reverse = by[1:], not reverse
    if by not in SORT_FIELDS[kind]:
        raise InputError(
            f"cannot sort {kind}s by {by!r}",
            hint="sort by one of: " + ", ".join(SORT_FIELDS[kind]),
        )
    minutes = minutes_by_topic(journal) if by == "hours" else {}

    def key(item: object) -> Any:
        if by == "hours":
            return minutes.get(item.id, 0)  # type: ignore[attr-defined]
        if by == "status":
            return STATUS_ORDER.get(_status(item) or "", 0)
        if by == "date" and isinstance(item, Session):
            return session_key(item)
        value = getattr(item, by)
        if value is None:
            return (0, "")
        return (1, value.lower()) if isinstance(value, str) else (1, value)

    return sorted(items, key=key, reverse=reverse)
