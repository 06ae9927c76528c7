"""Options given before the command, shared by every command of one run."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from nexus_cli.core.paths import JournalLocation, resolve_journal


class State(NamedTuple):
    """The global options of one run (a NamedTuple: `dataclasses` costs `nexus log` a tenth of its time)."""

    journal_option: str | None = None
    no_color: bool = False
    debug: bool = False

    def location(self) -> JournalLocation:
        return resolve_journal(self.journal_option)

    @property
    def journal_path(self) -> Path:
        return self.location().path


state = State()


def reset(**values: object) -> State:
    """Start a run with fresh options (tests invoke many runs in one process)."""
    global state
    state = State(**values)  # type: ignore[arg-type]
    return state


def current() -> State:
    return state
