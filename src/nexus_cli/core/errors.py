"""The one family of errors nexus shows to users."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nexus_cli.core.text import one_line

if TYPE_CHECKING:
    from pydantic import ValidationError

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class NexusError(Exception):
    """An error with a message for the user, an optional hint and an exit code."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str | None = None, exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(NexusError):
    """Bad input on the command line: a duration, a date, a value out of range."""


class JournalError(NexusError):
    """The journal cannot be read or written: missing, corrupt, locked, read-only."""


class NotFoundError(NexusError):
    """Nothing matched where a match was required."""

    exit_code = EXIT_CHECK_FAILED


def describe_validation(exc: ValidationError, source: str, limit: int = 3) -> str:
    """Return the first problems of a ValidationError as one line."""
    problems = []
    for error in exc.errors()[:limit]:
        # keys come from the file or the command line: keep them short and on one line
        where = one_line(entry_path(error["loc"]), 120)
        message = one_line(error["msg"], 200)
        problems.append(f"{where}: {message}" if where else message)
    more = exc.error_count() - len(problems)
    tail = f" (and {more} more)" if more > 0 else ""
    return f"{source}: " + "; ".join(problems) + tail


def entry_path(loc: tuple[Any, ...]) -> str:
    """Return a pydantic error location as `challenges[3].solution`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path
