"""The pace summary: hours still needed per goal, recent pace and projected finish."""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
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
    if goal.ended:
        return Text("—", style="dim")
    projected = goal.projected
    if projected is None:
        return Text("no pace", style="red" if goal.behind else "dim")
    return Text(projected.isoformat(), style="red" if goal.behind else "")


def _state(goal: Pace) -> Text:
    if goal.done:
        return Text("met", style="green")
    if goal.missed:
        return Text("not met", style="yellow")
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


def window_text(days: int) -> str:
    """Return `the last week`, `the last 4 weeks` or `the last 10 days` for a pace window."""
    if days == 7:
        return "the last week"
    if days % 7 == 0:
        return f"the last {days // 7} weeks"
    return f"the last {days} days"


def end_text(summary: PaceSummary) -> str:
    """Return `programme ends 2027-03-01`, `programme ended 2026-12-28` or how to set an end."""
    if summary.end is None:
        return "no end date (nexus edit program --ends)"
    return f"programme {'ended' if summary.today > summary.end else 'ends'} {summary.end}"


def render_summary(summary: PaceSummary, limit: int | None = None) -> RenderableType:
    """Return the pace table for a computed summary; `limit` caps the goals listed (a dashboard's)."""
    if summary.overall is None:
        return Text("No targets yet: set one with `nexus edit TOPIC --target 40h`.", style="dim")
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        header_style="bold",
        title=Text(f"Pace over {window_text(summary.window_days)} · {end_text(summary)}"),
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
    """Return the pace as each goal's hours, what is left and its state, then the overall pace."""
    if summary.overall is None:
        return render_summary(summary)
    goals, hidden = _shown(summary, limit)
    overall = summary.overall
    lines: list[RenderableType] = [_GoalRows([*goals, overall], overall)]
    if hidden:
        lines.append(_left_out(hidden))
    if overall.ended:
        lines.append(Text(end_text(summary), style="dim"))
    else:
        pace = Text(f"{_hours(overall.per_week)} a week over {window_text(summary.window_days)}", style="dim")
        if overall.needed_per_week is not None:
            pace.append(f"; {_hours(overall.needed_per_week)} a week needed", style="dim")
        finish = f"finish {overall.projected}" if overall.projected else "no pace yet"
        lines += [pace, Text(f"{finish} · {end_text(summary)}", style="dim")]
    return Group(*lines)


class _GoalRows:
    """Each goal's hours, what is left and its state: a grid, or two lines a goal when narrow."""

    NARROW = 56

    def __init__(self, goals: list[Pace], overall: Pace) -> None:
        self.goals = goals
        self.overall = overall
        self._table: Table | None = None

    def _cells(self, goal: Pace) -> tuple[Text, str, str, Text]:
        name = safe(goal.name, "bold") if goal is self.overall else safe(goal.name)
        done = f"{_hours(goal.done_hours)} of {goal.target_hours:g}h"
        left = f"{_hours(goal.remaining_hours)} left" if not goal.done else ""
        return name, done, left, _state(goal)

    def _grid(self) -> Table:
        if self._table is not None:  # measured, then drawn: made once
            return self._table
        grid = Table.grid(padding=(0, 2))
        grid.add_column(overflow="fold")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(no_wrap=True)
        for goal in self.goals:
            grid.add_row(*self._cells(goal))
        self._table = grid
        return grid

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self._grid())

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= self.NARROW:
            yield self._grid()
            return
        for goal in self.goals:  # narrow: the name, then what is left of the target and the state
            name, done, _left, state = self._cells(goal)
            hours = done if goal.done else f"{_hours(goal.remaining_hours)} of {goal.target_hours:g}h left"
            yield name
            yield Text.assemble("  ", hours, " · ", state)
