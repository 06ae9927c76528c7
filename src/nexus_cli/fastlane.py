"""The commands people type most, without Typer: `log`, `add challenge|takeaway`, `progress`, `show`.

Starting Python, Typer and Pydantic costs several times what recording a
session does. So the entry point first asks `recognise()` whether the command
line is the plain form of one of these (global options, the command, its
arguments and options, each single option at most once, in any of the forms
Click reads the same way). If it is, `run()` makes the change through the
store's fast lane (store.session_append / challenge_append / takeaway_append:
the light path's insertion done on plain data, without Pydantic) and prints
what the command prints. The views (`nexus progress` alone, `nexus show ID`)
print what their commands print (nexus_cli.views), with the models and Rich
but without Typer.

Everything else returns None and goes to the normal path unchanged: help,
completion, `--`, unknown or repeated options, a value the parsers refuse, a
journal the fast lane does not handle, any error before the write. So a
message never differs between the two: the normal path words those errors
itself. A view says nexus's own errors (no journal, no such entry) with
`ui.failed`, the root app's words for them, rather than read the journal twice.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from nexus_cli.core import store
    from nexus_cli.core.models import Journal


Value = str | list[str]


class Spec(NamedTuple):
    """The plain form of one command: its words, arguments and options by every spelling."""

    words: tuple[str, ...]
    arguments: tuple[str, ...]
    options: dict[str, str]  # spelling -> name, for an option given at most once
    lists: dict[str, str]  # spelling -> name, for an option that may be repeated
    defaults: dict[str, Value]


LOG = Spec(
    ("log",),
    ("topic", "duration"),
    {"--date": "date", "-d": "date", "--note": "note", "-n": "note"},
    {},
    {"date": "today", "note": ""},
)
CHALLENGE = Spec(
    ("add", "challenge"),
    ("title",),
    {"--problem": "problem", "--solution": "solution"},
    {"--topic": "topic", "-t": "topic", "--tag": "tag"},
    {"problem": "", "solution": "", "topic": [], "tag": []},
)
TAKEAWAY = Spec(
    ("add", "takeaway"),
    ("title",),
    {"--text": "text"},
    {"--topic": "topic", "-t": "topic", "--tag": "tag"},
    {"text": "", "topic": [], "tag": []},
)
# Views: their plain forms print what the command prints, read with the models and Rich.
PROGRESS = Spec(("progress",), (), {}, {}, {})
SHOW = Spec(("show",), ("entry_id",), {}, {}, {})
SPECS = (LOG, CHALLENGE, TAKEAWAY, PROGRESS, SHOW)
_ROOT = {"--journal": "journal", "-j": "journal"}


class Call(NamedTuple):
    """A recognised command line: the command's words, its values, and the global options."""

    command: tuple[str, ...]
    values: dict[str, Value]
    journal: str | None = None
    no_color: bool = False


def recognise(argv: list[str]) -> Call | None:
    """Return the values of `argv` if it is the plain form of a fast command, else None.

    Accepts only what Click parses to the same values; anything unusual is
    left to Click (a test checks this against the real commands).
    """
    root: dict[str, object] = {}
    rest = _root_options(argv, root)
    if rest is None:
        return None
    spec = next((s for s in SPECS if tuple(rest[: len(s.words)]) == s.words), None)
    if spec is None:
        return None
    values = _command_values(rest[len(spec.words) :], spec)
    if values is None:
        return None
    return Call(spec.words, values, **root)  # type: ignore[arg-type]


def _root_options(argv: list[str], values: dict[str, object]) -> list[str] | None:
    """Read the global options before the command into `values`; return the words after them."""
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        word = argv[index]
        if word == "--no-color" and "no_color" not in values:
            values["no_color"] = True
            index += 1
            continue
        name, value = _option(word, _ROOT)
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


def _command_values(words: list[str], spec: Spec) -> dict[str, Value] | None:
    """Return the command's values from the words after its name (None: not a plain form)."""
    values: dict[str, Value] = {}
    lists: dict[str, list[str]] = {}
    positional: list[str] = []
    spellings = {**spec.options, **spec.lists}
    rest = iter(words)
    for word in rest:
        name, value = _option(word, spellings)
        if name is None:
            if word.startswith("-"):  # an option the command lacks, `--`, `-`, a negative number
                return None
            positional.append(word)
            continue
        value = value if value is not None else next(rest, None)
        if value is None:
            return None
        if name in spec.lists.values():
            lists.setdefault(name, []).append(value)
        elif name in values:
            return None
        else:
            values[name] = value
    if len(positional) != len(spec.arguments):
        return None  # missing (a prompt, or help) or too many: Click's to say
    return {**spec.defaults, **dict(zip(spec.arguments, positional, strict=True)), **values, **lists}


def _option(word: str, spellings: dict[str, str]) -> tuple[str | None, str | None]:
    """Return (name, attached value) for `--date`, `--date=X` or `-d`; (None, None) otherwise."""
    if word in spellings:
        return spellings[word], None
    head, equals, value = word.partition("=")
    if equals and head.startswith("--") and head in spellings:
        return spellings[head], value
    return None, None


