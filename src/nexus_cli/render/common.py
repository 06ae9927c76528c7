"""Small pieces every view uses: safe text, status colours, relative dates."""

from __future__ import annotations

from rich.text import Text

from nexus_cli.core.parse import format_minutes
from nexus_cli.core.text import neutralize
from nexus_cli.render.rows import MAX_INDENT, STATUS_STYLE, relative_day

__all__ = ["MAX_INDENT", "STATUS_STYLE", "duration_text", "relative_day", "safe", "status_text"]


def safe(text: str | None, style: str = "") -> Text:
    """Return user text as a Text: never markup, never a control sequence."""
    return Text(neutralize(text or ""), style=style)


def status_text(status: object) -> Text:
    value = getattr(status, "value", status) or ""
    return Text(str(value), style=STATUS_STYLE.get(str(value), ""))


def duration_text(minutes: int | float) -> Text:
    return Text(format_minutes(minutes) if minutes else "—", style="" if minutes else "dim")
