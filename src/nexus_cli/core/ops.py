"""Changes to a journal: add, log, solve, edit, remove. Pure functions on models."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from nexus_cli.core import clock
from nexus_cli.core.errors import InputError, JournalError
from nexus_cli.core.idgen import host_name, new_session_id, new_timer_id
from nexus_cli.core.ids import (
    all_ids,
    nfc,
    resolve,
    slugify,
    unique_slug,
)
from nexus_cli.core.models import (
    Challenge,
    ChallengeStatus,
    Entry,
    Journal,
    Program,
    Resource,
    Session,
    Status,
    Takeaway,
    Timer,
    Topic,
    build,
    session_key,
)
from nexus_cli.core.queries import makes_loop
from nexus_cli.core.shape import PROGRAMME_IDS

MAX_SESSION = 24 * 60  # minutes


def _topic_ids(journal: Journal, queries: Sequence[str]) -> list[str]:
    ids: list[str] = []
    for query in queries:
        topic_id = resolve(journal, query, ["topic"]).id
        if topic_id not in ids:
            ids.append(topic_id)
    return ids


def add_topic(
    journal: Journal,
    name: str,
    *,
    category: str = "technology",
    parent: str | None = None,
    status: Status | str = Status.planned,
    notes: str = "",
    tags: Sequence[str] = (),
    target_hours: float | None = None,
    force: bool = False,
) -> Topic:
    """Add a topic and return it; a name that makes the id of a topic already there
    (`Python` beside `python`, `café` typed two ways) is refused unless `force`."""
    name = nfc(name.strip())
    if not force:
        # one slug, then plain comparisons: a journal of 100,000 topics is checked in
        # milliseconds (a topic renamed with `edit --id` is still found by its name)
        wanted, folded = slugify(name), name.casefold()
        for existing in journal.topics:
            if existing.id == wanted or existing.name.casefold() == folded:
                raise InputError(
                    f"topic {existing.id} ({existing.name}) already exists",
                    hint="log to it, pick another name, or pass --force to add a second one",
                )
    parent_id = resolve(journal, parent, ["topic"]).id if parent else None
    now = clock.utcnow()
    topic = build(
        Topic,
        id=unique_slug(name, all_ids(journal)),
        name=name,
        category=category.strip(),
        parent=parent_id,
        status=status,
        notes=notes,
        tags=list(dict.fromkeys(tags)),
        target_hours=target_hours,
        created=now,
        updated=now,
    )
    journal.topics.append(topic)
    return topic


def add_challenge(
    journal: Journal,
    title: str,
    *,
    topics: Sequence[str] = (),
    problem: str = "",
    solution: str = "",
    tags: Sequence[str] = (),
) -> Challenge:
    """Add a challenge; one given with a solution is recorded as resolved (a blank one is refused)."""
    solved = bool(solution.strip())
    if solution and not solved:
        raise InputError("the solution is blank", hint="say what worked, or leave out --solution")
    now = clock.utcnow()
    challenge = build(
        Challenge,
        id=unique_slug(nfc(title), all_ids(journal)),
        title=nfc(title.strip()),
        topics=_topic_ids(journal, topics),
        problem=problem,
        solution=solution,
        status=ChallengeStatus.resolved if solved else ChallengeStatus.open,
        tags=list(dict.fromkeys(tags)),
        opened=now,
        resolved=now if solved else None,
    )
    journal.challenges.append(challenge)
    return challenge


def add_takeaway(
    journal: Journal,
    title: str,
    *,
    text: str = "",
    topics: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> Takeaway:
    """Add a takeaway (a practice or lesson) and return it."""
    takeaway = build(
        Takeaway,
        id=unique_slug(nfc(title), all_ids(journal)),
        title=nfc(title.strip()),
        text=text,
        topics=_topic_ids(journal, topics),
        tags=list(dict.fromkeys(tags)),
        created=clock.utcnow(),
    )
    journal.takeaways.append(takeaway)
    return takeaway


def add_resource(journal: Journal, topic: str, url: str, *, title: str = "") -> tuple[Topic, Resource]:
    """Attach a resource to a topic; a URL already there is not added twice."""
    target = resolve(journal, topic, ["topic"])
    assert isinstance(target, Topic)
    url = url.strip()
    for existing in target.resources:
        if existing.url == url:
            raise InputError(f"{target.id} already has {url}")
    resource = build(Resource, url=url, title=title.strip())
    target.resources = [*target.resources, resource]
    target.updated = clock.utcnow()
    return target, resource


def log_session(
    journal: Journal,
    topic: str,
    minutes: int,
    *,
    day: dt.date | None = None,
    start: dt.time | None = None,
    note: str = "",
) -> Session:
    """Record a study session, kept in date order."""
    target = resolve(journal, topic, ["topic"])
    day = day or clock.today()
    session = build(
        Session,
        id=new_session_id(day, (s.id for s in journal.sessions)),
        topic=target.id,
        date=day,
        start=start,
        minutes=minutes,
        note=note,
    )
    keys = [session_key(s) for s in journal.sessions]
    journal.sessions.insert(bisect.bisect_right(keys, session_key(session)), session)
    if isinstance(target, Topic) and target.status == Status.planned:
        target.status = Status.learning
        target.updated = clock.utcnow()
    return session


def start_timer(journal: Journal, topic: str, *, note: str = "", at: dt.datetime | None = None) -> Timer:
    """Start timing a session (now, or at a past moment); only one can run at a time."""
    if journal.timer is not None:
        running = journal.timer
        where = f" (started on {running.host})" if running.host and running.host != host_name() else ""
        raise InputError(
            f"a timer is already running for {running.topic}{where}",
            hint="stop it with `nexus stop` first",
        )
    target = resolve(journal, topic, ["topic"])
    started = at.astimezone(dt.UTC).replace(microsecond=0) if at is not None else clock.utcnow()
    journal.timer = build(
        Timer, topic=target.id, started=started, note=note, id=new_timer_id(), host=host_name()
    )
    return journal.timer


def stop_timer(journal: Journal, *, note: str | None = None, end: dt.datetime | None = None) -> Session:
    """Stop the running timer and log its time, up to `end` (now when None), as a session.

    The session's date and start are the local wall-clock time of the timer's
    start, with the offset that held then (not today's, across a DST change).
    A timer that ran longer than a session can last is not cut short: the
    learner says when they stopped.
    """
    timer = journal.timer
    if timer is None:
        raise InputError("no timer is running", hint="start one with `nexus start TOPIC`")
    started_local = clock.local(timer.started)
    stopped = end or clock.now()
    elapsed = (stopped - timer.started).total_seconds() / 60
    if end is not None and elapsed <= 0:
        raise InputError(
            f"the timer started at {started_local:%Y-%m-%d %H:%M}, after {end:%Y-%m-%d %H:%M}",
            hint="give a later --at, or `nexus stop --cancel`",
        )
    if elapsed < 1:
        raise InputError(
            "the timer ran for less than a minute", hint="keep studying, or `nexus stop --cancel`"
        )
    if round(elapsed) > MAX_SESSION:
        hours = elapsed / 60
        since = f"{started_local:%Y-%m-%d %H:%M}"
        raise InputError(
            f"the timer has run {hours:.0f}h since {since}; a session lasts at most 24h"
            if end is None
            else f"{since} to {end:%Y-%m-%d %H:%M} is {hours:.0f}h; a session lasts at most 24h",
            hint="say when you stopped: `nexus stop --at HH:MM` (or --at 'YYYY-MM-DD HH:MM'),"
            " or discard it with `nexus stop --cancel`",
        )
    text = " ".join(part for part in (timer.note, note or "") if part)
    session = log_session(
        journal,
        timer.topic,
        round(elapsed),
        day=started_local.date(),
        start=started_local.time().replace(tzinfo=None),
        note=text,
    )
    if timer.id is not None:
        session.timer = timer.id
    journal.timer = None
    return session


def cancel_timer(journal: Journal) -> Timer:
    """Discard the running timer without logging it."""
    if journal.timer is None:
        raise InputError("no timer is running")
    timer, journal.timer = journal.timer, None
    return timer


class SolutionMode(StrEnum):
    """What `solve` does with a solution already written: refuse, replace it, or add to it."""

    keep = "keep"
    replace = "replace"  # type: ignore[assignment]  # shadows str.replace, on purpose: the flag's name
    append = "append"


def solve(
    journal: Journal, challenge: str, solution: str | None = None, *, mode: SolutionMode = SolutionMode.keep
) -> tuple[Challenge, str]:
    """Mark a challenge resolved, recording how it was solved; return it and what was done.

    What was done is "resolved", "replaced", "appended" or "unchanged". A
    solution already written is never dropped without `mode` saying so.
    """
    target = resolve(journal, challenge, ["challenge"])
    assert isinstance(target, Challenge)
    new = (solution or "").strip()
    old = target.solution.strip()
    if not new and not old:
        raise InputError(
            f"say how {target.id} was solved",
            hint='pass --solution "what worked"',
        )
    was_resolved = target.status == ChallengeStatus.resolved
    if not new or new == old:
        if was_resolved:
            return target, "unchanged"
        text, done = target.solution, "resolved"
    elif not old:
        text, done = solution or "", "resolved"
    elif mode == SolutionMode.replace:
        text, done = solution or "", "replaced"
    elif mode == SolutionMode.append:
        text, done = f"{target.solution.rstrip()}\n\n{new}", "appended"
    else:
        state = "is resolved" if was_resolved else "already has a solution"
        raise InputError(
            f"{target.id} {state}; nothing was changed",
            hint="pass --replace to replace its solution, or --append to add to it",
        )
    target.solution = text
    target.status = ChallengeStatus.resolved
    if not was_resolved or target.resolved is None:
        target.resolved = clock.utcnow()
    return target, done


def set_program(journal: Journal, **fields: Any) -> Program:
    """Create or update the programme's fields."""
    current = journal.program.model_dump() if journal.program else {}
    current.update({k: v for k, v in fields.items() if v is not None})
    if not current.get("name"):
        raise InputError("the programme needs a name", hint="pass --name")
    journal.program = build(Program, **current)
    return journal.program


def update_entry(journal: Journal, entry: Entry, changes: dict[str, Any]) -> Entry:
    """Apply field changes to an entry, validated as a whole; return the new entry."""
    data = entry.model_dump()
    unknown = set(changes) - set(data)
    if unknown:
        raise InputError(f"{type(entry).__name__.lower()} has no field {sorted(unknown)[0]!r}")
    if "id" in changes and changes["id"] != entry.id:
        raise InputError("ids cannot be changed", hint="add a new entry and remove the old one")
    data.update(changes)
    for key in ("name", "title"):
        if isinstance(changes.get(key), str):
            data[key] = nfc(changes[key])
    if isinstance(entry, Topic):
        data["updated"] = clock.utcnow()
        if data.get("parent"):
            data["parent"] = resolve(journal, data["parent"], ["topic"]).id
            _check_no_cycle(journal, entry.id, data["parent"])
    if isinstance(entry, Challenge):
        _sync_challenge_status(data)
    if isinstance(entry, Session) and "topic" in changes:
        data["topic"] = resolve(journal, data["topic"], ["topic"]).id
    if isinstance(entry, (Challenge, Takeaway)) and "topics" in changes:
        data["topics"] = _topic_ids(journal, data["topics"])
    new = build(type(entry), **data)
    _replace(journal, entry, new)
    return new


def _sync_challenge_status(data: dict[str, Any]) -> None:
    try:
        status = ChallengeStatus(str(data["status"]).strip().lower())
    except ValueError:
        raise InputError(
            f"{data['status']!r} is not a challenge status", hint="use one of: open, resolved"
        ) from None
    data["status"] = status
    if status == ChallengeStatus.resolved:
        if not str(data.get("solution") or "").strip():
            raise InputError("a resolved challenge needs a solution", hint="pass --solution")
        data["resolved"] = data.get("resolved") or clock.utcnow()
    else:
        data["resolved"] = None


def _check_no_cycle(journal: Journal, topic_id: str, parent_id: str) -> None:
    if makes_loop(journal, topic_id, parent_id):
        raise InputError(f"{parent_id} cannot be the parent of {topic_id}: that makes a loop")


def _replace(journal: Journal, old: Entry, new: Entry) -> None:
    items = getattr(journal, _list_name(old))
    for index, item in enumerate(items):
        if item is old:
            items[index] = new
            return
    raise JournalError(f"{old.id} vanished while being edited")


def _list_name(entry: Entry) -> str:
    from nexus_cli.core.models import LIST_OF, kind_of

    return LIST_OF[kind_of(entry)]


@dataclass(frozen=True)
class RemovalPlan:
    """What removing an entry takes with it, or changes, beyond the entry itself."""

    sessions: int = 0
    minutes: int = 0
    subtopics: int = 0
    new_parent: str | None = None  # where the subtopics go (None: the top level)
    references: int = 0
    timer: bool = False

    def held(self) -> str:
        """Say what the topic holds that must go somewhere: its sessions and timer."""
        from nexus_cli.core.parse import format_minutes

        held = (
            [f"{_count(self.sessions, 'session')} ({format_minutes(self.minutes)})"] if self.sessions else []
        )
        return " and ".join([*held, "a running timer"] if self.timer else held)

    def parts(self, move_to: str | None = None) -> list[str]:
        """Say, phrase by phrase, what goes or changes (sessions moved to `move_to` when given)."""
        from nexus_cli.core.parse import format_minutes

        out: list[str] = []
        if self.sessions:
            what = f"{_count(self.sessions, 'session')} ({format_minutes(self.minutes)})"
            out.append(f"{what} moved to {move_to}" if move_to else f"{what} deleted")
        if self.timer:
            out.append(f"the running timer moved to {move_to}" if move_to else "the running timer discarded")
        if self.subtopics:
            where = self.new_parent or "the top level"
            out.append(f"{_count(self.subtopics, 'subtopic')} moved up to {where}")
        if self.references:
            out.append(
                f"{_count(self.references, 'challenge or takeaway', 'challenges or takeaways')}"
                + (f" pointed at {move_to}" if move_to else " no longer tagged with it")
            )
        return out


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def removal_plan(journal: Journal, entry: Entry) -> RemovalPlan:
    """Return what removing an entry also touches: sessions, timer, subtopics, references."""
    if not isinstance(entry, Topic):
        return RemovalPlan()
    sessions = [s for s in journal.sessions if s.topic == entry.id]
    noted: list[Challenge | Takeaway] = [*journal.challenges, *journal.takeaways]
    return RemovalPlan(
        sessions=len(sessions),
        minutes=sum(s.minutes for s in sessions),
        subtopics=sum(1 for t in journal.topics if t.parent == entry.id),
        new_parent=entry.parent,
        references=sum(1 for item in noted if entry.id in item.topics),
        timer=journal.timer is not None and journal.timer.topic == entry.id,
    )


def remove(journal: Journal, entry: Entry, *, move_to: str | None = None) -> None:
    """Remove an entry. A topic's sessions (and timer, and references) go with it, or
    to the topic `move_to` when given; its subtopics move up a level."""
    target: str | None = None
    if move_to is not None:
        if not isinstance(entry, Topic):
            raise InputError("only a topic's sessions can be moved", hint="drop --move-to")
        target = resolve(journal, move_to, ["topic"]).id
        if target == entry.id:
            raise InputError(f"cannot move {entry.id}'s sessions to itself", hint="name another topic")
    name = _list_name(entry)
    setattr(journal, name, [item for item in getattr(journal, name) if item is not entry])
    if not isinstance(entry, Topic):
        return
    if target is None:
        journal.sessions = [s for s in journal.sessions if s.topic != entry.id]
    else:
        for session in journal.sessions:
            if session.topic == entry.id:
                session.topic = target
    for topic in journal.topics:
        if topic.parent == entry.id:
            topic.parent = entry.parent
    noted: list[Challenge | Takeaway] = [*journal.challenges, *journal.takeaways]
    for item in noted:
        if entry.id in item.topics:
            kept = [t if t != entry.id else target for t in item.topics]
            item.topics = list(dict.fromkeys(t for t in kept if t is not None))
    if journal.timer and journal.timer.topic == entry.id:
        if target is None:
            journal.timer = None
        else:
            journal.timer.topic = target


def replace_entry(journal: Journal, entry: Entry, data: dict[str, Any]) -> Entry:
    """Replace an entry's fields with `data` (as edited by hand); absent fields reset."""
    model = type(entry)
    changes: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in data:
            changes[name] = data[name]
        elif name in ("id", "created", "updated", "opened"):
            continue
        elif info.is_required():
            raise InputError(f"{name} is required; it was removed from the entry")
        else:
            changes[name] = info.get_default(call_default_factory=True)
    unknown = set(data) - set(model.model_fields)
    if unknown:
        raise InputError(f"{model.__name__.lower()} has no field {sorted(unknown)[0]!r}")
    return update_entry(journal, entry, changes)


def timer_minutes(timer: Timer, now: dt.datetime) -> int:
    """Return the whole minutes a running timer has run so far."""
    return max(0, int((now - timer.started.astimezone(now.tzinfo)).total_seconds() // 60))


def timer_record(timer: Timer, now: dt.datetime) -> dict[str, object]:
    """Return the running timer as `--format json` shows it."""
    return {
        "topic": timer.topic,
        "started": timer.started.isoformat(),
        "minutes": timer_minutes(timer, now),
        "note": timer.note,
        "host": timer.host,
    }


def rename(journal: Journal, entry: Entry, new_id: str) -> Entry:
    """Give an entry a new id and make every reference to it follow (one change, one write).

    A topic's id is referred to by its sessions, subtopics, challenges,
    takeaways and the running timer; all of them change with it.
    """
    from nexus_cli.core.ids import slugify
    from nexus_cli.core.models import kind_of

    wanted = (new_id or "").strip()
    if isinstance(entry, Session):
        raise InputError("a session's id comes from its date and cannot be changed")
    if wanted == entry.id:
        raise InputError(f"{entry.id} already has that id")
    if not wanted or slugify(wanted) != wanted:
        raise InputError(
            f"{wanted!r} is not an id",
            hint=f"ids are lower-case letters, digits and dashes, e.g. {slugify(wanted)}",
        )
    if wanted in PROGRAMME_IDS:
        raise InputError(
            f"{wanted!r} is reserved", hint="`nexus edit program` means the programme; pick another id"
        )
    taken = {e.id: e for e in _all_entries(journal)}
    if wanted in taken:
        raise InputError(
            f"{wanted!r} is already the id of a {kind_of(taken[wanted])}", hint="pick another id"
        )
    old = entry.id
    new = entry.model_copy(update={"id": wanted})
    _replace(journal, entry, new)
    if isinstance(entry, Topic):
        journal.topics = [
            t.model_copy(update={"parent": wanted}) if t.parent == old else t for t in journal.topics
        ]
        journal.sessions = [
            s.model_copy(update={"topic": wanted}) if s.topic == old else s for s in journal.sessions
        ]
        for kind in ("challenges", "takeaways"):
            items = getattr(journal, kind)
            setattr(
                journal,
                kind,
                [
                    i.model_copy(update={"topics": [wanted if t == old else t for t in i.topics]})
                    for i in items
                ],
            )
        if journal.timer is not None and journal.timer.topic == old:
            journal.timer = journal.timer.model_copy(update={"topic": wanted})
        new = next(t for t in journal.topics if t.id == wanted)
    return new


def _all_entries(journal: Journal) -> list[Entry]:
    return [*journal.topics, *journal.challenges, *journal.takeaways, *journal.sessions]
