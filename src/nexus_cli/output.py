"""Rich consoles for data (stdout) and messages (stderr), made once per run."""

from __future__ import annotations

import io
import os
import sys
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
