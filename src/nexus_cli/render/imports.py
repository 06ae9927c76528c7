"""The plan of an import: what would be added, updated, kept or clashes."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from nexus_cli.core.convert.markdown_import import Section
from nexus_cli.core.convert.merge_import import Change
from nexus_cli.core.text import one_line
from nexus_cli.render.common import safe

ACTION_STYLE = {"add": "green", "update": "cyan", "kept": "dim", "skip": "yellow", "clash": "red bold"}


# Past this many rows a Rich table spends seconds measuring cells; aligned lines say the same.
LARGE_PLAN = 300


def render_changes(changes: Sequence[Change]) -> Table | Text:
    """Return a table with one row per planned change (and its README line, when it has one)."""
    if len(changes) > LARGE_PLAN:
        return _aligned_rows(changes)
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


def _aligned_rows(changes: Sequence[Change]) -> Text:
    lines = any(change.line for change in changes)
    rows = [
        ([str(change.line) if change.line else ""] if lines else [])
        + [change.action, change.kind, change.id, one_line(change.label), one_line(change.detail)]
        for change in changes
    ]
    header = (["line"] if lines else []) + ["action", "kind", "id", "name", "detail"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    out = Text()
    for index, row in enumerate([header, *rows]):
        cells = [
            cell.rjust(w) if i == 0 and lines else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=False))
        ]
        style = "bold" if index == 0 else ACTION_STYLE.get(row[1 if lines else 0], "")
        out.append("  ".join([*cells, row[-1]]).rstrip() + "\n", style=style)
    return out


def render_skipped(sections: Sequence[Section]) -> Table:
    """Return the README sections an import read past, each with its line and reason."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold", title="skipped sections")
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("section", overflow="fold")
    table.add_column("why", overflow="fold")
    for section in sections:
        table.add_row(Text(str(section.line)), safe(section.title), Text(section.reason, style="dim"))
    return table


def summary(changes: Sequence[Change]) -> str:
    """Return `3 added, 1 updated` for a list of changes."""
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.action] = counts.get(change.action, 0) + 1
    words = {"add": "added", "update": "updated", "kept": "kept", "skip": "skipped", "clash": "clashing"}
    parts = [f"{counts[action]} {word}" for action, word in words.items() if counts.get(action)]
    return ", ".join(parts) or "nothing new"
