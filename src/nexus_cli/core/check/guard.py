"""The rules of `validate`, applied to a change before it is saved.

A command changes a journal in memory; before the file is written, the changed
journal goes through the same semantic checks `validate` runs (the NX2xx
errors: a day over 24 hours, overlapping sessions, a parent loop, ...). A
change that would add such an error is refused, so nexus never writes a
journal that its own `validate` rejects. A problem that was in the file before
the change (a hand edit) does not block unrelated changes.

A change that adds one entry (what `log` and `add` do) is first judged on what
that entry can break: its own fields, its id, its references, its day and the
sessions beside it, the topic tree around it. When that proves it adds no
error, the whole journal is not checked again (on 100,000 entries that is most
of a write); when it cannot, the full check decides, so the outcome and the
messages are always those of the full check.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from nexus_cli.core import clock
from nexus_cli.core.check import semantics
from nexus_cli.core.check.codes import CODES
from nexus_cli.core.errors import InputError
from nexus_cli.core.models import Journal, Session, Topic
from nexus_cli.core.store import SECTIONS

DAY = semantics.DAY


@dataclass(frozen=True)
class Error:
    """One error the checks found: its code, message and hint."""

    code: str
    message: str
    hint: str


def errors(journal: Journal) -> list[Error]:
    """Return the semantic errors `validate` would report for `journal` (a day at its whole total)."""
    return [Error(f.code, f.message, f.hint) for f in semantics.error_findings(journal)]


def new_errors(
    after: Journal, before: Callable[[], Journal], *, added: tuple[str, int] | None = None
) -> list[Error]:
    """Return the errors of `after` that the journal `before()` returns did not have.

    `added` names the change when it only put one entry into `after`: its section
    and index. Then, when the entry provably adds no error, nothing else is
    checked; otherwise (and without `added`) `after` is checked whole, and
    `before` is only called when it has errors (the common case costs one check).
    """
    if added is not None and adds_no_error(after, *added):
        return []
    found = errors(after)
    if not found:
        return []
    # Compared as many of each as there were, and without the places messages name
    # (`first used by sessions[3]`): a change that only moves an old problem along,
    # as a session logged before it does, adds none.
    known = Counter(_same(e) for e in errors(before()))
    added_errors = []
    for error in found:
        if known[_same(error)] > 0:
            known[_same(error)] -= 1
        else:
            added_errors.append(error)
    return added_errors


_PLACE = re.compile(r"\[\d+\]")


def _same(error: Error) -> tuple[str, str]:
    """Return what makes two errors the same problem: the code and the message but its places."""
    return error.code, _PLACE.sub("[]", error.message)


def refuse_new_errors(
    after: Journal, before: Callable[[], Journal], *, added: tuple[str, int] | None = None
) -> None:
    """Raise an InputError naming the first error the change would add to the journal."""
    found = new_errors(after, before, added=added)
    if found:
        first = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise InputError(
            f"nothing was saved: {first.message}{more} ({first.code})",
            hint=first.hint or "see `nexus validate`",
        )


def adds_no_error(journal: Journal, section: str, index: int) -> bool:
    """Return True when the entry at `journal.<section>[index]` provably adds no error.

    The journal is the one after the entry went in; without the entry it had
    exactly the errors it has now (the full check agrees: see the tests). False
    means "cannot tell cheaply", not "adds an error".
    """
    items = getattr(journal, section, None)
    if section not in SECTIONS or not isinstance(items, list) or not 0 <= index < len(items):
        return False
    entry = items[index]
    return (
        _alone_is_fine(section, entry)
        and _ids_unique(journal)
        and _references_known(journal, entry)
        and (not isinstance(entry, Topic) or _tree_unchanged(journal, entry, index))
        and (not isinstance(entry, Session) or _day_unchanged(journal, entry))
    )


def _alone_is_fine(section: str, entry: object) -> bool:
    """The checks of the entry on its own: dates in the future, a resolved challenge's solution, ..."""
    data = {section: [entry.model_dump(exclude_none=True)]}  # type: ignore[attr-defined]
    try:
        findings = semantics.check_whole(data, clock.today(), clock.now())
    except OverflowError:
        return False  # the full check stops there: let it say what it finds
    # a reference is judged against the whole journal (below), not this one entry
    return not any(CODES[f.code].severity == "error" and f.code != "NX203" for f in findings)


def _ids_unique(journal: Journal) -> bool:
    # Also refuses a journal with a duplicate already: its message names the first
    # entry by position, which an insertion may shift.
    ids = [entry.id for name in SECTIONS for entry in getattr(journal, name)]
    return len(set(ids)) == len(ids)


def _references_known(journal: Journal, entry: object) -> bool:
    if isinstance(entry, Topic):
        refs = [] if entry.parent is None else [entry.parent]
    elif isinstance(entry, Session):
        refs = [entry.topic]
    else:
        refs = list(getattr(entry, "topics", []))
    if not refs:
        return True
    topic_ids = {topic.id for topic in journal.topics}
    return all(ref in topic_ids for ref in refs)


def _tree_unchanged(journal: Journal, topic: Topic, index: int) -> bool:
    # No topic names the new one as its parent (a dangling parent that now resolves
    # could close a loop), and one with a parent comes last: the parent loops are
    # found walking the topics in order, and nothing walks on from a new leaf.
    if any(other.parent == topic.id for other in journal.topics if other is not topic):
        return False
    return topic.parent is None or index == len(journal.topics) - 1


def _day_unchanged(journal: Journal, session: Session) -> bool:
    # Its day stays within 24 hours, and it overlaps no timed session (one that
    # overlaps nothing changes no other overlap found: see the tests).
    if session.date in (dt.date.min, dt.date.max):
        return False  # the day before or after is not a date
    total = sum(other.minutes for other in journal.sessions if other.date == session.date)
    if total > DAY:
        return False
    if session.start is None:
        return True
    begin = dt.datetime.combine(session.date, session.start.replace(tzinfo=None))
    end = begin + dt.timedelta(minutes=session.minutes)
    near = (session.date - dt.timedelta(days=1), session.date, session.date + dt.timedelta(days=1))
    for other in journal.sessions:
        if other is session or other.start is None or other.date not in near or other.date == dt.date.max:
            continue
        other_begin = dt.datetime.combine(other.date, other.start.replace(tzinfo=None))
        if other_begin < end and begin < other_begin + dt.timedelta(minutes=other.minutes):
            return False
    return True
