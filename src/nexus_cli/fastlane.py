"""`nexus log TOPIC DURATION` without Typer or Pydantic: the command people type most.

Starting Python, Typer and Pydantic costs several times what logging a session
does. So the entry point first asks `recognise()` whether the command line is
the plain form of `log` (global options, `log`, a topic, a duration, `--date`,
`--note`, each at most once, in any of the forms Click reads the same way). If
it is, `run()` logs the session through store.session_append, the light path's
append done on plain data, and prints what `log` prints.

Everything else returns None and goes to the normal path unchanged: help,
completion, `--`, unknown or repeated options, a value the parsers refuse, a
journal the fast lane does not handle, any error before the write. So a message
never differs between the two: the normal path words every error itself.
"""

from __future__ import annotations

import os
from typing import NamedTuple


class LogCall(NamedTuple):
    """The values of a plain `nexus log` command line."""

    topic: str
    duration: str
    date: str = "today"
    note: str = ""
    journal: str | None = None
    no_color: bool = False


# Options that take a value, by every spelling Click accepts for them as a separate word.
_ROOT_VALUES = {"--journal": "journal", "-j": "journal"}
_LOG_VALUES = {"--date": "date", "-d": "date", "--note": "note", "-n": "note"}
_GLOB = frozenset("*?[")


def recognise(argv: list[str]) -> LogCall | None:
    """Return the values of `argv` if it is a plain `log` command line, else None.

    Accepts only what Click parses to the same values; anything unusual is
    left to Click (a test checks this against the real command).
    """
    values: dict[str, object] = {}
    rest = _root_options(argv, values)
    if rest is None or not rest or rest[0] != "log":
        return None
    positional: list[str] = []
    words = iter(rest[1:])
    for word in words:
        name, value = _option(word, _LOG_VALUES)
        if name is None:
            if word.startswith("-"):  # an option log lacks, `--`, `-`, or a negative duration
                return None
            positional.append(word)
            continue
        if value is None:
            value = next(words, None)
        if value is None or name in values:
            return None
        values[name] = value
    if len(positional) != 2:
        return None
    if os.name == "nt" and any(_GLOB & set(word) for word in argv):
        return None  # Click expands wildcards on Windows
    return LogCall(positional[0], positional[1], **values)  # type: ignore[arg-type]


def _root_options(argv: list[str], values: dict[str, object]) -> list[str] | None:
    """Read the global options before the command into `values`; return the words after them."""
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        word = argv[index]
        if word == "--no-color" and "no_color" not in values:
            values["no_color"] = True
            index += 1
            continue
        name, value = _option(word, _ROOT_VALUES)
        if name is None or name in values:
            return None
        if value is None:
            index += 1
            if index == len(argv):
                return None
            value = argv[index]
        values[name] = value
        index += 1
    return argv[index:]


def _option(word: str, spellings: dict[str, str]) -> tuple[str | None, str | None]:
    """Return (name, attached value) for `--date`, `--date=X` or `-d`; (None, None) otherwise."""
    if word in spellings:
        return spellings[word], None
    head, equals, value = word.partition("=")
    if equals and head.startswith("--") and head in spellings:
        return spellings[head], value
    return None, None


def run(argv: list[str]) -> int | None:
    """Log a session if `argv` is a plain `nexus log`; return the exit code (None: take the normal path)."""
    call = recognise(argv)
    if call is None or os.environ.get("NEXUS_DEBUG"):
        return None
    from nexus_cli import interrupts, state, ui
    from nexus_cli.core import clock, store
    from nexus_cli.core.parse import format_minutes, parse_date, parse_duration

    committing = False
    try:
        with interrupts.raising():
            minutes = parse_duration(call.duration)
            today = clock.today()
            day = parse_date(call.date, today=today)
            state.reset(journal_option=call.journal, no_color=call.no_color)
            path = state.current().journal_path
            with store.session_append(path, call.topic, minutes, day, call.note, today=today) as pending:
                if pending is None:
                    return None
                committing = True
                pending.commit()
    except KeyboardInterrupt:
        ui.interrupted()
        return interrupts.EXIT_INTERRUPTED
    except Exception as exc:
        if not committing:
            return None  # the normal path meets the same problem and words it
        return ui.failed(exc)
    ui.success(f"logged {format_minutes(minutes)} of {pending.topic} on {day} ({pending.session})")
    for message in store.take_notices():
        ui.warn(message)
    return 0
