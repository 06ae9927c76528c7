"""A ListView whose table is drawn without Rich's layout when every cell fits on one line.

Rich lays a table out by measuring and then rendering every cell through the
whole console pipeline (options copied, text wrapped, padded, split into lines,
shaped): over a hundred milliseconds for the 200 rows of `nexus stats` at
10,000 entries. When each cell is one line of text and the columns at their
natural widths fit the screen, the table ListView makes (a rule under bold
headers, columns two spaces apart, nothing wrapped) is simple enough to draw
directly: the same segments, in the same order and styles, so the output is
the same byte for byte, in colour or not (tests/test_read_speed.py compares
them). Anything else — a cell that would wrap, a line break in a cell, a
table wider than the screen — is left to Rich.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from nexus_cli.render.tables import Cell, ListView

HEADER_STYLE = "bold"  # as ListView.table() sets it


class QuickListView(ListView):
    """A ListView that draws its table itself when that is simple (see the module's docstring)."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.least_width() <= options.max_width:
            drawn = draw_table(console, options, self.headers, self.rows, self.right)
            if drawn is not None:
                yield from drawn
                return
        yield from super().__rich_console__(console, options)


def _one_line(console: Console, cell: Cell) -> Text | None:
    """Return the cell as Rich would lay it out as text, or None if it may not stay one plain line."""
    # A string cell is made into text as the table would (no markup, no highlighting).
    text = console.render_str(cell, highlight=False) if isinstance(cell, str) else cell
    if not isinstance(text, Text) or text.justify is not None or text.end != "\n":
        return None
    plain = text.plain
    if "\t" in plain or plain.splitlines() not in ([], [plain]):
        return None
    return text


def draw_table(
    console: Console,
    options: ConsoleOptions,
    headers: list[str],
    rows: list[list[Cell]],
    right: set[str],
) -> list[Segment] | None:
    """Return the segments of ListView.table() at these options, or None to leave the table to Rich."""
    if options.justify is not None:
        return None
    columns: list[list[Text]] = []
    for index, header in enumerate(headers):
        found = [_one_line(console, header), *(_one_line(console, row[index]) for row in rows)]
        texts = [text for text in found if text is not None]
        if len(texts) < len(found):
            return None
        columns.append(texts)
    last = len(columns) - 1
    # Each column as wide as its widest cell, plus one space of padding on its right
    # (none after the last); the box puts one more space between columns.
    content = [max(cell.cell_len for cell in cells) for cells in columns]
    if content[last] == 0:
        return None
    widths = [width + (0 if index == last else 1) for index, width in enumerate(content)]
    if sum(widths) + last > options.max_width:
        return None  # Rich would wrap or shrink columns
    table_box = box.SIMPLE_HEAD.substitute(options, safe=console.safe_box)
    null = Style.null()
    border = console.get_style("") + console.get_style("")  # the table's style and border style: none
    header_style = console.get_style(HEADER_STYLE) + console.get_style("")
    new_line = Segment.line()
    segments: list[Segment] = []
    count = len(rows) + 1
    for number in range(count):
        if number == 0:
            vertical, style = table_box.head_vertical, header_style
        else:
            vertical, style = (
                (table_box.foot_vertical if number == count - 1 else table_box.mid_vertical),
                null,
            )
        divider = Segment(vertical, null.background_style + border)
        for index, cells in enumerate(columns):
            text = _justified(cells[number], content[index], headers[index] in right)
            drawn = Text("\n").join([text]).render(console)
            segments.extend(Segment.apply_style((s for s in drawn if s.text), style or None))
            if index != last:
                segments.append(Segment(" ", style + null if style else null))
                segments.append(divider)
        segments.append(new_line)
        if number == 0:
            segments.append(Segment(table_box.get_row(widths, "head", edge=False), border))
            segments.append(new_line)
    return segments


def _justified(text: Text, width: int, right: bool) -> Text:
    """Return a cell's text filled out to its column's width, on the side Rich fills it."""
    line = text.copy()
    if right:
        line.rstrip()
        line.pad_left(width - line.cell_len)
    else:
        line.pad_right(width - line.cell_len)
    return line
