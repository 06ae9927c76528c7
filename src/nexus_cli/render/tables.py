"""Tables for `nexus list`: a table when it fits, one card per entry when the screen is narrow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from nexus_cli.core.models import Journal, Kind
from nexus_cli.core.queries import minutes_by_topic
from nexus_cli.render import rows as rows_module

RIGHT = rows_module.RIGHT
COLUMN_GAP = 2  # collapsed padding: two spaces between columns
LONG_WORD = 12  # longer words (URLs, long names) may fold inside a cell
Cell = Text | str


class ListView:
    """Rows under headers: a table when its narrowest form fits the width, else cards.

    Nothing is ever cut: table cells wrap, and below the table's minimum width
    each entry becomes a small block of `field  value` lines.
    """

    def __init__(
        self, headers: Sequence[str], rows: Sequence[Sequence[Cell]], *, right: Collection[str] = RIGHT
    ) -> None:
        self.headers = list(headers)
        self.rows = [list(row) for row in rows]
        self.right = set(right)

    def table(self) -> Table:
        # No edge rows or padding: piped output is just the header, a rule and the rows.
        table = Table(
            box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, header_style="bold"
        )
        for index, header in enumerate(self.headers):
            table.add_column(
                header,
                overflow="fold",
                justify="right" if header in self.right else "left",
                no_wrap=index == 0,  # ids are what people copy into the next command
            )
        for row in self.rows:
            table.add_row(*row)
        return table

    def cards(self) -> RenderableType:
        label_width = max((len(header) for header in self.headers[1:]), default=0) + 3
        parts: list[RenderableType] = []
        for number, row in enumerate(self.rows):
            if number:
                parts.append(Text())
            parts.append(Text(str(row[0]).strip(), style="bold"))
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=label_width, style="bright_black")
            grid.add_column(overflow="fold")
            for header, cell in zip(self.headers[1:], row[1:], strict=True):
                if str(cell):
                    grid.add_row("  " + header, cell)
            parts.append(grid)
        return Group(*parts)

    def least_width(self) -> int:
        """Return the narrowest width at which the table still reads well (words whole)."""
        total = COLUMN_GAP * (len(self.headers) - 1)
        for index, header in enumerate(self.headers):
            cells = [header, *(str(row[index]) for row in self.rows)]
            if index == 0:  # never wrapped
                total += max(len(cell) for cell in cells)
                continue
            words = [len(word) for cell in cells for word in cell.split()]
            total += min(max(words, default=1), LONG_WORD)
        return total

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.table())

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.table() if self.least_width() <= options.max_width else self.cards()


def render_list(
    journal: Journal, kind: Kind, items: Sequence, today: dt.date, minutes: Mapping[str, int] | None = None
) -> ListView:
    """Return the table of entries for `nexus list KIND` (`minutes`: each topic's own, if known)."""
    if minutes is None:
        minutes = minutes_by_topic(journal) if kind == "topic" else {}
    return list_view(kind, rows_module.cells(journal, kind, items, today, minutes))


def list_view(kind: Kind, cells: Iterable[Sequence[rows_module.Cell]]) -> ListView:
    """Return the table of `nexus list KIND` from its rows of cells (render/rows.py)."""
    rows = [
        [Text(text, style=style) if style or index == 0 else text for index, (text, style) in enumerate(row)]
        for row in cells
    ]
    return ListView(rows_module.HEADERS[kind], rows)
