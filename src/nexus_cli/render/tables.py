"""Tables for `nexus list`: a table when it fits, one card per entry when the screen is narrow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from nexus_cli.core.models import Challenge, Journal, Kind, Session, Takeaway, Topic
from nexus_cli.core.queries import ancestors, minutes_by_topic
from nexus_cli.core.text import one_line
from nexus_cli.render.common import MAX_INDENT, duration_text, relative_day, safe, status_text

RIGHT = {"time", "target"}
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
        label_width = max(len(header) for header in self.headers[1:]) + 3
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
    if kind == "topic":
        return _topics(journal, items, minutes_by_topic(journal) if minutes is None else minutes)
    if kind == "challenge":
        return _challenges(items, today)
    if kind == "takeaway":
        return _takeaways(items)
    return _sessions(items, today)


def _topics(journal: Journal, topics: Sequence[Topic], minutes: Mapping[str, int]) -> ListView:
    depth = _depths(journal)
    rows: list[list[Cell]] = []
    for topic in topics:
        name = Text("  " * min(depth.get(topic.id, 0), MAX_INDENT)) + safe(topic.name)
        target = f"{topic.target_hours:g}h" if topic.target_hours else ""
        rows.append(
            [
                safe(topic.id, "bold"),
                name,
                safe(topic.category),
                status_text(topic.status),
                duration_text(minutes.get(topic.id, 0)),
                target,
            ]
        )
    return ListView(["id", "name", "category", "status", "time", "target"], rows)


def _depths(journal: Journal) -> dict[str, int]:
    parents = {t.id: t.parent for t in journal.topics}
    return {topic_id: sum(1 for _ in ancestors(topic_id, parents)) for topic_id in parents}


def _challenges(challenges: Sequence[Challenge], today: dt.date) -> ListView:
    rows: list[list[Cell]] = [
        [
            safe(item.id, "bold"),
            safe(item.title),
            status_text(item.status),
            safe(", ".join(item.topics)),
            relative_day(item.opened.date(), today),
            relative_day(item.resolved.date(), today) if item.resolved else "",
        ]
        for item in challenges
    ]
    return ListView(["id", "title", "status", "topics", "opened", "resolved"], rows)


def _takeaways(takeaways: Sequence[Takeaway]) -> ListView:
    rows = [[safe(item.id, "bold"), safe(item.title), safe(one_line(item.text))] for item in takeaways]
    return ListView(["id", "title", "text"], rows)


def _sessions(sessions: Sequence[Session], today: dt.date) -> ListView:
    rows: list[list[Cell]] = [
        [
            safe(item.id, "bright_black"),
            relative_day(item.date, today),
            safe(item.topic),
            duration_text(item.minutes),
            safe(one_line(item.note)),
        ]
        for item in sessions
    ]
    return ListView(["id", "date", "topic", "time", "note"], rows)
