"""Small pieces every view uses: safe text, status colours, relative dates."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from nexus_cli.core.parse import format_minutes
from nexus_cli.core.text import neutralize

# Subtopics are indented up to this many levels; a deeper chain is only data, not a layout.
MAX_INDENT = 12

STATUS_STYLE = {
    "planned": "dim",
    "learning": "yellow",
    "practicing": "cyan",
    "confident": "green",
    "open": "red",
    "resolved": "green",
}


def safe(text: str | None, style: str = "") -> Text:
    """Return user text as a Text: never markup, never a control sequence."""
    return Text(neutralize(text or ""), style=style)


def status_text(status: object) -> Text:
    value = getattr(status, "value", status) or ""
    return Text(str(value), style=STATUS_STYLE.get(str(value), ""))


def duration_text(minutes: int | float) -> Text:
    return Text(format_minutes(minutes) if minutes else "—", style="" if minutes else "dim")


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
