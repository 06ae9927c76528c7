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
      | (?P<bare>\d+)\s*$                                              # 90 (minutes)
      | (?P<clock>\d+):(?P<clock_min>[0-5]\d)\s*$                      # 1:30
    )""",
    re.VERBOSE | re.IGNORECASE,
)

_RELATIVE = re.compile(r"^-?(?P<n>\d+)\s*(?P<unit>[dw])$", re.IGNORECASE)


def parse_duration(text: str, *, max_minutes: int = MAX_SESSION_MINUTES) -> int:
    """Return whole minutes for `90m`, `1h30m`, `1.5h`, `2h`, `1:30` or `90`."""
    if len(text or "") > 40:  # nobody types a longer duration; int() of 5,000 digits is slow
        raise InputError("that duration is too long to be one", hint="write it like 90m, 1h30m, 1.5h or 2h")
    if (text or "").strip().startswith("-"):
        raise InputError(f"duration {text!r} is negative", hint="write it like 90m, 1h30m, 1.5h or 2h")
    match = _DURATION.match(text or "")
    if not match or not any(match.groupdict().values()):
        raise InputError(
            f"cannot read duration {text!r}",
            hint="write it like 90m, 1h30m, 1.5h or 2h",
        )
    parts = match.groupdict()
    if parts["hours_dec"] is not None:
        minutes_f = float(parts["hours_dec"]) * 60
    elif parts["bare"] is not None:
        minutes_f = float(parts["bare"])
    elif parts["clock"] is not None:
        minutes_f = int(parts["clock"]) * 60 + int(parts["clock_min"])
    else:
        minutes_f = int(parts["hours"] or 0) * 60 + int(parts["minutes"] or 0)
    if not math.isfinite(minutes_f):
        raise InputError(f"cannot read duration {text!r}", hint="write it like 90m or 1h30m")
    minutes = round(minutes_f)
    if minutes < 1:
        raise InputError(f"duration {text!r} is less than a minute", hint="log at least 1m")
    if minutes > max_minutes:
        raise InputError(
            f"duration {text!r} is longer than {format_minutes(max_minutes)}",
            hint="split it into several sessions on different days",
        )
    return minutes


def parse_hours(text: str) -> float:
    """Return hours for a target such as `20h`, `20`, `1h30m` or `90m`."""
    stripped = (text or "").strip().lower()
    try:
        value = float(stripped)
    except ValueError:
        value = parse_duration(stripped, max_minutes=MAX_TARGET_HOURS * 60) / 60
    if not math.isfinite(value) or value <= 0 or value > MAX_TARGET_HOURS:
        raise InputError(
            f"target {text!r} is out of range",
            hint=f"give a number of hours between 0 and {MAX_TARGET_HOURS}, like 20h",
        )
    return round(value, 2)


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


def parse_moment(text: str, *, now: dt.datetime) -> dt.datetime:
    """Return a past local moment for `HH:MM` (today) or `YYYY-MM-DD HH:MM`, aware like `now`."""
    value = (text or "").strip()
    if len(value) > 40:
        raise InputError(f"cannot read time {value[:40]!r}…")
    try:
        if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", value):
            moment = dt.datetime.combine(
                now.date(), dt.time.fromisoformat(value.zfill(5 if len(value) < 6 else 8))
            )
        else:
            moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"cannot read time {text!r}", hint="use HH:MM (today) or YYYY-MM-DD HH:MM") from None
    moment = clock.aware(moment)  # a local wall-clock time, with the offset in force at that moment
    if moment > now:
        raise InputError(f"{text!r} is in the future", hint=f"it is {now:%Y-%m-%d %H:%M} now")
    return moment
