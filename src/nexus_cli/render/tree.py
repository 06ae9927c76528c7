"""A tree drawn like `rich.tree.Tree`, in one pass over its rows.

Rich's Tree lays out every label through a full `render_lines` call (options
copied, the label wrapped, its lines split and cropped), which makes a
dashboard of a few hundred topics take most of a second. Here a label that is
one line of text and fits is turned into segments directly, and only the rare
label that wraps or spans lines takes Rich's way. A label object may offer
`one_line(console, width) -> Text | None`: the one line it would draw at that
width, if it would draw one. The output is the same, segment for segment
(tests/test_tree.py compares the two).
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.containers import Lines
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from rich.tree import Tree as RichTree

SPACE, CONTINUE, FORK, END = range(4)
GUIDE_WIDTH = 4
# Rich takes the guides' bold/underline away once drawn; the same here keeps the ANSI codes equal.
_NOT_BOLD = Style(bold=False, underline2=False)
_JOIN = Text("\n")


class Tree:
    """A label and its children; `add` returns the new child, as with Rich's Tree.

    Only what the dashboard uses: one guide style for the whole tree, no node
    styles, every node expanded, the root shown.
    """

    def __init__(self, label: RenderableType, *, guide_style: str = "tree.line") -> None:
        self.label = label
        self.guide_style = guide_style
        self.children: list[Tree] = []

    def add(self, label: RenderableType) -> Tree:
        node = Tree(label, guide_style=self.guide_style)
        self.children.append(node)
        return node

    def _walk(self) -> Iterator[tuple[Tree, list[int]]]:
        """Yield every node with its guides (one per level below the root), depth first."""
        stack: list[tuple[Tree, list[int]]] = [(self, [])]
        while stack:
            node, guides = stack.pop()
            yield node, guides
            children = node.children
            if not children:
                continue
            above = [*guides[:-1], SPACE if guides[-1] == END else CONTINUE] if guides else []
            last = len(children) - 1
            for index in range(last, -1, -1):
                stack.append((children[index], [*above, END if index == last else FORK]))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        minimum = maximum = 0
        for node, guides in self._walk():
            low, high = Measurement.get(console, options, node.label)
            indent = len(guides) * GUIDE_WIDTH
            minimum = max(minimum, low + indent)
            maximum = max(maximum, high + indent)
        return Measurement(minimum, maximum)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        style = console.get_style(self.guide_style, default="") or Style.null()
        if options.ascii_only:
            glyphs = RichTree.ASCII_GUIDES
        else:
            variant = 1 if style.bold else (2 if style.underline2 else 0)
            glyphs = RichTree.TREE_GUIDES[0 if options.legacy_windows else variant]
        drawn = [Segment(glyph, style + _NOT_BOLD) for glyph in glyphs]
        new_line = Segment.line()
        for node, guides in self._walk():
            width = options.max_width - GUIDE_WIDTH * len(guides)
            lines = _label_lines(console, options, node.label, width)
            for number, line in enumerate(lines):
                if guides:
                    yield from (drawn[guide] for guide in guides[:-1])
                    if number == 0:
                        yield drawn[guides[-1]]
                    else:
                        yield drawn[SPACE if guides[-1] == END else CONTINUE]
                yield from line
                yield new_line


def _label_lines(
    console: Console, options: ConsoleOptions, label: RenderableType, width: int
) -> list[list[Segment]]:
    """Return a label's lines at `width`, as Rich's Tree would draw them."""
    one_line = getattr(label, "one_line", None)
    text = one_line(console, width) if one_line is not None else label
    if isinstance(text, Text) and _plain_line(text, width):
        # What Text.__rich_console__ does with a line that needs no wrapping: justify it
        # (Rich's own code), then join, which turns the base style into a span.
        justify = text.justify or options.justify or "default"
        ignore = (text.overflow or options.overflow) == "ignore"  # Text.wrap then neither wraps nor justifies
        if not ignore and (
            justify in ("left", "center", "right") or (justify == "default" and options.justify is None)
        ):
            lines = Lines([text.copy()])
            if justify != "default":
                lines.justify(
                    console, width, justify=justify, overflow=text.overflow or options.overflow or "fold"
                )
            return [list(_JOIN.join(lines).render(console))]
    lines_options = options.update(width=width, highlight=False, height=None)
    return console.render_lines(label, lines_options, pad=options.justify is not None)


def _plain_line(text: Text, width: int) -> bool:
    """Whether a Text is one line that fits: what Rich would neither wrap nor expand."""
    plain = text.plain
    return text.end == "\n" and "\n" not in plain and "\t" not in plain and 0 < text.cell_len <= width
