"""The cells of `nexus list`, as plain text and a style name, without Rich.

tables.py turns them into a Rich table for a screenful; a long list (more than
STREAM_ROWS entries) is printed from them line by line by `output.print_rows`,
so the first rows appear at once and `nexus list sessions | head` returns at
once, however large the journal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from operator import add, itemgetter
from typing import Any

from nexus_cli.core.models import Challenge, Journal, Kind, Session, Takeaway, Topic
from nexus_cli.core.parse import format_minutes
from nexus_cli.core.queries import depths_of
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


def plain_topic_table(
    topics: Sequence[Mapping[str, Any]], level: Mapping[str, int], minutes: Mapping[str, int]
) -> tuple[list[int], Iterator[list[Cell]]]:
    """Return the widths of the columns of `list topics` and its rows, made as they are read.

    The same rows as `cells(journal, "topic", ...)`, for topics as plain data
    (the cache's JSON); `level` is each topic's depth in the tree (for the
    indent). The widths come first, from the texts alone, so a long list can
    print its first rows before it has made the rest.
    """
    from nexus_cli.output import text_width

    ids = list(map(itemgetter("id"), topics))
    names = list(map(itemgetter("name"), topics))
    depths = list(map(level.get, ids, repeat(0)))
    indent_of = [2 * min(depth, MAX_INDENT) for depth in range(max(depths, default=0) + 1)]
    indents = list(map(indent_of.__getitem__, depths))
    if _plain_ascii(names):  # the common case, measured without a loop in Python
        name_width = max(map(add, map(len, names), indents), default=0)
    else:
        name_width = 0
        for name, indent in zip(names, indents, strict=True):
            name = _safe(name)
            name_width = max(name_width, indent + (len(name) if name.isascii() else text_width(name)))
    spent = {format_minutes(logged) if logged else "—" for logged in set(map(minutes.get, ids, repeat(0)))}
    targets = {f"{target:g}h" if target else "" for target in set(map(itemgetter("target_hours"), topics))}
    widths = [
        _column_width(ids),
        name_width,
        _column_width(list(set(map(itemgetter("category"), topics)))),
        _column_width(list(set(map(itemgetter("status"), topics)))),
        _column_width(list(spent)),
        _column_width(list(targets)),
    ]
    return widths, _plain_topic_rows(topics, level, minutes)


def _safe(text: str) -> str:
    return text if text.isprintable() else neutralize(text)


def _plain_ascii(texts: list[str]) -> bool:
    """Whether all of `texts` are printable ASCII: shown as they are, one cell a character."""
    joined = "".join(texts)
    return joined.isascii() and joined.isprintable()


def _column_width(texts: list[str]) -> int:
    """Return the width of the widest of `texts` once made safe to show."""
    from nexus_cli.output import widest

    if _plain_ascii(texts):
        return max(map(len, texts), default=0)
    return widest({_safe(text) for text in texts})


def _plain_topic_rows(
    topics: Iterable[Mapping[str, Any]], level: Mapping[str, int], minutes: Mapping[str, int]
) -> Iterator[list[Cell]]:
    depth = level.get
    logged = minutes.get
    style = STATUS_STYLE.get
    indents = ["  " * step for step in range(MAX_INDENT + 1)]
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
