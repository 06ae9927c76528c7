"""Options given before the command, shared by every command of one run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nexus_cli.core.paths import JournalLocation, resolve_journal


@dataclass
class State:
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
