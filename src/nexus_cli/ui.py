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


# An error names what went wrong, not the megabyte of text that did.
MAX_MESSAGE = 1000


def one_line_message(message: str) -> str:
    """Return a message as one safe line of at most MAX_MESSAGE characters."""
    line = neutralize(message, keep_newlines=False)
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def error(message: str, hint: str | None = None) -> None:
    """Report an error on stderr: one line, control characters made visible."""
    print(_paint("error:", "31;1") + " " + one_line_message(message), file=sys.stderr)
    if hint:
        print(_paint("hint:", "36") + " " + one_line_message(hint), file=sys.stderr)
