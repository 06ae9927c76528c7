"""The third check: what the model cannot see, on the raw data.

Duplicate ids, dangling references, cycles, overlaps, dates in the future. The
checks are tolerant of values of the wrong type, so they run even when some
entries have schema errors, and one run reports all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
from collections.abc import Iterable, Iterator
from typing import Any

from nexus_cli.core import clock
from nexus_cli.core.check.codes import CODES, Finding
from nexus_cli.core.check.sourcemap import Loc
from nexus_cli.core.errors import entry_path
from nexus_cli.core.models import Journal
from nexus_cli.core.shape import DAY_MINUTES
from nexus_cli.core.store import SECTIONS

DAY = DAY_MINUTES


def check(data: dict[str, Any], today: dt.date, now: dt.datetime) -> list[Finding]:
    """Return the problems of a journal's data that its model cannot see."""
    semantics = _Semantics(data, today, now)
    with contextlib.suppress(OverflowError):  # year 9999 plus a few minutes: keep what was found
        semantics.run()
    return semantics.findings


def check_whole(data: dict[str, Any], today: dt.date, now: dt.datetime) -> list[Finding]:
    """Like check(), but raise OverflowError where check() would stop early and keep what it found."""
    return _Semantics(data, today, now).run()


def rule_errors(journal: Journal) -> list[tuple[str, str, str]]:
    """Return (path, code, message) for each error-level rule a well-formed journal breaks.

    The checks `validate` runs beyond the schema (ids, references, cycles,
    durations, overlaps, dates), on a journal already in memory: what the merge
    driver asks of a merged journal, without reading or mapping any text. The
    same errors as a write is judged by (error_findings).
    """
    return [(entry_path(f.loc), f.code, f.message) for f in error_findings(journal)]


def error_findings(journal: Journal) -> list[Finding]:
    """Return the error-level findings of a journal, as a change to it is judged.

    As `validate` finds them, but a day over 24 hours is named with its whole
    total (validate names the total where it first passes 24h), after the
    rest: a change that adds to such a day adds an error, whether a command or
    a merge makes it.
    """
    data = journal.model_dump(exclude_none=True)
    found = [
        f
        for f in check(data, clock.today(), clock.now())
        if CODES[f.code].severity == "error" and f.code != "NX207"
    ]
    per_day: dict[dt.date, int] = {}
    crossing: dict[dt.date, int] = {}
    for index, session in enumerate(journal.sessions):
        total = per_day[session.date] = per_day.get(session.date, 0) + session.minutes
        if total > DAY and session.date not in crossing:
            crossing[session.date] = index
    found.extend(
        Finding(
            ("sessions", crossing[day], "minutes"),
            "NX207",
            f"sessions on {day} add up to {hours_text(total)}, more than a day has",
            "fix the durations or the dates of that day's sessions",
        )
        for day, total in per_day.items()
        if total > DAY
    )
    return found


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _as_time(value: Any) -> dt.time | None:
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    if isinstance(value, str) and 4 < len(value) < 20:
        try:
            return dt.time.fromisoformat(value).replace(tzinfo=None)
        except ValueError:
            return None
    return None


def _as_stamp(value: Any) -> dt.datetime | None:
    if isinstance(value, str) and 10 < len(value) < 40:
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value
    return None


def _as_minutes(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= DAY_MINUTES:
        return value
    return None


def hours_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}m" if rest else f"{hours}h"


def _nearest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


