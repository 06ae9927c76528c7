"""`nexus today`: today's sessions and total, then this week's."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from nexus_cli.core.parse import format_minutes
from nexus_cli.core.today import Day
from nexus_cli.render.common import duration_text, safe
from nexus_cli.render.tables import ListView


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def render_today(day: Day, names: dict[str, str]) -> RenderableType:
    """Return today's sessions with their total, then this week's total and topics."""
    parts: list[RenderableType] = []
    heading = Text(f"Today, {day.today:%a %-d %b}", style="bold")
    if day.sessions:
        heading.append(f"  {format_minutes(day.minutes)} in {len(day.sessions)} ", style="")
        heading.append("session" if len(day.sessions) == 1 else "sessions")
        rows = [
            [
                Text(f"{s.start:%H:%M}") if s.start else Text("—", style="bright_black"),
                safe(names.get(s.topic, s.topic)),
                duration_text(s.minutes),
                safe(s.note),
            ]
            for s in day.sessions
        ]
        parts += [heading, ListView(["start", "topic", "time", "note"], rows, right={"time"})]
    else:
        parts += [heading, Text("nothing logged yet today: nexus log TOPIC 45m", style="bright_black")]
    week = Text("\nThis week", style="bold")
    if day.week_minutes:
        week.append(f"  {format_minutes(day.week_minutes)} on {_days(day.week_days)}")
        parts.append(week)
        topics = Text()
        for number, (topic, minutes) in enumerate(day.week_topics.most_common()):
            topics.append(" · " if number else "")
            topics.append_text(safe(names.get(topic, topic)))
            topics.append(f" {format_minutes(minutes)}", style="bright_black")
        parts.append(topics)
    else:
        week.append("  nothing yet", style="bright_black")
        parts.append(week)
    return Group(*parts)
