"""Today's and this week's study: what `nexus today` shows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from nexus_cli.core.models import Journal, Session


@dataclass(frozen=True)
class Day:
    """The study of today and of the week it is in."""

    today: dt.date
    sessions: list[Session]  # today's, in the order they were studied
    week_minutes: int
    week_days: int  # days of this week with some study
    week_topics: Counter[str] = field(default_factory=Counter)  # topic id -> minutes this week

    @property
    def minutes(self) -> int:
        return sum(session.minutes for session in self.sessions)


def today_of(journal: Journal, today: dt.date) -> Day:
    """Return today's sessions and this week's totals (the week starts on Monday)."""
    monday = today - dt.timedelta(days=today.weekday())
    week = [s for s in journal.sessions if monday <= s.date <= today]
    # by start time where known; ids carry no order, so then by topic
    sessions = sorted(
        (s for s in week if s.date == today), key=lambda s: (s.start is None, s.start or dt.time(), s.topic)
    )
    topics: Counter[str] = Counter()
    for session in week:
        topics[session.topic] += session.minutes
    return Day(
        today=today,
        sessions=sessions,
        week_minutes=sum(topics.values()),
        week_days=len({s.date for s in week}),
        week_topics=topics,
    )
