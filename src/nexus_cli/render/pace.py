"""The pace summary: hours still needed per goal, recent pace and projected finish."""

from __future__ import annotations

import datetime as dt

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from nexus_cli.core.models import Journal
from nexus_cli.core.pace import Pace, PaceSummary, summarize
from nexus_cli.core.parse import format_minutes
from nexus_cli.render.common import safe


def _hours(value: float) -> str:
    return format_minutes(value * 60) if value > 0 else "0h"


def _finish(goal: Pace) -> Text:
    if goal.done:
        return Text("done", style="green")
    projected = goal.projected
    if projected is None:
        return Text("no pace", style="red" if goal.behind else "dim")
    return Text(projected.isoformat(), style="red" if goal.behind else "")


def _state(goal: Pace) -> Text:
    if goal.done:
        return Text("met", style="green")
    if goal.behind:
        return Text("behind", style="bold red")
    if goal.end is None:
        return Text("")
    return Text("on track", style="green")


def _row(table: Table, goal: Pace, name: Text) -> None:
    needed = goal.needed_per_week
    table.add_row(
        name,
        f"{_hours(goal.done_hours)} / {goal.target_hours:g}h",
        _hours(goal.remaining_hours),
        f"{goal.per_week:.1f}h",
        f"{needed:.1f}h" if needed is not None else "",
        _finish(goal),
        _state(goal),
    )


def render_summary(summary: PaceSummary) -> RenderableType:
    """Return the pace table for a computed summary."""
    if summary.overall is None:
        return Text("No targets yet: set one with `nexus edit TOPIC --target 40h`.", style="dim")
    weeks = summary.window_days / 7
    window = "the last 4 weeks" if summary.window_days == 28 else f"the last {weeks:.1f} weeks"
    end = f"programme ends {summary.end}" if summary.end else "no end date (nexus edit program --ends)"
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        header_style="bold",
        title=Text(f"Pace over {window} · {end}"),
        title_justify="left",
    )
    for column in ("goal", "done", "left", "pace/wk", "need/wk", "finish", ""):
        table.add_column(column, overflow="fold", justify="left" if column in ("goal", "") else "right")
    for goal in summary.topics:
        _row(table, goal, safe(goal.name))
    table.add_section()
    _row(table, summary.overall, safe("overall", "bold"))
    behind = summary.behind
    if not behind:
        return table
    names = ", ".join(goal.name for goal in behind)
    return Group(table, Text("behind: ", style="bold red") + safe(names))


def render_compact(summary: PaceSummary) -> RenderableType:
    """Return the pace as goal, hours left and state: for narrow terminals."""
    if summary.overall is None:
        return render_summary(summary)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(overflow="fold")
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True)
    for goal in [*summary.topics, summary.overall]:
        name = safe(goal.name, "bold") if goal is summary.overall else safe(goal.name)
        grid.add_row(name, _hours(goal.remaining_hours) + " left", _state(goal))
    overall = summary.overall
    finish = overall.projected.isoformat() if overall.projected else "no pace yet"
    line = Text(f"{overall.per_week:.1f}h/week · finish {finish}", style="dim")
    if summary.end:
        line.append(f" · ends {summary.end}", style="dim")
    return Group(grid, line)


def render_pace(journal: Journal, today: dt.date) -> RenderableType:
    """Return the pace summary of a journal, ready to embed in the progress dashboard."""
    return render_summary(summarize(journal, today))
