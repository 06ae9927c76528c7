"""Small pieces every view uses: safe text, status colours, relative dates."""

from __future__ import annotations

from rich.text import Text

from nexus_cli.core.parse import format_minutes
from nexus_cli.core.text import neutralize
from nexus_cli.render.rows import MAX_INDENT, STATUS_STYLE, relative_day

__all__ = [
    "MAX_INDENT",
    "STATUS_STYLE",
    "duration_text",
    "progress_bar",
    "relative_day",
    "safe",
    "status_text",
]

PARTIAL_BLOCKS = " ▏▎▍▌▋▊▉"


def safe(text: str | None, style: str = "") -> Text:
    """Return user text as a Text: never markup, never a control sequence."""
    return Text(neutralize(text or ""), style=style)


def status_text(status: object) -> Text:
    value = getattr(status, "value", status) or ""
    return Text(str(value), style=STATUS_STYLE.get(str(value), ""))


def duration_text(minutes: int | float) -> Text:
    return Text(format_minutes(minutes) if minutes else "—", style="" if minutes else "dim")


def progress_bar(fraction: float, width: int, style: str, *, color: bool = False) -> Text:
    """Return a bar `width` cells long, filled to `fraction` in eighths of a cell.

    In colour the empty part is a dim solid track; without colour it is `░`.
    """
    fraction = max(0.0, min(1.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    bar = Text("█" * full, style=style)
    if part:
        bar.append(PARTIAL_BLOCKS[part], style=style)
    rest = width - full - (1 if part else 0)
    bar.append(("█" if color else "░") * rest, style="grey23" if color else "bright_black")
    return bar
