"""Plain messages on stderr: cheap to import, safe with any user text."""

from __future__ import annotations

import os
import sys

from nexus_cli import state
from nexus_cli.core.text import neutralize


def color_enabled(stream: object = None) -> bool:
    """Return whether `stream` (stderr by default) should get colour."""
    stream = stream or sys.stderr
    if state.current().no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def is_interactive() -> bool:
    """Return whether a person is at the terminal, so nexus may ask questions."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def _paint(text: str, code: str) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color_enabled() else text


def say(message: str) -> None:
    """Tell the user what happened (stderr, so stdout stays data)."""
    print(neutralize(message), file=sys.stderr)


def success(message: str) -> None:
    print(_paint("✓", "32") + " " + neutralize(message), file=sys.stderr)


def warn(message: str) -> None:
    print(_paint("warning:", "33;1") + " " + neutralize(message), file=sys.stderr)


def error(message: str, hint: str | None = None) -> None:
    print(_paint("error:", "31;1") + " " + neutralize(message, keep_newlines=False), file=sys.stderr)
    if hint:
        print(_paint("hint:", "36") + " " + neutralize(hint, keep_newlines=False), file=sys.stderr)
