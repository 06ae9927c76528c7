"""The cells of `nexus list`, as plain text and a style name, without Rich.

tables.py turns them into a Rich table for a screenful; a long list (more than
STREAM_ROWS entries) is printed from them line by line by `output.print_rows`,
so the first rows appear at once and `nexus list sessions | head` returns at
once, however large the journal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence

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
    parents = {t.id: t.parent for t in journal.topics}
    found: dict[str, int] = {}
    for topic_id in parents:
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
    return [
        (neutralize(topic.id), "bold"),
        ("  " * min(depth, MAX_INDENT) + neutralize(topic.name), ""),
        (neutralize(topic.category), ""),
        status_cell(topic.status),
        duration_cell(minutes.get(topic.id, 0)),
        (f"{topic.target_hours:g}h" if topic.target_hours else "", ""),
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
