"""The one family of errors nexus shows to users."""

from __future__ import annotations

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
