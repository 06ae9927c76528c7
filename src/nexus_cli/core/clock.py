"""The current time, in one place so that tests and golden files can fix it.

`NEXUS_NOW` (an ISO datetime, e.g. `2026-11-28T18:00:00`) pins "now" for every
command; it exists for tests and reproducible screenshots.
"""

from __future__ import annotations

import datetime as dt
import os


def now() -> dt.datetime:
    """Return the current local time, aware, to the second."""
    fixed = os.environ.get("NEXUS_NOW")
    if fixed:
        value = dt.datetime.fromisoformat(fixed)
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.replace(microsecond=0)
    return dt.datetime.now().astimezone().replace(microsecond=0)


def utcnow() -> dt.datetime:
    """Return now in UTC, the form timestamps are stored in."""
    return now().astimezone(dt.UTC)


def today() -> dt.date:
    """Return today's local date."""
    return now().date()


def local(instant: dt.datetime) -> dt.datetime:
    """Return an instant as local wall-clock time, with the offset that held at that instant.

    Across a daylight-saving change the offset of a past instant differs from
    today's: 20:30 UTC on the Saturday before the spring change is 21:30 in
    Berlin, not 22:30. The system's time zone decides; when "now" is pinned
    (`NEXUS_NOW`) at an offset the system zone does not have then, that fixed
    offset is used, so that pinned runs agree with themselves.
    """
    current = now()
    if _system_zone_agrees(current):
        return instant.astimezone()
    return instant.astimezone(current.tzinfo)


def aware(wall: dt.datetime) -> dt.datetime:
    """Return a naive local wall-clock time as an instant, with the offset in force then.

    The reverse of `local`, by the same rule: the system zone, unless "now" is
    pinned at an offset that zone does not have.
    """
    if wall.tzinfo is not None:
        return wall
    current = now()
    return wall.astimezone() if _system_zone_agrees(current) else wall.replace(tzinfo=current.tzinfo)


def _system_zone_agrees(current: dt.datetime) -> bool:
    return current.astimezone().utcoffset() == current.utcoffset()
