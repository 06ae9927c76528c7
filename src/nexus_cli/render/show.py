"""The detail view of one entry, for `nexus show`."""

from __future__ import annotations

import datetime as dt

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from nexus_cli.core.models import Challenge, Entry, Journal, Session, Takeaway, Topic
from nexus_cli.core.queries import minutes_by_topic, subtree_ids
from nexus_cli.core.text import one_line
from nexus_cli.render.common import duration_text, relative_day, safe, status_text

RECENT_SESSIONS = 8


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
        return _challenge(entry)
    if isinstance(entry, Takeaway):
        return _takeaway(entry)
    return _session(journal, entry)


def _topic(journal: Journal, topic: Topic, today: dt.date) -> RenderableType:
    minutes = minutes_by_topic(journal)
    subtree = subtree_ids(journal, topic.id)
    total = sum(minutes.get(i, 0) for i in subtree)
    own = minutes.get(topic.id, 0)
    hours = duration_text(total)
    if total != own:
        hours.append(f"  ({duration_text(own)} on the topic itself)", style="dim")
    target = ""
    if topic.target_hours:
        share = min(total / 60 / topic.target_hours, 9.99)
        target = f"{topic.target_hours:g}h ({share:.0%} done)"
    parts: list[RenderableType] = [
        _heading("topic", topic.name, topic.id),
        _fields(
            [
                ("status", status_text(topic.status)),
                ("category", safe(topic.category)),
                ("parent", safe(topic.parent or "")),
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
        table = _list_table("id", "name", "status", "time")
        for child in children:
            child_total = sum(minutes.get(i, 0) for i in subtree_ids(journal, child.id))
            table.add_row(
                safe(child.id), safe(child.name), status_text(child.status), duration_text(child_total)
            )
        parts.append(table)
    sessions = [s for s in journal.sessions if s.topic in subtree]
    if sessions:
        parts.append(_section(f"Recent sessions ({len(sessions)} in all)"))
        table = _list_table("date", "topic", "time", "note")
        for session in sessions[-RECENT_SESSIONS:][::-1]:
            table.add_row(
                relative_day(session.date, today),
                safe(session.topic),
                duration_text(session.minutes),
                safe(one_line(session.note, 60)),
            )
        parts.append(table)
    challenges = [c for c in journal.challenges if subtree.intersection(c.topics)]
    if challenges:
        parts.append(_section("Challenges"))
        table = _list_table("id", "title", "status")
        for item in challenges:
            table.add_row(safe(item.id), safe(item.title), status_text(item.status))
        parts.append(table)
    takeaways = [t for t in journal.takeaways if subtree.intersection(t.topics)]
    if takeaways:
        parts.append(_section("Takeaways"))
        table = _list_table("id", "title")
        for item in takeaways:
            table.add_row(safe(item.id), safe(item.title))
        parts.append(table)
    if topic.resources:
        parts.append(_section("Resources"))
        table = _list_table("", "title", "url")
        for resource in topic.resources:
            table.add_row("✓" if resource.done else "·", safe(resource.title), safe(resource.url))
        parts.append(table)
    return Group(*parts)


def _list_table(*columns: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, header_style="dim")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _challenge(item: Challenge) -> RenderableType:
    resolved = item.resolved.date().isoformat() if item.resolved else ""
    return Group(
        _heading("challenge", item.title, item.id),
        _fields(
            [
                ("status", status_text(item.status)),
                ("topics", safe(", ".join(item.topics))),
                ("opened", item.opened.date().isoformat()),
                ("resolved", resolved),
                ("tags", safe(", ".join(item.tags))),
                ("problem", safe(item.problem)),
                ("solution", safe(item.solution)),
            ]
        ),
    )


def _takeaway(item: Takeaway) -> RenderableType:
    return Group(
        _heading("takeaway", item.title, item.id),
        _fields(
            [
                ("topics", safe(", ".join(item.topics))),
                ("tags", safe(", ".join(item.tags))),
                ("added", item.created.date().isoformat()),
                ("text", safe(item.text)),
            ]
        ),
    )


def _session(journal: Journal, item: Session) -> RenderableType:
    names = {t.id: t.name for t in journal.topics}
    return Group(
        _heading("session", f"{names.get(item.topic, item.topic)} on {item.date.isoformat()}", item.id),
        _fields(
            [
                ("topic", safe(item.topic)),
                ("date", item.date.isoformat()),
                ("start", item.start.isoformat(timespec="minutes") if item.start else ""),
                ("time", duration_text(item.minutes)),
                ("note", safe(item.note)),
            ]
        ),
    )