class _Semantics:
    """The checks that need the whole journal; tolerant of values of the wrong type."""

    def __init__(self, data: dict[str, Any], today: dt.date, now: dt.datetime) -> None:
        self.data = data
        self.today = today
        self.now = now
        self.findings: list[Finding] = []

    def add(self, loc: Loc, code: str, message: str, hint: str = "") -> None:
        self.findings.append(Finding(loc, code, message, hint))

    def entries(self, section: str) -> Iterator[tuple[int, dict[str, Any]]]:
        items = self.data.get(section)
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    yield index, item

    def run(self) -> list[Finding]:
        self.check_ids()
        self.topic_ids = {item["id"] for _, item in self.entries("topics") if isinstance(item.get("id"), str)}
        self.check_references()
        self.check_cycles()
        self.check_program()
        self.check_challenges()
        self.check_stamps()
        self.check_sessions()
        self.check_timer()
        self.check_list_duplicates()
        return self.findings

    def check_ids(self) -> None:
        seen: dict[str, Loc] = {}
        for section in SECTIONS:
            for index, item in self.entries(section):
                ident = item.get("id")
                if not isinstance(ident, str):
                    continue
                loc = (section, index, "id")
                if ident in seen:
                    first = entry_path(seen[ident][:2])
                    self.add(
                        loc,
                        "NX202",
                        f"duplicate id '{ident}' (first used by {first})",
                        "ids are unique across all entries; rename this one and update references to it",
                    )
                else:
                    seen[ident] = loc

    def _reference(self, loc: Loc, value: Any, what: str) -> None:
        if isinstance(value, str) and value not in self.topic_ids:
            hint = _nearest(value, self.topic_ids) or "add the topic with `nexus add topic`, or fix the id; "
            self.add(loc, "NX203", f"{what} '{value}' is not a topic in this journal", hint.strip())

    def check_references(self) -> None:
        if "topics" in self.data and not isinstance(self.data["topics"], list):
            return  # already a schema error; every reference would look dangling
        for index, item in self.entries("topics"):
            self._reference(("topics", index, "parent"), item.get("parent"), "parent")
        for section in ("challenges", "takeaways"):
            for index, item in self.entries(section):
                refs = item.get("topics")
                if isinstance(refs, list):
                    for position, ref in enumerate(refs):
                        self._reference((section, index, "topics", position), ref, "topic")
        for index, item in self.entries("sessions"):
            self._reference(("sessions", index, "topic"), item.get("topic"), "topic")
        timer = self.data.get("timer")
        if isinstance(timer, dict):
            self._reference(("timer", "topic"), timer.get("topic"), "timer topic")

    def check_cycles(self) -> None:
        parents: dict[str, str] = {}
        where: dict[str, int] = {}
        for index, item in self.entries("topics"):
            ident, parent = item.get("id"), item.get("parent")
            if isinstance(ident, str) and ident not in where:
                where[ident] = index
                if isinstance(parent, str) and parent in self.topic_ids:
                    parents[ident] = parent
        done: set[str] = set()
        for ident in where:
            trail: list[str] = []
            node: str | None = ident
            while node is not None and node not in done and node not in trail:
                trail.append(node)
                node = parents.get(node)
            if node is not None and node in trail:
                cycle = trail[trail.index(node) :]
                loc = ("topics", where[cycle[0]], "parent")
                if len(cycle) == 1:
                    message = f"topic '{node}' is its own parent"
                else:
                    message = "topic parents form a cycle: " + " → ".join([*cycle, cycle[0]])
                self.add(loc, "NX204", message, "remove or change one parent so the topics form a tree")
            done.update(trail)

    def check_program(self) -> None:
        program = self.data.get("program")
        if not isinstance(program, dict):
            self.program_span = None
            return
        start, end = _as_date(program.get("start")), _as_date(program.get("end"))
        self.program_span = (start, end)
        if start and end and end < start:
            self.program_span = None  # one error is enough; every session would look outside
            self.add(
                ("program", "end"),
                "NX210",
                f"the programme ends ({end}) before it starts ({start})",
                "swap the dates or fix the one that is wrong",
            )

    def check_challenges(self) -> None:
        for index, item in self.entries("challenges"):
            status = item.get("status", "open")
            opened, resolved = _as_stamp(item.get("opened")), _as_stamp(item.get("resolved"))
            if status == "resolved":
                solution = item.get("solution")
                if not (isinstance(solution, str) and solution.strip()):
                    key = "solution" if "solution" in item else "status"
                    self.add(
                        ("challenges", index, key),
                        "NX205",
                        "the challenge is resolved but says nothing about the solution",
                        "write what worked: nexus solve ID --solution TEXT (or set status back to open)",
                    )
                if "resolved" not in item:
                    self.add(
                        ("challenges", index, "status"),
                        "NX302",
                        "the challenge is resolved but has no resolved timestamp",
                        "add resolved = the time it was solved, e.g. 2026-11-28T10:00:00Z",
                    )
            elif status == "open" and "resolved" in item:
                self.add(
                    ("challenges", index, "resolved"),
                    "NX301",
                    "the challenge is open but has a resolved timestamp",
                    'set status = "resolved" (with a solution) or remove the resolved timestamp',
                )
            if opened and resolved and resolved < opened:
                self.add(
                    ("challenges", index, "resolved"),
                    "NX211",
                    f"resolved ({_stamp(resolved)}) before it was opened ({_stamp(opened)})",
                    "fix whichever timestamp is wrong",
                )

    def check_stamps(self) -> None:
        keys: dict[str, tuple[str, ...]] = {
            "topics": ("created", "updated"),
            "challenges": ("opened", "resolved"),
            "takeaways": ("created",),
        }
        for section, names in keys.items():
            for index, item in self.entries(section):
                for name in names:
                    stamp = _as_stamp(item.get(name))
                    if stamp and stamp > self.now:
                        self.add(
                            (section, index, name),
                            "NX209",
                            f"{name} {_stamp(stamp)} is in the future",
                            "fix the timestamp (or the clock of the machine that wrote it)",
                        )
                reviews = item.get("reviews")
                for position, review in enumerate(reviews if isinstance(reviews, list) else []):
                    day = _as_date(review.get("date")) if isinstance(review, dict) else None
                    if day and day > self.today:
                        self.add(
                            (section, index, "reviews", position, "date"),
                            "NX209",
                            f"review date {day} is in the future (today is {self.today})",
                            "fix the date of the review",
                        )
                    created = _as_stamp(item.get("created"))
                    # created is UTC, review dates are local: allow a day for time zones.
                    if day and created and day < created.date() - dt.timedelta(days=1):
                        self.add(
                            (section, index, "reviews", position, "date"),
                            "NX212",
                            f"review date {day} is before the entry was created ({created.date()})",
                            "fix the date of the review",
                        )
                if section == "topics":
                    created, updated = _as_stamp(item.get("created")), _as_stamp(item.get("updated"))
                    if created and updated and updated < created:
                        self.add(
                            (section, index, "updated"),
                            "NX303",
                            f"updated ({_stamp(updated)}) before it was created ({_stamp(created)})",
                            "set updated to the same time as created or later",
                        )

    def check_sessions(self) -> None:
        per_day: dict[dt.date, int] = {}
        reported_days: set[dt.date] = set()
        timed: list[tuple[dt.datetime, dt.datetime, int, str]] = []
        now_local = self.now.replace(tzinfo=None)
        span = self.program_span
        for index, item in self.entries("sessions"):
            day, start = _as_date(item.get("date")), _as_time(item.get("start"))
            minutes = _as_minutes(item.get("minutes"))
            if day is None:
                continue
            if day > self.today:
                self.add(
                    ("sessions", index, "date"),
                    "NX209",
                    f"date {day} is in the future (today is {self.today})",
                    "log sessions after they happen; fix the date",
                )
            elif start and day == self.today and dt.datetime.combine(day, start) > now_local:
                self.add(
                    ("sessions", index, "start"),
                    "NX209",
                    f"start {start} today is later than now",
                    "fix the start time",
                )
            if span and ((span[0] and day < span[0]) or (span[1] and day > span[1])):
                self.add(
                    ("sessions", index, "date"),
                    "NX305",
                    f"date {day} is outside the programme ({span[0] or '…'} to {span[1] or '…'})",
                    "fix the date, or the programme's start/end",
                )
            if minutes is None:
                continue
            per_day[day] = per_day.get(day, 0) + minutes
            if per_day[day] > DAY_MINUTES and day not in reported_days:
                reported_days.add(day)
                self.add(
                    ("sessions", index, "minutes"),
                    "NX207",
                    f"sessions on {day} add up to {hours_text(per_day[day])}, more than a day has",
                    "fix the durations or the dates of that day's sessions",
                )
            if start is not None and day < dt.date.max:
                begin = dt.datetime.combine(day, start)
                ident = item["id"] if isinstance(item.get("id"), str) else f"sessions[{index}]"
                timed.append((begin, begin + dt.timedelta(minutes=minutes), index, ident))
        timed.sort()
        latest: tuple[dt.datetime, dt.datetime, int, str] | None = None
        for session in timed:
            if latest is not None and session[0] < latest[1]:
                self.add(
                    ("sessions", session[2], "start"),
                    "NX208",
                    f"overlaps session '{latest[3]}' ({_span(latest[0], latest[1])})",
                    "fix the start time or the minutes of one of them",
                )
            if latest is None or session[1] > latest[1]:
                latest = session

    def check_timer(self) -> None:
        timer = self.data.get("timer")
        if not isinstance(timer, dict):
            return
        started = _as_stamp(timer.get("started"))
        if started is None:
            return
        if started > self.now:
            self.add(
                ("timer", "started"),
                "NX209",
                f"the timer starts in the future ({_stamp(started)})",
                "fix the timestamp, or cancel the timer",
            )
        elif self.now - started > dt.timedelta(days=1):
            self.add(
                ("timer", "started"),
                "NX306",
                f"a timer has been running since {_stamp(started)}",
                "stop it with `nexus stop` (a session lasts at most 24 hours), or remove the timer",
            )

    def check_list_duplicates(self) -> None:
        for section in SECTIONS:
            for index, item in self.entries(section):
                for name in ("tags", "topics"):
                    values = item.get(name)
                    if not isinstance(values, list):
                        continue
                    seen: set[str] = set()
                    for position, value in enumerate(values):
                        if not isinstance(value, str):
                            continue
                        if value in seen:
                            self.add(
                                (section, index, name, position),
                                "NX304",
                                f"'{value}' appears twice in {name}",
                                "remove the second one",
                            )
                        seen.add(value)


def _stamp(value: dt.datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _span(begin: dt.datetime, end: dt.datetime) -> str:
    return f"{begin:%Y-%m-%d %H:%M}–{end:%H:%M}"
