"""Views for `nexus review` and `nexus next`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from nexus_cli.core.review import QueueItem
from nexus_cli.core.suggest import Suggestion
from nexus_cli.render.common import safe


def _due_text(entry: QueueItem, today: dt.date) -> Text:
    sched = entry.schedule
    if sched.last is None:
        return Text("new", style="cyan")
    late = (today - sched.due).days
    if late > 0:
        return Text(f"{late}d overdue", style="yellow")
    return Text("today")


def render_queue(due: Sequence[QueueItem], waiting: int, next_day: dt.date | None, today: dt.date) -> Group:
    """Return the table of items to review today, with a line about the rest."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    for column in ("id", "kind", "title", "due", "reviews"):
        table.add_column(column, overflow="fold")
    for entry in due:
        table.add_row(
            safe(entry.item.id, "bold"),
            entry.kind,
            safe(entry.title),
            _due_text(entry, today),
            str(len(entry.item.reviews)),
        )
    parts: list[RenderableType] = [table]
    if waiting:
        parts.append(Text(f"{waiting} more already due, spread over the coming days", style="dim"))
    parts.append(Text("grade each: nexus review ID --grade again|hard|good|easy", style="dim"))
    return Group(*parts)


def render_suggestions(suggestions: Sequence[Suggestion]) -> Table:
    """Return the numbered suggestions of `nexus next`, each with its reason and command."""
    # A grid keeps wrapped reasons indented under their suggestion.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for number, suggestion in enumerate(suggestions, 1):
        grid.add_row(Text(f"{number}.", style="bold"), safe(suggestion.title, "bold"))
        grid.add_row("", Text("why: ", style="dim") + safe(suggestion.reason))
        grid.add_row("", Text("run: ", style="dim") + safe(suggestion.command, "cyan"))
    return grid
