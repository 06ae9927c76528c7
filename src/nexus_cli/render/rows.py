"""The cells of `nexus list`, as plain text and a style name, without Rich.

tables.py turns them into a Rich table for a screenful; a long list (more than
STREAM_ROWS entries) is printed from them line by line by `output.print_rows`,
so the first rows appear at once and `nexus list sessions | head` returns at
once, however large the journal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from nexus_cli.core.models import Challenge, Journal, Kind, Session, Takeaway, Topic
from nexus_cli.core.parse import format_minutes
from nexus_cli.core.text import neutralize, one_line

STREAM_ROWS = 500  # longer lists are printed row by row in a plain layout
# Subtopics are indented up to this many levels; a deeper chain is only data, not a layout.
MAX_INDENT = 12
RIGHT = frozenset({"time", "target"})
Cell = tuple[str, str]  # (text safe to print, style name or "")

STATUS_STYLE = {
    "planned": "dim",
    "learning": "yellow",
    "practicing": "cyan",
    "confident": "green",
    "open": "red",
    "resolved": "green",
}
HEADERS: dict[Kind, list[str]] = {
    "topic": ["id", "name", "category", "status", "time", "target"],
    "challenge": ["id", "title", "status", "topics", "opened", "resolved"],
    "takeaway": ["id", "title", "text"],
    "session": ["id", "date", "topic", "time", "note"],
}


def relative_day(day: dt.date, today: dt.date) -> str:
    """Return `today`, `yesterday`, `3d ago` for recent days, else the ISO date."""
    delta = (today - day).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if 1 < delta < 7:
        return f"{delta}d ago"
    return day.isoformat()


def status_cell(status: object) -> Cell:
    value = str(getattr(status, "value", status) or "")
    return value, STATUS_STYLE.get(value, "")


def duration_cell(minutes: int | float) -> Cell:
    return (format_minutes(minutes), "") if minutes else ("—", "dim")


def depths(journal: Journal) -> dict[str, int]:
    """Return each topic's depth in the tree (0 for a top-level topic), in linear time."""
    return depths_of({t.id: t.parent for t in journal.topics})


def depths_of(parents: Mapping[str, str | None]) -> dict[str, int]:
    """Return the depth of each topic, given each topic id's parent id (see `depths`)."""
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


def cells(
    journal: Journal, kind: Kind, items: Sequence, today: dt.date, minutes: Mapping[str, int]
) -> Iterator[list[Cell]]:
    """Yield each entry's row of cells for `nexus list KIND` (`minutes`: each topic's own)."""
    if kind == "topic":
        depth = depths(journal)
        for topic in items:
            yield _topic(topic, depth.get(topic.id, 0), minutes)
    elif kind == "challenge":
        for challenge in items:
            yield _challenge(challenge, today)
    elif kind == "takeaway":
        for takeaway in items:
            yield _takeaway(takeaway)
    else:
        for session in items:
            yield _session(session, today)


def _topic(topic: Topic, depth: int, minutes: Mapping[str, int]) -> list[Cell]:
    return topic_row(
        topic.id,
        topic.name,
        topic.category,
        topic.status.value,
        topic.target_hours,
        depth,
        minutes.get(topic.id, 0),
    )


def topic_row(
    topic_id: str, name: str, category: str, status: str, target_hours: float | None, depth: int, logged: int
) -> list[Cell]:
    """Return a topic's cells from its fields (`logged`: its own minutes)."""
    return [
        (topic_id if topic_id.isprintable() else neutralize(topic_id), "bold"),
        ("  " * min(depth, MAX_INDENT) + (name if name.isprintable() else neutralize(name)), ""),
        (category if category.isprintable() else neutralize(category), ""),
        (status, STATUS_STYLE.get(status, "")),
        (format_minutes(logged), "") if logged else ("—", "dim"),
        (f"{target_hours:g}h" if target_hours else "", ""),
    ]


def plain_topic_cells(
    topics: Iterable[Mapping[str, Any]], parents: Mapping[str, str | None], minutes: Mapping[str, int]
) -> Iterator[list[Cell]]:
    """Yield the rows of `cells(journal, "topic", ...)` for topics as plain data (the cache's JSON).

    `parents` maps every topic id of the journal to its parent id (for the indent).
    """
    depth = depths_of(parents).get
    logged = minutes.get
    style = STATUS_STYLE.get
    indents = ["  " * level for level in range(MAX_INDENT + 1)]
    # topic_row inlined (this runs 100,000 times for a large journal); a test holds the two equal
    for topic in topics:
        topic_id, name, category, status = topic["id"], topic["name"], topic["category"], topic["status"]
        target, spent = topic["target_hours"], logged(topic_id, 0)
        yield [
            (topic_id if topic_id.isprintable() else neutralize(topic_id), "bold"),
            (
                indents[min(depth(topic_id, 0), MAX_INDENT)]
                + (name if name.isprintable() else neutralize(name)),
                "",
            ),
            (category if category.isprintable() else neutralize(category), ""),
            (status, style(status, "")),
            (format_minutes(spent), "") if spent else ("—", "dim"),
            (f"{target:g}h" if target else "", ""),
        ]


def _challenge(item: Challenge, today: dt.date) -> list[Cell]:
    return [
        (neutralize(item.id), "bold"),
        (neutralize(item.title), ""),
        status_cell(item.status),
        (neutralize(", ".join(item.topics)), ""),
        (relative_day(item.opened.date(), today), ""),
        (relative_day(item.resolved.date(), today) if item.resolved else "", ""),
    ]


def _takeaway(item: Takeaway) -> list[Cell]:
    return [(neutralize(item.id), "bold"), (neutralize(item.title), ""), (one_line(item.text), "")]


def _session(item: Session, today: dt.date) -> list[Cell]:
    return [
        (neutralize(item.id), "bright_black"),
        (relative_day(item.date, today), ""),
        (neutralize(item.topic), ""),
        duration_cell(item.minutes),
        (one_line(item.note), ""),
    ]
