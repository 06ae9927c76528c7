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


def terminal_columns() -> int | None:
    """Return stderr's width when it is a terminal (messages wrap there); None for a pipe or file."""
    try:
        if sys.stderr.isatty():
            return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError, AttributeError):
        pass
    return None


def _emit(label: str, painted: str, message: str) -> None:
    """Print `label message` on stderr; at a narrow terminal, wrapped at words under the label.

    Off a terminal a message stays one line, for scripts and logs.
    """
    columns = terminal_columns()
    prefix = f"{painted} " if label else ""
    if columns is None or len(label) + 1 + len(message) <= columns or "\n" in message:
        print(prefix + message, file=sys.stderr)
        return
    import textwrap

    indent = " " * (len(label) + 1 if label else 0)
    lines = textwrap.wrap(
        message, max(columns - len(indent), 20), break_long_words=False, break_on_hyphens=False
    ) or [""]
    print(prefix + lines[0], file=sys.stderr)
    for line in lines[1:]:
        print(indent + line, file=sys.stderr)


def say(message: str) -> None:
    """Tell the user what happened (stderr, so stdout stays data)."""
    _emit("", "", neutralize(message))


def success(message: str) -> None:
    _emit("✓", _paint("✓", "32"), neutralize(message))


def warn(message: str) -> None:
    _emit("warning:", _paint("warning:", "33;1"), neutralize(message))


# An error names what went wrong, not the megabyte of text that did.
MAX_MESSAGE = 1000


def one_line_message(message: str) -> str:
    """Return a message as one safe line of at most MAX_MESSAGE characters."""
    line = neutralize(message, keep_newlines=False)
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def error(message: str, hint: str | None = None) -> None:
    """Report an error on stderr: one line, control characters made visible."""
    _emit("error:", _paint("error:", "31;1"), one_line_message(message))
    if hint:
        _emit("hint:", _paint("hint:", "36"), one_line_message(hint))


def interrupted() -> None:
    """Say that Ctrl-C ended the command."""
    if sys.stderr.isatty():  # the terminal echoed ^C without a newline
        print(file=sys.stderr)
    error("interrupted")


def failed(exc: Exception) -> int:
    """Say why a command failed, in one line, and return its exit code.

    The one wording of a failure that is not a usage error, shared by the root
    app and the fast lane: nexus's own errors with their hint, a file that
    said no with its real cause, anything else as unexpected (exit 70).
    """
    from nexus_cli.core.errors import EXIT_USAGE, NexusError

    if isinstance(exc, NexusError):
        error(exc.message, exc.hint)
        return exc.exit_code
    if isinstance(exc, OSError):  # a file or folder said no: an I/O error, named with its real cause
        from nexus_cli.core import store

        # A path's error hints at its folders; one of stdout (a full disk, a closed pipe) has no path.
        hint = "check the path and its folders' permissions" if exc.filename else None
        error(store.os_error_message(exc), hint)
        return EXIT_USAGE
    error(f"unexpected {type(exc).__name__}: {exc}", "re-run with --debug for the traceback")
    return 70


def notices() -> None:
    """Warn about what a write that landed left undone (its backup): a warning, never a failure."""
    if "nexus_cli.core.store.files" in sys.modules:  # else nothing was written
        from nexus_cli.core import store

        for message in store.take_notices():
            warn(message)


def reader_gone() -> int:
    """Stop quietly when stdout's reader went away (`nexus list | head -1`), as cat does; return 0."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0
