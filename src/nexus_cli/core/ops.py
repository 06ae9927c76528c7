"""Changes to a journal: add, log, solve, edit, remove. Pure functions on models."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from nexus_cli.core import clock
from nexus_cli.core.errors import InputError, JournalError, describe_validation
from nexus_cli.core.ids import all_ids, new_session_id, resolve, unique_slug
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
)


def _build(model: type, **fields: Any) -> Any:
    """Build a model, turning validation errors into one clear InputError."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise InputError(describe_validation(exc, model.__name__.lower())) from None


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
) -> Topic:
    """Add a topic and return it."""
    parent_id = resolve(journal, parent, ["topic"]).id if parent else None
    now = clock.utcnow()
    topic = _build(
        Topic,
        id=unique_slug(name, all_ids(journal)),
        name=name.strip(),
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
    """Add a challenge; one given with a solution is recorded as resolved."""
    now = clock.utcnow()
    solved = bool(solution.strip())
    challenge = _build(
        Challenge,
        id=unique_slug(title, all_ids(journal)),
        title=title.strip(),
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
    takeaway = _build(
        Takeaway,
        id=unique_slug(title, all_ids(journal)),
        title=title.strip(),
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
    resource = _build(Resource, url=url, title=title.strip())
    target.resources = [*target.resources, resource]
    target.updated = clock.utcnow()
    return target, resource


def _session_key(session: Session) -> tuple[dt.date, dt.time, str]:
    return (session.date, session.start or dt.time.min, session.id)


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
    session = _build(
        Session,
        id=new_session_id(day, (s.id for s in journal.sessions)),
        topic=target.id,
        date=day,
        start=start,
        minutes=minutes,
        note=note,
    )
    keys = [_session_key(s) for s in journal.sessions]
    journal.sessions.insert(bisect.bisect_right(keys, _session_key(session)), session)
    if isinstance(target, Topic) and target.status == Status.planned:
        target.status = Status.learning
        target.updated = clock.utcnow()
    return session


def start_timer(journal: Journal, topic: str, *, note: str = "", at: dt.datetime | None = None) -> Timer:
    """Start timing a session (now, or at a past moment); only one can run at a time."""
    if journal.timer is not None:
        raise InputError(
            f"a timer is already running for {journal.timer.topic}",
            hint="stop it with `nexus stop` first",
        )
    target = resolve(journal, topic, ["topic"])
    started = at.astimezone(dt.UTC).replace(microsecond=0) if at is not None else clock.utcnow()
    journal.timer = _build(Timer, topic=target.id, started=started, note=note)
    return journal.timer


def stop_timer(journal: Journal, *, note: str | None = None, at: dt.datetime | None = None) -> Session:
    """Stop the running timer (now, or at a past moment) and log its time as a session."""
    timer = journal.timer
    if timer is None:
        raise InputError("no timer is running", hint="start one with `nexus start TOPIC`")
    now = clock.now()
    started_local = timer.started.astimezone(now.tzinfo)
    end = at.astimezone(now.tzinfo) if at is not None else now
    if end <= started_local:
        raise InputError(
            f"the timer started at {started_local:%Y-%m-%d %H:%M}, after {end:%Y-%m-%d %H:%M}",
            hint="give a later --at, or `nexus stop --cancel`",
        )
    elapsed = (end - started_local).total_seconds() / 60
    if elapsed < 1:
        raise InputError(
            "the timer ran for less than a minute", hint="keep studying, or `nexus stop --cancel`"
        )
    minutes = min(round(elapsed), 24 * 60)
    text = " ".join(part for part in (timer.note, note or "") if part)
    session = log_session(
        journal,
        timer.topic,
        minutes,
        day=started_local.date(),
        start=started_local.time().replace(tzinfo=None),
        note=text,
    )
    journal.timer = None
    return session


def cancel_timer(journal: Journal) -> Timer:
    """Discard the running timer without logging it."""
    if journal.timer is None:
        raise InputError("no timer is running")
    timer, journal.timer = journal.timer, None
    return timer


def solve(journal: Journal, challenge: str, solution: str | None = None) -> Challenge:
    """Mark a challenge resolved, recording how it was solved."""
    target = resolve(journal, challenge, ["challenge"])
    assert isinstance(target, Challenge)
    text = (solution or "").strip() or target.solution.strip()
    if not text:
        raise InputError(
            f"say how {target.id} was solved",
            hint='pass --solution "what worked"',
        )
    target.solution = solution if solution and solution.strip() else target.solution
    target.status = ChallengeStatus.resolved
    target.resolved = clock.utcnow()
    return target


def set_program(journal: Journal, **fields: Any) -> Program:
    """Create or update the programme's fields."""
    current = journal.program.model_dump() if journal.program else {}
    current.update({k: v for k, v in fields.items() if v is not None})
    if not current.get("name"):
        raise InputError("the programme needs a name", hint="pass --name")
    journal.program = _build(Program, **current)
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
    new = _build(type(entry), **data)
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
    parents = {t.id: t.parent for t in journal.topics}
    seen, current = {topic_id}, parent_id
    while current:
        if current in seen:
            raise InputError(f"{parent_id} cannot be the parent of {topic_id}: that makes a loop")
        seen.add(current)
        current = parents.get(current)


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


def removal_plan(journal: Journal, entry: Entry) -> dict[str, int]:
    """Return what removing an entry also touches: sessions, subtopics, references."""
    if not isinstance(entry, Topic):
        return {}
    return {
        "sessions": sum(1 for s in journal.sessions if s.topic == entry.id),
        "subtopics": sum(1 for t in journal.topics if t.parent == entry.id),
        "references": sum(1 for item in [*journal.challenges, *journal.takeaways] if entry.id in item.topics),
    }


def remove(journal: Journal, entry: Entry) -> None:
    """Remove an entry. A topic takes its sessions with it; subtopics move up a level."""
    name = _list_name(entry)
    setattr(journal, name, [item for item in getattr(journal, name) if item is not entry])
    if not isinstance(entry, Topic):
        return
    journal.sessions = [s for s in journal.sessions if s.topic != entry.id]
    for topic in journal.topics:
        if topic.parent == entry.id:
            topic.parent = entry.parent
    for item in [*journal.challenges, *journal.takeaways]:
        if entry.id in item.topics:
            item.topics = [t for t in item.topics if t != entry.id]
    if journal.timer and journal.timer.topic == entry.id:
        journal.timer = None


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


RESERVED_IDS = frozenset({"program", "programme"})  # `nexus edit program` means the programme


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
    if wanted in RESERVED_IDS:
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
