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
    topics = journal.topics
    return [topics[index] for index in tree_order([t.id for t in topics], [t.parent for t in topics])]


def tree_order(ids: Sequence[str], parents: Sequence[str | None]) -> list[int]:
    """Return the positions of topics, given as ids and parent ids, with every subtopic after its parent.

    Linear in the number of topics. Topics whose parent is not a topic are top
    level; a topic whose id came before is left out; the topics in (or under) a
    loop of parents come last, in journal order.
    """
    return _walk(ids, parents, with_depths=False)[0]


def tree_order_and_depths(
    ids: Sequence[str], parents: Sequence[str | None]
) -> tuple[list[int], dict[str, int]]:
    """Return `tree_order(ids, parents)` and each topic's depth (`depths_of`), in one walk when it can."""
    order, levels = _walk(ids, parents, with_depths=True)
    if levels is None:  # an id twice or a loop of parents: depths_of settles those
        return order, depths_of(dict(zip(ids, parents, strict=True)))
    return order, dict(zip(ids, levels, strict=True))


def _walk(
    ids: Sequence[str], parents: Sequence[str | None], *, with_depths: bool
) -> tuple[list[int], list[int] | None]:
    """Return the tree order and, for a tree with no id twice and no loop, each position's depth."""
    known = set(ids)
    children: dict[str, list[int]] = {}
    roots: list[int] = []
    for index, parent in enumerate(parents):
        if parent is not None and parent in known:
            kids = children.get(parent)
            if kids is None:
                children[parent] = [index]
            else:
                kids.append(index)
        else:
            roots.append(index)
    unique = len(known) == len(ids)
    if not children and unique:
        return roots, [0] * len(ids) if with_depths else None  # no subtopics, no id twice: as they are
    ordered: list[int] = []
    # Depth first without recursion: a chain of 100,000 subtopics is a valid journal.
    stack = roots[::-1]
    if unique:
        # Each topic has one parent, so each is reached once (or never, in a loop): no visited set.
        pop, push, visit = stack.pop, stack.extend, ordered.append
        levels = [0] * len(ids)
        while stack:
            index = pop()
            visit(index)
            kids = children.get(ids[index])
            if kids:
                if with_depths:
                    below = levels[index] + 1
                    for kid in kids:
                        levels[kid] = below
                push(reversed(kids))
        if len(ordered) == len(ids):
            return ordered, levels if with_depths else None
        reached = set(ordered)  # parents in a loop
        ordered.extend(index for index in range(len(ids)) if index not in reached)
        return ordered, None
    seen: set[str] = set()
    while stack:
        index = stack.pop()
        topic_id = ids[index]
        if topic_id in seen:
            continue
        seen.add(topic_id)
        ordered.append(index)
        kids = children.get(topic_id)
        if kids:
            stack.extend(reversed(kids))
    ordered.extend(index for index, topic_id in enumerate(ids) if topic_id not in seen)  # in a loop
    return ordered, None


def depths_of(parents: Mapping[str, str | None]) -> dict[str, int]:
    """Return each topic's depth in the tree (0 for a top level topic), given each topic id's parent id.

    Linear in the number of topics. A topic whose parent is not a topic is top
    level; in a loop of parents, the walk that meets the loop first starts it at 0.
    """
    found: dict[str, int] = {}
    for topic_id, parent in parents.items():
        if parent is None or parent not in parents:  # top level
            found[topic_id] = 0
            continue
        if parent in found:  # most topics: the parent came first
            found[topic_id] = found[parent] + 1
            continue
        # Walk up to the first topic whose depth is known (each topic is walked once,
        # so a long chain of subtopics stays linear), then fill in the path's depths.
        path, current, on_path = [topic_id], parents.get(topic_id), {topic_id}
        while current and current in parents and current not in found and current not in on_path:
            path.append(current)
            on_path.add(current)
            current = parents[current]
        # at a root, a missing parent or a loop of parents, the path starts at depth 0
        depth = found[current] + 1 if current and current in found else 0
        for node in reversed(path):
            found[node] = depth
            depth += 1
    return found


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
    by, reverse = _sort_field(kind, by, reverse)
    if by is None:
        return list(reversed(items)) if reverse else items
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


def _sort_field(kind: Kind, by: str | None, reverse: bool) -> tuple[str | None, bool]:
    """Return the field `--sort` names (None: the kind's own order) and whether to reverse."""
    by = by if by is not None else DEFAULT_SORT[kind]
    if by is None:
        return None, reverse
    if by.startswith("-"):
        by, reverse = by[1:], not reverse
    if by not in SORT_FIELDS[kind]:
        raise InputError(
            f"cannot sort {kind}s by {by!r}",
            hint="sort by one of: " + ", ".join(SORT_FIELDS[kind]),
        )
    return by, reverse


# --- topics as plain data ------------------------------------------------------
# A read-only listing of a cached journal needs a few fields of each topic; the
# cache's JSON (store.cached_state) has them without building 100,000 models.
# These give what the functions above give for the same topics, as dicts.

PlainEntry = Mapping[str, Any]


def plain_filters_suffice(filters: Filters) -> bool:
    """Whether `select_plain_topics` can apply these filters (a topic's subtree and dates need the models)."""
    return filters.topic is None and filters.since is None and filters.until is None


def plain_minutes_by_topic(sessions: Sequence[PlainEntry]) -> dict[str, int]:
    """`minutes_by_topic` of sessions given as plain data."""
    totals: dict[str, int] = defaultdict(int)
    for session in sessions:
        totals[session["topic"]] += session["minutes"]
    return dict(totals)


def select_plain_topics(ordered: Sequence[PlainEntry], filters: Filters) -> list[PlainEntry]:
    """`select(journal, "topic", filters)` for topics as plain data, given in tree order.

    See plain_filters_suffice for the filters it applies.
    """
    tags = set(filters.tags)
    if not (filters.status or filters.open_only or tags or filters.category):
        return list(ordered)
    return [
        topic
        for topic in ordered
        if (not filters.status or topic["status"] == filters.status)
        and (not filters.open_only or topic["status"] == "open")
        and (not tags or tags.issubset(topic["tags"]))
        and (not filters.category or topic["category"] == filters.category)
    ]


def sort_plain_topics(
    items: list[PlainEntry], by: str | None, minutes: Mapping[str, int]
) -> list[PlainEntry]:
    """`sort_entries(journal, "topic", items, by)` for topics as plain data.

    Timestamps are compared as the cache writes them (UTC, ISO 8601, to the
    second, all alike), so their text sorts as their time does.
    """
    field, reverse = _sort_field("topic", by, False)
    if field is None:
        return items

    def key(item: PlainEntry) -> Any:
        if field == "hours":
            return minutes.get(item["id"], 0)
        if field == "status":
            return STATUS_ORDER.get(item["status"] or "", 0)
        value = item[field]
        if value is None:
            return (0, "")
        return (1, value.lower()) if isinstance(value, str) else (1, value)

    return sorted(items, key=key, reverse=reverse)