def run(argv: list[str]) -> int | None:
    """Run a plain fast command; return its exit code (None: take the normal path)."""
    call = recognise(argv)
    if call is None or "--debug" in argv or os.environ.get("NEXUS_DEBUG"):
        return None  # the root app turns --debug on wherever it is, even as a value
    if call.command in VIEWS:
        return _view(call, VIEWS[call.command])
    from nexus_cli import interrupts, state, ui

    final = False  # from the lock on, an error is said here: the normal path would meet it again
    try:
        with interrupts.raising():
            state.reset(journal_option=call.journal, no_color=call.no_color)
            change, done = CHANGES[call.command](call)
            final = True
            with change as pending:
                if pending is None:
                    return None
                pending.commit()
    except KeyboardInterrupt:
        ui.interrupted()
        return interrupts.EXIT_INTERRUPTED
    except Exception as exc:
        if not final:
            return None  # a value the parsers refuse: the normal path words it
        return ui.failed(exc)
    try:
        ui.success(done(pending))
        ui.notices()
    except BrokenPipeError:
        return 0  # stderr's reader went away; the change is saved, as the root app says
    return 0


def _view(call: Call, prepare: Callable[[Call, Journal], Callable[[], None]]) -> int | None:
    """Print a view; until the journal is read and the view made, only nexus's own errors are said here.

    Skips Typer only: a view needs the models and Rich as its command does.
    """
    # Pydantic builds the models' validators here, where Ctrl-C still exits at once (interrupts.leaving).
    import nexus_cli.core.models  # noqa: F401
    from nexus_cli import interrupts, state, ui
    from nexus_cli.core import store
    from nexus_cli.core.errors import NexusError

    try:
        with interrupts.raising():
            state.reset(journal_option=call.journal, no_color=call.no_color)
            show = prepare(call, store.load_journal(state.current().journal_path))
    except KeyboardInterrupt:
        ui.interrupted()
        return interrupts.EXIT_INTERRUPTED
    except NexusError as exc:
        # No journal, one nexus cannot read, no such entry: said as the root app says it
        # (ui.failed), rather than read again on the normal path, a second load for a typo.
        return ui.failed(exc)
    except Exception:
        return None  # anything else: the normal path words it
    try:
        with interrupts.raising():
            show()
            sys.stdout.flush()
    except KeyboardInterrupt:
        ui.interrupted()
        return interrupts.EXIT_INTERRUPTED
    except BrokenPipeError:
        return ui.reader_gone()
    except Exception as exc:
        return ui.failed(exc)
    ui.notices()
    return 0


def _progress(call: Call, journal: Journal) -> Callable[[], None]:
    from nexus_cli import views

    return lambda: views.print_progress(journal)


def _entry(call: Call, journal: Journal) -> Callable[[], None]:
    from nexus_cli import views

    entry = views.find_entry(journal, str(call.values["entry_id"]))
    return lambda: views.print_entry(journal, entry)


VIEWS = {PROGRESS.words: _progress, SHOW.words: _entry}


Change = tuple["AbstractContextManager[store.Pending | None]", "Callable[[store.Pending], str]"]


def _log(call: Call) -> Change:
    """Return the store's change for `nexus log` (values parsed as the command does) and its message."""
    from nexus_cli import said, state
    from nexus_cli.core import clock, store
    from nexus_cli.core.parse import parse_date, parse_duration

    values = call.values
    minutes = parse_duration(str(values["duration"]))
    today = clock.today()
    day = parse_date(str(values["date"]), today=today)
    change = store.session_append(
        state.current().journal_path, str(values["topic"]), minutes, day, str(values["note"]), today=today
    )
    return change, lambda done: said.logged(minutes, done.topic, day, done.entry)


def _challenge(call: Call) -> Change:
    """Return the store's change for `nexus add challenge`, and its message."""
    from nexus_cli import said, state
    from nexus_cli.core import clock, store

    values = call.values
    solution = str(values["solution"])
    change = store.challenge_append(
        state.current().journal_path,
        str(values["title"]),
        topics=list(values["topic"]),
        problem=str(values["problem"]),
        solution=solution,
        tags=list(values["tag"]),
        now=clock.utcnow(),
    )
    return change, lambda done: said.added_challenge(done.entry, solution)


def _takeaway(call: Call) -> Change:
    """Return the store's change for `nexus add takeaway`, and its message."""
    from nexus_cli import said, state
    from nexus_cli.core import clock, store

    values = call.values
    change = store.takeaway_append(
        state.current().journal_path,
        str(values["title"]),
        text=str(values["text"]),
        topics=list(values["topic"]),
        tags=list(values["tag"]),
        now=clock.utcnow(),
    )
    return change, lambda done: said.added_takeaway(done.entry)


CHANGES = {LOG.words: _log, CHALLENGE.words: _challenge, TAKEAWAY.words: _takeaway}
