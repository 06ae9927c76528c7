"""The pace summary: hours still needed per goal, recent pace and projected finish."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from nexus_cli.core.pace import Pace, PaceSummary
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


def _shown(summary: PaceSummary, limit: int | None) -> tuple[list[Pace], int]:
    """Return the goals to list, in journal order, and how many are left out.

    Past `limit`, the outermost goals are kept first, then subtopics' goals.
    """
    goals = summary.topics
    if limit is None or len(goals) <= limit:
        return goals, 0
    picked = [goal for goal in goals if goal.outermost][:limit]
    picked += [goal for goal in goals if not goal.outermost][: limit - len(picked)]
    chosen = {id(goal) for goal in picked}
    return [goal for goal in goals if id(goal) in chosen], len(goals) - limit


def _left_out(hidden: int) -> Text:
    return Text(f"… {hidden} more goal{'' if hidden == 1 else 's'}: nexus pace", style="dim")


def _behind_line(summary: PaceSummary, limit: int | None) -> Text | None:
    behind = summary.behind
    if not behind:
        return None
    names = [goal.name for goal in behind]
    line = Text("behind: ", style="bold red") + safe(", ".join(names[:limit]))
    if limit is not None and len(names) > limit:
        line.append(f" and {len(names) - limit} more")
    return line


def render_summary(summary: PaceSummary, limit: int | None = None) -> RenderableType:
    """Return the pace table for a computed summary; `limit` caps the goals listed (a dashboard's)."""
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
    goals, hidden = _shown(summary, limit)
    for goal in goals:
        _row(table, goal, safe(goal.name))
    table.add_section()
    _row(table, summary.overall, safe("overall", "bold"))
    notes = [note for note in (_left_out(hidden) if hidden else None, _behind_line(summary, limit)) if note]
    return Group(table, *notes) if notes else table


def render_compact(summary: PaceSummary, limit: int | None = None) -> RenderableType:
    """Return the pace as goal, hours left and state: for narrow terminals."""
    if summary.overall is None:
        return render_summary(summary)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(overflow="fold")
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True)
    goals, hidden = _shown(summary, limit)
    for goal in [*goals, summary.overall]:
        name = safe(goal.name, "bold") if goal is summary.overall else safe(goal.name)
        grid.add_row(name, _hours(goal.remaining_hours) + " left", _state(goal))
    overall = summary.overall
    finish = overall.projected.isoformat() if overall.projected else "no pace yet"
    line = Text(f"{overall.per_week:.1f}h/week · finish {finish}", style="dim")
    if summary.end:
        line.append(f" · ends {summary.end}", style="dim")
    return Group(grid, _left_out(hidden), line) if hidden else Group(grid, line)
