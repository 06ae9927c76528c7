"""Tables for `nexus list`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from nexus_cli.core.models import Challenge, Journal, Kind, Session, Takeaway, Topic
from nexus_cli.core.queries import minutes_by_topic
from nexus_cli.core.text import one_line
from nexus_cli.render.common import duration_text, relative_day, safe, status_text


def _table(*columns: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def render_list(journal: Journal, kind: Kind, items: Sequence, today: dt.date) -> Table:
    """Return the table of entries for `nexus list KIND`."""
    if kind == "topic":
        return _topics(journal, items)
    if kind == "challenge":
        return _challenges(items)
    if kind == "takeaway":
        return _takeaways(items)
    return _sessions(journal, items, today)


def _topics(journal: Journal, topics: Sequence[Topic]) -> Table:
    minutes = minutes_by_topic(journal)
    depth = _depths(journal)
    table = _table("id", "name", "category", "status", "time", "target")
    for topic in topics:
        name = Text("  " * depth.get(topic.id, 0)) + safe(topic.name)
        target = f"{topic.target_hours:g}h" if topic.target_hours else ""
        table.add_row(
            safe(topic.id, "bold"),
            name,
            safe(topic.category),
            status_text(topic.status),
            duration_text(minutes.get(topic.id, 0)),
            target,
        )
    return table


def _depths(journal: Journal) -> dict[str, int]:
    parents = {t.id: t.parent for t in journal.topics}
    depths: dict[str, int] = {}
    for topic_id in parents:
        depth, current, seen = 0, parents.get(topic_id), {topic_id}
        while current and current in parents and current not in seen:
            seen.add(current)
            depth += 1
            current = parents[current]
        depths[topic_id] = depth
    return depths


def _challenges(challenges: Sequence[Challenge]) -> Table:
    table = _table("id", "title", "status", "topics", "opened")
    for item in challenges:
        table.add_row(
            safe(item.id, "bold"),
            safe(item.title),
            status_text(item.status),
            safe(", ".join(item.topics)),
            item.opened.date().isoformat(),
        )
    return table


def _takeaways(takeaways: Sequence[Takeaway]) -> Table:
    table = _table("id", "title", "text")
    for item in takeaways:
        table.add_row(safe(item.id, "bold"), safe(item.title), safe(one_line(item.text, 80)))
    return table


def _sessions(journal: Journal, sessions: Sequence[Session], today: dt.date) -> Table:
    table = _table("id", "date", "topic", "time", "note")
    for item in sessions:
        table.add_row(
            safe(item.id, "dim"),
            relative_day(item.date, today),
            safe(item.topic),
            duration_text(item.minutes),
            safe(one_line(item.note, 60)),
        )
    return table
