"""Parse what people type: durations, dates, relative days."""

from __future__ import annotations

import datetime as dt
import math
import re

from nexus_cli.core import clock
from nexus_cli.core.errors import InputError

MAX_SESSION_MINUTES = 24 * 60
MAX_TARGET_HOURS = 10_000

_DURATION = re.compile(
    r"""^\s*(?:
        (?P<hours_dec>\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?\s*$            # 1.5h, 2h, 2 hours
      | (?:(?P<hours>\d+)\s*h(?:ours?|rs?)?)?\s*                       # 1h30m, 1h 30m
        (?:(?P<minutes>\d+)\s*m(?:in(?:utes?|s)?)?)?\s*$
      | (?P<bare>\d+(?:\.\d*)?)\s*$                                    # 90 or 1.5: which unit?
      | (?P<clock>\d+):(?P<clock_min>[0-5]\d)\s*$                      # 1:30
    )""",
    re.VERBOSE | re.IGNORECASE,
)

_RELATIVE = re.compile(r"^-?(?P<n>\d+)\s*(?P<unit>[dw])$", re.IGNORECASE)
DURATION_HINT = "write it like 90m, 1h30m, 1.5h or 2h"


def parse_duration(text: str, *, max_minutes: int = MAX_SESSION_MINUTES, what: str = "duration") -> int:
    """Return whole minutes for `90m`, `1h30m`, `1.5h`, `2h` or `1:30`.

    A bare number is refused: `90` could be minutes or hours, and a wrong guess
    logs a day's study as an hour and a half, or the other way round.
    """
    if len(text or "") > 40:  # nobody types a longer duration; int() of 5,000 digits is slow
        raise InputError(f"that {what} is too long to be one", hint=DURATION_HINT)
    if (text or "").strip().startswith("-"):
        raise InputError(f"{what} {text!r} is negative", hint=DURATION_HINT)
    match = _DURATION.match(text or "")
    if not match or not any(match.groupdict().values()):
        raise InputError(f"cannot read {what} {text!r}", hint=DURATION_HINT)
    parts = match.groupdict()
    if parts["bare"] is not None:
        raise InputError(f"{what} {text!r} has no unit", hint=_unit_hint(parts["bare"].rstrip("."), what))
    if parts["hours_dec"] is not None:
        minutes_f = float(parts["hours_dec"]) * 60
    elif parts["clock"] is not None:
        minutes_f = int(parts["clock"]) * 60 + int(parts["clock_min"])
    else:
        if parts["hours"] is not None and parts["minutes"] is not None and int(parts["minutes"]) >= 60:
            raise InputError(
                f"{what} {text!r} has {parts['minutes']} minutes after the hours",
                hint="write the minutes below 60: 2h30m, not 1h90m",
            )
        minutes_f = int(parts["hours"] or 0) * 60 + int(parts["minutes"] or 0)
    if not math.isfinite(minutes_f):
        raise InputError(f"cannot read {what} {text!r}", hint=DURATION_HINT)
    minutes = round(minutes_f)
    if minutes < 1:
        raise InputError(f"{what} {text!r} is less than a minute", hint="give at least 1m")
    if minutes > max_minutes:
        hint = "split it into sessions on different days" if what == "duration" else "aim lower"
        raise InputError(f"{what} {text!r} is longer than {format_minutes(max_minutes)}", hint=hint)
    return minutes


def _unit_hint(number: str, what: str) -> str:
    """Say how to write a bare number with its unit: `90` -> 90m or 1h30m; a target is hours."""
    if what == "target":
        return f"add a unit: {number}h"
    if "." in number:
        return f"add a unit: {number}h or {format_minutes(float(number) * 60)}"
    whole = int(number)
    if whole >= 60:
        return f"add a unit: {whole}m or {format_minutes(whole)}"
    return f"add a unit: {whole}m or {whole}h"


def parse_hours(text: str) -> float:
    """Return hours for a target such as `20h`, `1.5h`, `1h30m` or `90m` (the same words as a duration)."""
    minutes = parse_duration(text, max_minutes=MAX_TARGET_HOURS * 60, what="target")
    return round(minutes / 60, 2)


def format_minutes(minutes: int | float) -> str:
    """Return minutes as `1h30m`, `45m` or `2h`."""
    minutes = round(minutes)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    if hours:
        return f"{hours}h"
    return f"{rest}m"


def parse_date(text: str, *, today: dt.date, allow_future: bool = False) -> dt.date:
    """Return a date for ISO `2026-11-28`, `today`, `yesterday`, `-3d`, `3d` or `2w`."""
    value = (text or "").strip().lower()
    if value == "today":
        day = today
    elif value == "yesterday":
        day = today - dt.timedelta(days=1)
    elif match := _RELATIVE.match(value):
        count = int(match["n"]) * (7 if match["unit"] == "w" else 1)
        if count > 100 * 366:
            raise InputError(f"date {text!r} is too far back")
        day = today - dt.timedelta(days=count)
    else:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise InputError(
                f"cannot read date {text!r}",
                hint="use YYYY-MM-DD, today, yesterday or -3d (three days ago)",
            ) from None
    if day.year < 1970:
        raise InputError(f"date {text!r} is before 1970")
    if not allow_future and day > today:
        raise InputError(f"date {text!r} is in the future", hint="log what you studied, not plans")
    return day


_CLOCK_TIME = re.compile(r"^(?:(?P<day>today|yesterday|\d{4}-\d{2}-\d{2})[ t])?(?P<h>\d{1,2}):(?P<m>\d{2})$")
MOMENT_HINT = "use HH:MM (today), yesterday HH:MM, YYYY-MM-DD HH:MM or 20m ago"


def parse_moment(text: str, *, now: dt.datetime) -> dt.datetime:
    """Return the moment meant by `18:30`, `yesterday 18:30`, `2026-11-27 18:30` or `20m ago`.

    The result is aware and never in the future: these are the times a timer was
    started or stopped. A wall-clock time takes the offset in force at that
    moment (not now's, across a daylight-saving change).
    """
    value = " ".join((text or "").strip().lower().split())
    if len(value) > 40:
        raise InputError(f"cannot read time {value[:40]!r}…", hint=MOMENT_HINT)
    if value.endswith(" ago") or value.startswith("-"):
        minutes = parse_duration(value.removesuffix(" ago").lstrip("-"), max_minutes=7 * 24 * 60, what="time")
        return now - dt.timedelta(minutes=minutes)
    match = _CLOCK_TIME.match(value)
    if match is None:
        try:
            moment = dt.datetime.fromisoformat(value.upper())
        except ValueError:
            raise InputError(f"cannot read time {text!r}", hint=MOMENT_HINT) from None
    else:
        day = match["day"] or "today"
        date = parse_date(day, today=now.date(), allow_future=True)
        hour, minute = int(match["h"]), int(match["m"])
        if hour > 23 or minute > 59:
            raise InputError(f"cannot read time {text!r}", hint=MOMENT_HINT)
        moment = dt.datetime.combine(date, dt.time(hour, minute))
    moment = clock.aware(moment)  # a local wall-clock time, with the offset in force at that moment
    if moment > now:
        raise InputError(f"{text!r} is in the future", hint=f"it is {now:%H:%M} now; {MOMENT_HINT}")
    return moment
