"""The detail view of one entry, for `nexus show`."""

from __future__ import annotations

import datetime as dt

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from nexus_cli.core.models import Challenge, Entry, Journal, Session, Takeaway, Topic, session_key
from nexus_cli.core.queries import minutes_by_topic, subtree_ids
from nexus_cli.core.stats import subtree_minutes
from nexus_cli.core.text import one_line
from nexus_cli.render.common import (
    STATUS_STYLE,
    duration_text,
    progress_bar,
    relative_day,
    safe,
    status_text,
)
from nexus_cli.render.quicktable import QuickListView as ListView
from nexus_cli.render.tables import Cell

RECENT_SESSIONS = 8
LINKED_SHOWN = 20  # challenges and takeaways listed under a topic; `nexus list` has them all


def _fields(rows: list[tuple[str, Text | str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        if value:
            table.add_row(label, value)
    return table


def _heading(kind: str, title: str, entry_id: str) -> Text:
    text = Text(kind + " ", style="dim")
    text.append_text(safe(title, "bold"))
    text.append(f"  {entry_id}", style="dim")
    return text


def _section(title: str) -> Text:
    return Text("\n" + title, style="bold underline")


def render_entry(journal: Journal, entry: Entry, today: dt.date) -> RenderableType:
    """Return everything about one entry."""
    if isinstance(entry, Topic):
        return _topic(journal, entry, today)
    if isinstance(entry, Challenge):
        return _challenge(entry, today)
    if isinstance(entry, Takeaway):
        return _takeaway(entry, today)
    return _session(journal, entry, today)


def _topic(journal: Journal, topic: Topic, today: dt.date) -> RenderableType:
    minutes = minutes_by_topic(journal)
    totals = subtree_minutes(journal, minutes)
    subtree = subtree_ids(journal, topic.id)
    total = totals.get(topic.id, 0)
    own = minutes.get(topic.id, 0)
    hours = duration_text(total)
    if total != own:
        hours.append(f"  ({duration_text(own)} on the topic itself)", style="dim")
    target = Text()
    if topic.target_hours:
        share = total / 60 / topic.target_hours
        target = progress_bar(share, 10, "green" if share >= 1 else STATUS_STYLE.get(topic.status.value, ""))
        target.append(f" {share:.0%} of {topic.target_hours:g}h")
    parent = None
    if topic.parent:
        parent = next((t for t in journal.topics if t.id == topic.parent), None)
    parent_text = safe(parent.name) + Text(f"  {parent.id}", style="dim") if parent else safe(topic.parent)
    parts: list[RenderableType] = [
        _heading("topic", topic.name, topic.id),
        _fields(
            [
                ("status", status_text(topic.status)),
                ("category", safe(topic.category)),
                ("parent", parent_text),
                ("time", hours),
                ("target", target),
                ("tags", safe(", ".join(topic.tags))),
                ("notes", safe(topic.notes)),
            ]
        ),
    ]
    children = [t for t in journal.topics if t.parent == topic.id]
    if children:
        parts.append(_section("Subtopics"))
        rows: list[list[Cell]] = [
            [
                safe(child.id),
                safe(child.name),
                status_text(child.status),
                duration_text(totals.get(child.id, 0)),
            ]
            for child in children
        ]
        parts.append(ListView(["id", "name", "status", "time"], rows))
    sessions = [s for s in journal.sessions if s.topic in subtree]
    if sessions:
        sessions.sort(key=session_key, reverse=True)
        shown = f"the last {RECENT_SESSIONS} of {len(sessions)}" if len(sessions) > RECENT_SESSIONS else "all"
        parts.append(_section(f"Recent sessions ({shown})"))
        rows = [
            [
                relative_day(session.date, today),
                safe(session.topic),
                duration_text(session.minutes),
                safe(one_line(session.note)),
            ]
            for session in sessions[:RECENT_SESSIONS]
        ]
        parts.append(ListView(["date", "topic", "time", "note"], rows))
    challenges = [c for c in journal.challenges if subtree.intersection(c.topics)]
    challenges.sort(key=lambda c: c.status.value != "open")  # open ones first, else journal order
    if challenges:
        parts.append(_section("Challenges" + _more(len(challenges), "challenges", topic.id)))
        rows = [
            [safe(item.id), safe(item.title), status_text(item.status)] for item in challenges[:LINKED_SHOWN]
        ]
        parts.append(ListView(["id", "title", "status"], rows))
    takeaways = [t for t in journal.takeaways if subtree.intersection(t.topics)]
    if takeaways:
        parts.append(_section("Takeaways" + _more(len(takeaways), "takeaways", topic.id)))
        rows = [[safe(item.id), safe(item.title)] for item in takeaways[:LINKED_SHOWN]]
        parts.append(ListView(["id", "title"], rows))
    if topic.resources:
        parts.append(_section("Resources"))
        rows = [
            [safe(resource.title or resource.url), "done" if resource.done else "to do", safe(resource.url)]
            for resource in topic.resources
        ]
        parts.append(ListView(["title", "state", "url"], rows))
    return Group(*parts)


def _more(count: int, kind: str, topic_id: str) -> str:
    """Return what a capped section's heading adds: how many are shown, and where the rest are."""
    if count <= LINKED_SHOWN:
        return ""
    return f" ({LINKED_SHOWN} of {count}; all: nexus list {kind} --topic {topic_id})"


def _when(moment: dt.datetime | None, today: dt.date) -> str:
    if moment is None:
        return ""
    day = moment.date()
    relative = relative_day(day, today)
    return day.isoformat() if relative == day.isoformat() else f"{day.isoformat()} ({relative})"


def _challenge(item: Challenge, today: dt.date) -> RenderableType:
    return Group(
        _heading("challenge", item.title, item.id),
        _fields(
            [
                ("status", status_text(item.status)),
                ("topics", safe(", ".join(item.topics))),
                ("opened", _when(item.opened, today)),
                ("resolved", _when(item.resolved, today)),
                ("tags", safe(", ".join(item.tags))),
                ("problem", safe(item.problem)),
                ("solution", safe(item.solution)),
            ]
        ),
    )


def _takeaway(item: Takeaway, today: dt.date) -> RenderableType:
    return Group(
        _heading("takeaway", item.title, item.id),
        _fields(
            [
                ("topics", safe(", ".join(item.topics))),
                ("tags", safe(", ".join(item.tags))),
                ("added", _when(item.created, today)),
                ("text", safe(item.text)),
            ]
        ),
    )


def _session(journal: Journal, item: Session, today: dt.date) -> RenderableType:
    names = {t.id: t.name for t in journal.topics}
    return Group(
        _heading("session", f"{names.get(item.topic, item.topic)} on {item.date.isoformat()}", item.id),
        _fields(
            [
                ("topic", safe(item.topic)),
                ("date", _when(dt.datetime.combine(item.date, dt.time()), today)),
                ("start", item.start.isoformat(timespec="minutes") if item.start else ""),
                ("time", duration_text(item.minutes)),
                ("note", safe(item.note)),
            ]
        ),
    )
