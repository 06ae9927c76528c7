"""The running timer in a line: what, since when, for how long."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from nexus_cli.core import clock
from nexus_cli.core.idgen import host_name
from nexus_cli.core.models import Timer
from nexus_cli.core.ops import timer_minutes
from nexus_cli.core.parse import format_minutes
from nexus_cli.render.common import safe

FORGOTTEN_AFTER = 12 * 60  # minutes: a timer this old was probably left running


def since_text(started: dt.datetime, now: dt.datetime) -> str:
    """Return `14:05`, `yesterday 22:10` or `2026-11-25 14:05` for a start time."""
    local = clock.local(started)  # the offset in force then, as `stop` records it
    days = (now.date() - local.date()).days
    if days == 0:
        return f"{local:%H:%M}"
    if days == 1:
        return f"yesterday {local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"


def timer_line(timer: Timer, now: dt.datetime) -> Text:
    """Return `⏱ timing django since 14:05 (1h20m so far)`, the machine it runs on if
    not this one, and its note, if any."""
    minutes = timer_minutes(timer, now)
    line = Text("⏱ timing ", style="bold")
    line.append_text(safe(timer.topic, style="bold cyan"))
    line.append(f" since {since_text(timer.started, now)} ({format_minutes(minutes)} so far)")
    if timer.host and timer.host != host_name():
        line.append(" on ")
        line.append_text(safe(timer.host, style="bold"))
    if timer.note:
        line.append(" · ")
        line.append_text(safe(timer.note, style="italic"))
    return line


def forgotten_hint(timer: Timer, now: dt.datetime) -> str | None:
    """Return a hint when the timer has run so long it was probably forgotten."""
    if timer_minutes(timer, now) < FORGOTTEN_AFTER:
        return None
    return "left running? `nexus stop --at 18:30` logs it up to the time you stopped"
