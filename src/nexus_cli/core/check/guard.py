"""The rules of `validate`, applied to a change before it is saved.

A command changes a journal in memory; before the file is written, the changed
journal goes through the same semantic checks `validate` runs (the NX2xx
errors: a day over 24 hours, overlapping sessions, a parent loop, ...). A
change that would add such an error is refused, so nexus never writes a
journal that its own `validate` rejects. A problem that was in the file before
the change (a hand edit) does not block unrelated changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from nexus_cli.core import clock
from nexus_cli.core.check import semantics
from nexus_cli.core.check.codes import CODES
from nexus_cli.core.errors import InputError
from nexus_cli.core.models import Journal


@dataclass(frozen=True)
class Error:
    """One error the checks found: its code, message and hint."""

    code: str
    message: str
    hint: str


def errors(journal: Journal) -> list[Error]:
    """Return the semantic errors `validate` would report for `journal`."""
    data = journal.model_dump(exclude_none=True)
    found = [
        Error(f.code, f.message, f.hint)
        for f in semantics.check(data, clock.today(), clock.now())
        if CODES[f.code].severity == "error" and f.code != "NX207"
    ]
    # validate names a day's total where it first passes 24h; a change must not add to it either
    per_day: dict[dt.date, int] = {}
    for session in journal.sessions:
        per_day[session.date] = per_day.get(session.date, 0) + session.minutes
    found.extend(
        Error(
            "NX207",
            f"sessions on {day} add up to {semantics.hours_text(total)}, more than a day has",
            "fix the durations or the dates of that day's sessions",
        )
        for day, total in per_day.items()
        if total > 24 * 60
    )
    return found


def new_errors(after: Journal, before: Callable[[], Journal]) -> list[Error]:
    """Return the errors of `after` that the journal `before()` returns did not have.

    `before` is only called when `after` has errors (the common case costs one check).
    """
    found = errors(after)
    if not found:
        return []
    known = {(e.code, e.message) for e in errors(before())}
    return [e for e in found if (e.code, e.message) not in known]


def refuse_new_errors(after: Journal, before: Callable[[], Journal]) -> None:
    """Raise an InputError naming the first error the change would add to the journal."""
    found = new_errors(after, before)
    if found:
        first = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise InputError(
            f"nothing was saved: {first.message}{more} ({first.code})",
            hint=first.hint or "see `nexus validate`",
        )
