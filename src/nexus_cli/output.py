"""Rich consoles for data (stdout) and messages (stderr), made once per run."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from nexus_cli import state

if TYPE_CHECKING:
    from rich.console import Console

PIPE_WIDTH = 100  # piped with no terminal anywhere (cron, CI): a fixed, generous width


def color_wanted() -> bool:
    """Return False when --no-color or $NO_COLOR asks for plain output."""
    return not (state.current().no_color or os.environ.get("NO_COLOR"))


def pipe_width() -> int:
    """Return the width for output going to a pipe: the terminal's, when one is still attached.

    `nexus progress | less` has stdout on a pipe but stderr and stdin on the
    terminal, and less shows what fits that terminal; only with no terminal at
    all (cron, CI) is the width a fixed PIPE_WIDTH.
    """
    for stream in (sys.stderr, sys.stdin):
        try:
            if stream is not None and stream.isatty():
                return os.get_terminal_size(stream.fileno()).columns or PIPE_WIDTH
        except (OSError, ValueError, AttributeError):  # closed, redirected, or a test's fake stream
            continue
    return PIPE_WIDTH


def make_console(*, stderr: bool = False, width: int | None = None) -> Console:
    """Return a console that colours only a terminal and never reads markup from data."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    no_color = not color_wanted()
    is_tty = stream.isatty()
    force = bool(os.environ.get("FORCE_COLOR")) and not no_color
    if width is None and not is_tty and not force and not os.environ.get("COLUMNS"):
        width = pipe_width()
    return Console(
        file=stream,
        highlight=False,
        emoji=False,
        markup=False,
        no_color=no_color,
        force_terminal=True if force else None,
        color_system="auto" if (is_tty or force) and not no_color else None,
        width=width,
        soft_wrap=False,
    )


def print_data(renderable: object, *, width: int | None = None) -> None:
    """Print a renderable to stdout; off a terminal, without trailing padding."""
    console = make_console(width=width)
    if console.is_terminal:
        console.print(renderable)
        return
    # Rich pads every cell to its column width; a file or pipe only wants the text.
    with console.capture() as capture:
        console.print(renderable)
    lines = [line.rstrip() for line in capture.get().splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    console.file.write("".join(line + "\n" for line in lines))


def export_console(width: int) -> Console:
    """Return a recording console, in colour, for saving a view as SVG or HTML."""
    from rich.console import Console

    return Console(
        record=True,
        file=io.StringIO(),
        width=width,
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
        legacy_windows=False,
    )


_SGR = {
    "bold": "1",
    "dim": "2",
    "bright_black": "90",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "cyan": "36",
}
NO_TIME = "—"  # one cell wide, like ASCII
_FLUSH_EVERY = 64  # lines: the first screen appears at once, the rest in large writes


def text_width(text: str) -> int:
    """Return how many terminal cells `text` takes (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def widest(texts: Iterable[str]) -> int:
    """Return the width of the widest of `texts` (0 for none)."""
    return max((len(text) if text.isascii() else text_width(text) for text in texts), default=0)


def _wrap(text: str, width: int) -> list[str]:
    """Return `text` in lines of at most `width` cells, broken between words (long words folded)."""
    if text_width(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        while text_width(word) > width:  # a URL longer than the column: fold it
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        candidate = f"{line} {word}" if line else word
        if text_width(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]


def print_rows(
    headers: list[str],
    rows: Iterable[list[tuple[str, str]]],
    *,
    right: frozenset[str] | set[str] = frozenset(),
    widths: Sequence[int] | None = None,
) -> None:
    """Print a long table line by line: the layout of `print_data`'s tables, without Rich.

    Columns are as wide as their widest cell, two spaces apart; when that is
    wider than the screen (100 columns off a terminal), the widest column wraps
    between words. Nothing is cut. Lines go out as they are made, so the first
    screen appears at once and a reader that stops early (`| head`) stops the run.
    `widths`, when the caller knows them, are each column's widest cell (as
    `text_width` measures it): then `rows` may be made as they are printed.
    """
    import shutil

    stream = sys.stdout
    color = color_wanted() and (stream.isatty() or bool(os.environ.get("FORCE_COLOR")))
    if stream.isatty() or os.environ.get("COLUMNS") or os.environ.get("FORCE_COLOR"):
        screen = shutil.get_terminal_size((PIPE_WIDTH, 24)).columns
    else:
        screen = PIPE_WIDTH
    if widths is None:
        rows = list(rows)
        widths = [
            widest({row[index][0] for row in rows})  # each text once: a column repeats most of its cells
            for index in range(len(headers))
        ]
    widths = [max(text_width(header), width) for header, width in zip(headers, widths, strict=True)]
    gap = 2 * (len(headers) - 1)
    wrapped = -1
    if sum(widths) + gap > screen:
        wrapped = max(range(len(widths)), key=lambda index: (widths[index], index))
        widths[wrapped] = max(screen - gap - (sum(widths) - widths[wrapped]), 20)
    aligned = [header in right for header in headers]
    last = len(headers) - 1

    def line_of(cells: list[tuple[str, str]]) -> str:
        parts = []
        for index, (text, style) in enumerate(cells):
            size = len(text) if text.isascii() else text_width(text)
            pad = " " * (widths[index] - size) if index < last or aligned[index] else ""
            shown = f"\x1b[{_SGR[style]}m{text}\x1b[0m" if color and style in _SGR and text else text
            parts.append(pad + shown if aligned[index] else shown + pad)
        return "  ".join(parts).rstrip()

    # Most rows are plain ASCII that fits: one format call lays out the whole line.
    plain = "  ".join(
        f"{{:>{width}}}" if aligned[index] else f"{{:<{width}}}" if index < last else "{}"
        for index, width in enumerate(widths)
    )
    out = [line_of([(header, "bold") for header in headers]), "─" * (sum(widths) + gap)]
    for row in rows:
        texts = [text for text, _style in row]
        line = plain.format(*texts)
        if (
            not color
            and (line.isascii() or line.replace(NO_TIME, "").isascii())
            and (wrapped < 0 or len(texts[wrapped]) <= widths[wrapped])
        ):
            out.append(line.rstrip())
        elif wrapped >= 0 and text_width(row[wrapped][0]) > widths[wrapped]:
            text, style = row[wrapped]
            pieces = _wrap(text, widths[wrapped])
            out.append(line_of([*row[:wrapped], (pieces[0], style), *row[wrapped + 1 :]]))
            blank = [("", "")] * len(row)
            for piece in pieces[1:]:
                out.append(line_of([*blank[:wrapped], (piece, style), *blank[wrapped + 1 :]]))
        else:
            out.append(line_of(row))
        if len(out) >= _FLUSH_EVERY:
            stream.write("\n".join(out) + "\n")
            stream.flush()
            out.clear()
    if out:
        stream.write("\n".join(out) + "\n")
    stream.flush()
