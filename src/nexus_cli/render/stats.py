"""The tables of `nexus stats`."""

from __future__ import annotations

import datetime as dt

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from nexus_cli.core.queries import ancestors
from nexus_cli.core.stats import Stats, week_start, weeks_since
from nexus_cli.render.common import MAX_INDENT, STATUS_STYLE, duration_text, progress_bar, safe, status_text
from nexus_cli.render.quicktable import QuickListView as ListView
from nexus_cli.render.tables import Cell

WEEK_BAR = 12


def _section(title: str) -> Text:
    return Text(title, style="bold underline")


def render_stats(stats: Stats, *, weeks: int = 12) -> RenderableType:
    """Return totals, statuses, categories, topics and recent weeks as tables."""
    parts: list[RenderableType] = [_section("Totals"), _totals(stats), Text()]
    parts += [_section("Statuses"), _statuses(stats), Text()]
    if stats.category_minutes:
        parts += [_section("Time by category"), _categories(stats), Text()]
    if stats.topics:
        parts += [_section("Time by topic"), _topics(stats), Text()]
    if stats.began is not None:  # a young journal: no empty weeks from before it existed
        weeks = min(weeks, weeks_since(stats.began, stats.today))
    title = "This week" if weeks == 1 else f"Last {weeks} weeks"
    parts += [_section(title), _weeks(stats, weeks)]
    return Group(*parts)


def _totals(stats: Stats) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    average = stats.total_minutes / stats.study_days if stats.study_days else 0
    rows: list[tuple[str, Text | str]] = [
        ("total", duration_text(stats.total_minutes)),
        ("sessions", str(stats.sessions)),
        ("study days", str(stats.study_days)),
        ("per study day", duration_text(average)),
        ("first day", stats.first_day.isoformat() if stats.first_day else "—"),
        ("last day", stats.last_day.isoformat() if stats.last_day else "—"),
        ("this week", duration_text(stats.this_week_minutes)),
        ("last week", duration_text(stats.last_week_minutes)),
        ("current streak", _days(stats.current_streak)),
        ("longest streak", _days(stats.longest_streak)),
    ]
    for label, value in rows:
        grid.add_row(label, value)
    return grid


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def _statuses(stats: Stats) -> ListView:
    rows: list[list[Cell]] = [
        ["topics", status_text(status), str(count)] for status, count in stats.topics_by_status.items()
    ]
    rows += [["challenges", status_text(s), str(count)] for s, count in stats.challenges_by_status.items()]
    return ListView(["kind", "status", "count"], rows, right={"count"})


def _share(minutes: int, total: int) -> str:
    return f"{minutes / total:.0%}" if total else "—"


def _categories(stats: Stats) -> ListView:
    ordered = sorted(stats.category_minutes.items(), key=lambda item: (-item[1], item[0]))
    rows: list[list[Cell]] = [
        [safe(category), duration_text(minutes), _share(minutes, stats.total_minutes)]
        for category, minutes in ordered
    ]
    return ListView(["category", "time", "share"], rows, right={"time", "share"})


def _topics(stats: Stats) -> ListView:
    rows: list[list[Cell]] = []
    parents = {t.id: t.parent for t in stats.topics}
    for topic in stats.topics:
        depth = sum(1 for _ in ancestors(topic.id, parents))
        total = stats.subtree_minutes.get(topic.id, 0)
        target = Text()
        if topic.target_hours:
            share = total / 60 / topic.target_hours
            target = Text(f"{share:.0%} of {topic.target_hours:g}h", style="green" if share >= 1 else "")
        rows.append(
            [
                Text("  " * min(depth, MAX_INDENT)) + safe(topic.id, "bold" if depth == 0 else ""),
                status_text(topic.status),
                duration_text(stats.own_minutes.get(topic.id, 0)),
                duration_text(total),
                target,
            ]
        )
    return ListView(["topic", "status", "own", "total", "target"], rows, right={"own", "total", "target"})


def _weeks(stats: Stats, count: int) -> ListView:
    rows: list[list[Cell]] = []
    current = week_start(stats.today)
    mondays = [current - dt.timedelta(weeks=n) for n in range(count - 1, -1, -1)]
    values = [stats.week_minutes.get(monday, 0) for monday in mondays]
    most = max(values, default=0)
    for monday, minutes in zip(mondays, values, strict=True):
        bar = progress_bar(minutes / most if most else 0, WEEK_BAR, STATUS_STYLE["confident"])
        label = {current: "this week", current - dt.timedelta(weeks=1): "last week"}.get(monday)
        label = label or monday.isoformat()
        rows.append([label, duration_text(minutes), bar])
    return ListView(["week of", "time", "bar"], rows, right={"time"})
