"""The journal model: what one learner's journal file holds."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from nexus_cli.core.errors import InputError, describe_validation
from nexus_cli.core.shape import DAY_MINUTES
from nexus_cli.core.shape import MAX_TAGS as MAX_TAGS  # imported from here too
from nexus_cli.core.shape import MAX_TEXT as MAX_TEXT
from nexus_cli.core.shape import MAX_TITLE as MAX_TITLE
from nexus_cli.core.shape import SCHEMA_VERSION as SCHEMA_VERSION

Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$"),
]
Title = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TITLE)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[^\s,]+$")]
# Strict: `minutes = true` or `"60"` is not a number of minutes (lax validation took the
# first for 1), and the JSON Schema of `nexus schema` says the same.
Minutes = Annotated[StrictInt, Field(ge=1, le=DAY_MINUTES)]


def _no_number(kind: str) -> BeforeValidator:
    """Refuse a number (or digits as text) where a date or time belongs.

    Lax validation reads `date = 1764460800` as a Unix time, which neither the
    JSON Schema nor a person means; a date and time where a date belongs is
    refused too. Text and the TOML types themselves go on to the usual parsing.
    """

    def check(value: object) -> object:
        # It runs for every date and time of a journal: what nexus writes and TOML gives
        # is let through first (ISO text starts with 4 digits and `-`, or 2 and `:`).
        kind_of_value = type(value)
        if kind_of_value is dt.date or kind_of_value is dt.time:
            return value
        if isinstance(value, str) and (
            (value[4:5] == "-" and value[:4].isdigit()) or (value[2:3] == ":" and value[:2].isdigit())
        ):
            return value
        if isinstance(value, int | float) or (
            isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit()
        ):
            raise PydanticCustomError(f"{kind}_type", f"Input should be a valid {kind}, not a number")
        if kind == "date" and isinstance(value, dt.datetime):
            raise PydanticCustomError("date_type", "Input should be a date, not a date and time")
        return value

    return BeforeValidator(check)


Date = Annotated[dt.date, _no_number("date")]
TimeOfDay = Annotated[dt.time, _no_number("time")]


def _aware(value: dt.datetime) -> dt.datetime:
    offset = value.utcoffset()
    if offset is None:
        raise ValueError("timestamp needs a time zone, e.g. 2026-11-28T10:00:00Z")
    if not offset:  # already UTC, as nexus writes them: kept as it is (this runs per entry)
        return value.replace(microsecond=0) if value.microsecond else value
    return value.astimezone(dt.UTC).replace(microsecond=0)


Timestamp = Annotated[dt.datetime, _no_number("datetime"), AfterValidator(_aware)]


class Status(StrEnum):
    """How well a topic is known, in the order a learner moves through it."""

    planned = "planned"
    learning = "learning"
    practicing = "practicing"
    confident = "confident"


class ChallengeStatus(StrEnum):
    open = "open"
    resolved = "resolved"


class Grade(StrEnum):
    """How well a reviewed item was remembered, worst to best."""

    again = "again"
    hard = "hard"
    good = "good"
    easy = "easy"


class Strict(BaseModel):
    # Unknown keys are an error, never dropped: a journal written by a newer
    # nexus must not lose fields when an older one saves it.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class Program(Strict):
    name: Title
    description: Text = ""
    start: Date | None = None
    end: Date | None = None


class Resource(Strict):
    url: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    title: Annotated[str, StringConstraints(max_length=MAX_TITLE)] = ""
    done: StrictBool = False


class Review(Strict):
    """One review of a topic or takeaway: the schedule is computed from these alone."""

    date: Date
    grade: Grade


Reviews = Annotated[list[Review], Field(max_length=10_000)]


class Topic(Strict):
    id: Id
    name: Title
    category: Annotated[str, StringConstraints(min_length=1, max_length=60)] = "technology"
    parent: Id | None = None
    status: Status = Status.planned
    notes: Text = ""
    tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] = []
    target_hours: Annotated[StrictFloat, Field(gt=0, le=10_000)] | None = None
    resources: Annotated[list[Resource], Field(max_length=500)] = []
    created: Timestamp
    updated: Timestamp
    reviews: Reviews = []


class Challenge(Strict):
    id: Id
    title: Title
    topics: Annotated[list[Id], Field(max_length=MAX_TAGS)] = []
    problem: Text = ""
    solution: Text = ""
    status: ChallengeStatus = ChallengeStatus.open
    tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] = []
    opened: Timestamp
    resolved: Timestamp | None = None


class Takeaway(Strict):
    id: Id
    title: Title
    text: Text = ""
    topics: Annotated[list[Id], Field(max_length=MAX_TAGS)] = []
    tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] = []
    created: Timestamp
    reviews: Reviews = []


class Session(Strict):
    id: Id
    topic: Id
    date: Date
    start: TimeOfDay | None = None
    minutes: Minutes
    note: Text = ""
    # The id of the timer this session was stopped from: a timer synced to two
    # machines and stopped on both is still one session when they merge.
    timer: Id | None = None


HostName = Annotated[str, StringConstraints(max_length=255)]


class Timer(Strict):
    """A session in progress, started with `nexus start`."""

    topic: Id
    started: Timestamp
    note: Text = ""
    id: Id | None = None  # set by `nexus start`; older journals have none
    host: HostName = ""  # the machine it was started on


class Journal(Strict):
    # A newer version is read (read-only) when its entries fit this model; a file that
    # says so is still not valid for this nexus, hence `const` in the JSON Schema.
    schema_version: Annotated[StrictInt, Field(ge=1, json_schema_extra={"const": SCHEMA_VERSION})] = (
        SCHEMA_VERSION
    )
    program: Program | None = None
    timer: Timer | None = None
    topics: list[Topic] = []
    challenges: list[Challenge] = []
    takeaways: list[Takeaway] = []
    sessions: list[Session] = []


Entry = Topic | Challenge | Takeaway | Session
Kind = Literal["topic", "challenge", "takeaway", "session"]

KIND_OF: dict[type, Kind] = {
    Topic: "topic",
    Challenge: "challenge",
    Takeaway: "takeaway",
    Session: "session",
}
LIST_OF: dict[Kind, str] = {
    "topic": "topics",
    "challenge": "challenges",
    "takeaway": "takeaways",
    "session": "sessions",
}


def kind_of(entry: Entry) -> Kind:
    """Return the kind name of an entry."""
    return KIND_OF[type(entry)]


def label_of(entry: Entry) -> str:
    """Return the human name of an entry: a topic's name, a challenge's title."""
    if isinstance(entry, Topic):
        return entry.name
    if isinstance(entry, Session):
        return f"{entry.topic} on {entry.date.isoformat()}"
    return entry.title


M = TypeVar("M", bound=BaseModel)


def session_key(session: Session) -> tuple[dt.date, dt.time, str]:
    """Return the key sessions are kept in: by date, then start (untimed first), then id."""
    return (session.date, session.start or dt.time.min, session.id)


def build(model: type[M], source: str = "", /, **fields: Any) -> M:
    """Build an entry from what the user gave, or raise one InputError saying what is wrong.

    `source` names where the values came from, e.g. "README" for an import.
    """
    try:
        return model(**fields)
    except ValidationError as exc:
        raise InputError(describe_validation(exc, f"{source} {model.__name__.lower()}".strip())) from None
