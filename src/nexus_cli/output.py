"""Rich consoles for data (stdout) and messages (stderr), made once per run."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from nexus_cli import state

if TYPE_CHECKING:
    from rich.console import Console


def make_console(*, stderr: bool = False) -> Console:
    """Return a console that colours only a terminal and never reads markup from data."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    no_color = state.current().no_color or bool(os.environ.get("NO_COLOR"))
    is_tty = stream.isatty()
    force = bool(os.environ.get("FORCE_COLOR")) and not no_color
    width = None
    if not is_tty and not force and not os.environ.get("COLUMNS"):
        width = 100  # piped output: a fixed, generous width; cells wrap, never cut
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


def print_data(renderable: object) -> None:
    """Print a renderable to stdout."""
    make_console().print(renderable)
