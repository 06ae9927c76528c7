"""The plan of an import: what would be added, updated, kept or clashes."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from nexus_cli.core.convert.markdown_import import Section
from nexus_cli.core.convert.merge_import import Change
from nexus_cli.core.text import neutralize
from nexus_cli.render.common import safe

ACTION_STYLE = {"add": "green", "update": "cyan", "kept": "dim", "skip": "yellow", "clash": "red bold"}


def render_changes(changes: Sequence[Change]) -> Table:
    """Return a table with one row per planned change (and its README line, when it has one)."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    lines = any(change.line for change in changes)
    if lines:
        table.add_column("line", justify="right", no_wrap=True)
    for column in ("action", "kind", "id"):
        table.add_column(column, no_wrap=True)  # ids are what the user types next: keep them whole
    for column in ("name", "detail"):
        table.add_column(column, overflow="fold")
    for change in changes:
        cells = [Text(str(change.line) if change.line else "")] if lines else []
        table.add_row(
            *cells,
            Text(change.action, style=ACTION_STYLE.get(change.action, "")),
            Text(change.kind),
            safe(change.id),
            safe(change.label),
            safe(change.detail),
        )
    return table


def render_skipped(sections: Sequence[Section]) -> Table:
    """Return the README sections an import read past, each with its line and reason."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold", title="skipped sections")
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("section", overflow="fold")
    table.add_column("why", overflow="fold")
    for section in sections:
        table.add_row(Text(str(section.line)), safe(section.title), Text(section.reason, style="dim"))
    return table


def print_changes(changes: Sequence[Change]) -> None:
    """Print the plan: a table, or for a long plan the same columns line by line (see render.rows)."""
    from nexus_cli.output import print_data, print_rows
    from nexus_cli.render.rows import STREAM_ROWS

    if len(changes) <= STREAM_ROWS:
        print_data(render_changes(changes))
        return
    lines = any(change.line for change in changes)
    rows = [
        ([(str(change.line) if change.line else "", "")] if lines else [])
        + [
            (change.action, ACTION_STYLE.get(change.action, "").split(" ")[0]),
            (change.kind, ""),
            (neutralize(change.id), ""),
            (neutralize(change.label), ""),
            (neutralize(change.detail), ""),
        ]
        for change in changes
    ]
    print_rows([*(["line"] if lines else []), "action", "kind", "id", "name", "detail"], rows)


def summary(changes: Sequence[Change]) -> str:
    """Return `3 added, 1 updated` for a list of changes."""
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.action] = counts.get(change.action, 0) + 1
    words = {"add": "added", "update": "updated", "kept": "kept", "skip": "skipped", "clash": "clashing"}
    parts = [f"{counts[action]} {word}" for action, word in words.items() if counts.get(action)]
    return ", ".join(parts) or "nothing new"
