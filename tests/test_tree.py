"""The dashboard's tree draws exactly what Rich's Tree draws, segment for segment."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.measure import Measurement
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from rich.tree import Tree as RichTree

from nexus_cli.render.tree import Tree

words = st.text(st.sampled_from("abcxyz é界\t"), min_size=0, max_size=12)
styles = st.sampled_from(["", "bold", "red", "bold magenta", "bright_black"])


@st.composite
def labels(draw: st.DrawFn) -> Text:
    text = Text(
        style=draw(styles),
        justify=draw(st.sampled_from([None, None, "left", "center", "right", "full"])),
        overflow=draw(st.sampled_from([None, None, "fold", "crop", "ellipsis", "ignore"])),
    )
    for _ in range(draw(st.integers(1, 4))):
        text.append(draw(words), style=draw(styles))
        if draw(st.booleans()):
            text.append(draw(st.sampled_from([" ", "  ", "\n", " — "])))
    return text


class OneLine:
    """A label that can give its line cheaply, like the dashboard's topic rows."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def one_line(self, console: Console, width: int) -> Text | None:
        return self.text if self.text.cell_len <= width and "\n" not in self.text.plain else None

    def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
        yield self.text

    def __rich_measure__(self, console, options):  # type: ignore[no-untyped-def]
        return Measurement.get(console, options, self.text)


@st.composite
def shapes(draw: st.DrawFn) -> list[tuple[int, Text, bool]]:
    """A tree as (depth, label, one_line) in depth-first order."""
    nodes = [(0, draw(labels()), False)]
    for _ in range(draw(st.integers(0, 12))):
        depth = draw(st.integers(1, nodes[-1][0] + 1))
        nodes.append((depth, draw(labels()), draw(st.booleans())))
    return nodes


def build(tree_type: type, nodes: list[tuple[int, Text, bool]], *, ours: bool) -> object:
    root = tree_type(nodes[0][1], guide_style="bright_black")
    path = [root]
    for depth, label, one_line in nodes[1:]:
        del path[depth:]
        node = path[-1].add(OneLine(label) if one_line and ours else label)
        path.append(node)
    return root


class AsciiFile(io.StringIO):
    encoding = "ascii"  # what Rich reads to pick ASCII guides


def segments(renderable: object, width: int, *, color: bool, ascii_only: bool, wrap: str) -> list[Segment]:
    console = Console(
        file=AsciiFile() if ascii_only else io.StringIO(),
        width=width,
        color_system="truecolor" if color else None,
        force_terminal=color,
        legacy_windows=False,
        safe_box=True,
        emoji=False,
        markup=False,
        highlight=False,
    )
    if wrap == "panel":
        renderable = Panel(renderable)  # type: ignore[arg-type]
    elif wrap == "cell":
        grid = Table.grid()
        grid.add_column()
        grid.add_row(renderable)  # type: ignore[arg-type]
        renderable = grid
    return list(console.render(renderable))  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(
    nodes=shapes(),
    width=st.integers(8, 70),
    color=st.booleans(),
    ascii_only=st.booleans(),
    wrap=st.sampled_from(["none", "panel", "cell"]),
)
def test_same_segments_as_rich_tree(nodes, width, color, ascii_only, wrap) -> None:
    ours = segments(build(Tree, nodes, ours=True), width, color=color, ascii_only=ascii_only, wrap=wrap)
    rich = segments(build(RichTree, nodes, ours=False), width, color=color, ascii_only=ascii_only, wrap=wrap)
    assert ours == rich


def test_same_measure_as_rich_tree() -> None:
    nodes = [(0, Text("root label")), (1, Text("a much longer child label")), (2, Text("grandchild"))]
    console = Console(file=io.StringIO(), width=80)
    shaped = [(depth, label, False) for depth, label in nodes]
    ours = build(Tree, shaped, ours=True)
    rich = build(RichTree, shaped, ours=False)
    assert console.measure(ours) == console.measure(rich)  # type: ignore[arg-type]
    # the widest row is the child: its label plus one guide
    assert console.measure(ours).maximum == len("a much longer child label") + 4  # type: ignore[arg-type]


def test_one_line_labels_skip_the_layout() -> None:
    """A label offering its line is drawn from that line, never laid out through Rich."""

    class Counting(OneLine):
        laid_out = 0

        def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
            Counting.laid_out += 1
            yield self.text

    tree = Tree(Text("root"))
    for number in range(50):
        tree.add(Counting(Text(f"row {number}")))
    out = segments(tree, 40, color=False, ascii_only=False, wrap="none")
    text = "".join(segment.text for segment in out)
    assert "└── row 49" in text and text.count("├── row") == 49
    assert Counting.laid_out == 0
