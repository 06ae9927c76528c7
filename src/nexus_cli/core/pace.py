"""Goals and pace: hours still needed, recent pace, projected finish vs the programme's end.

A topic's hours include its subtopics, as its target does. Pace is the hours
logged per week over the last four weeks (fewer if the programme started more
recently, but never less than one week, so one good day is not a trend). The
projected finish is today plus the hours still needed at that pace. A goal is
behind when that date falls after the programme's end, or when there is no
pace at all and hours are still needed.

Overall, the hours still needed are the sum over the outermost topics with a
target (a subtopic's own target is part of its parent's), and the pace is the
study logged towards those goals that are not met yet: hours on topics without
a target, or beyond a met target, do not bring the rest any closer.

Once the programme's end has passed, a goal not met is `missed`, not behind:
there is no pace left to keep.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from nexus_cli.core.models import Journal, Topic
from nexus_cli.core.queries import ancestors, minutes_by_topic, topic_order
from nexus_cli.core.stats import Stats, subtree_minutes

WINDOW_DAYS = 28
MIN_WINDOW_DAYS = 7


@dataclass(frozen=True)
class Pace:
    """One goal's standing: a topic's, or the whole programme's (`topic_id` None)."""

    topic_id: str | None
    name: str
    target_hours: float
    done_hours: float
    recent_hours: float  # logged within the window
    window_days: int
    end: dt.date | None
    today: dt.date
    outermost: bool = False  # no ancestor of the topic has a target of its own

    @property
    def remaining_hours(self) -> float:
        return max(0.0, round(self.target_hours - self.done_hours, 2))

    @property
    def per_week(self) -> float:
        """Return hours per week over the window."""
        return round(self.recent_hours * 7 / self.window_days, 2)

    @property
    def done(self) -> bool:
        return self.remaining_hours <= 0

    @property
    def projected(self) -> dt.date | None:
        """Return when the goal is met at the current pace (None: never at zero pace)."""
        if self.done:
            return self.today
        if self.per_week <= 0:
            return None
        return self.today + dt.timedelta(days=math.ceil(self.remaining_hours / self.per_week * 7))

    @property
    def needed_per_week(self) -> float | None:
        """Return the hours per week that would finish by the end date (None without one)."""
        if self.end is None or self.done:
            return None
        days_left = (self.end - self.today).days
        if days_left <= 0:
            return None
        return round(self.remaining_hours / days_left * 7, 2)

    @property
    def ended(self) -> bool:
        """Return whether the programme's end date has passed."""
        return self.end is not None and self.today > self.end

    @property
    def missed(self) -> bool:
        """Return whether the programme has ended with this goal not met."""
        return self.ended and not self.done

    @property
    def behind(self) -> bool:
        """Return whether the goal will not be met by the programme's end at this pace."""
        if self.done or self.end is None or self.ended:
            return False
        projected = self.projected
        return projected is None or projected > self.end

    def to_dict(self) -> dict[str, object]:
        """Return the figures as JSON-ready data."""
        projected = self.projected
        return {
            "topic": self.topic_id,
            "name": self.name,
            "target_hours": self.target_hours,
            "done_hours": self.done_hours,
            "remaining_hours": self.remaining_hours,
            "hours_per_week": self.per_week,
            "needed_per_week": self.needed_per_week,
            "projected": projected.isoformat() if projected else None,
            "end": self.end.isoformat() if self.end else None,
            "behind": self.behind,
            "missed": self.missed,
        }


@dataclass(frozen=True)
class PaceSummary:
    """Every goal's pace, and the programme's overall."""

    today: dt.date
    end: dt.date | None
    window_days: int
    topics: list[Pace]
    overall: Pace | None  # None when no topic has a target

    @property
    def behind(self) -> list[Pace]:
        return [p for p in self.topics if p.behind]

    def to_dict(self) -> dict[str, object]:
        """Return the summary as JSON-ready data."""
        return {
            "today": self.today.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "window_days": self.window_days,
            "overall": self.overall.to_dict() if self.overall else None,
            "topics": [p.to_dict() for p in self.topics],
        }


def window_days(journal: Journal, today: dt.date) -> int:
    """Return how many days of recent study the pace is measured over."""
    first = journal.program.start if journal.program and journal.program.start else None
    if first is None and journal.sessions:
        first = min(session.date for session in journal.sessions)
    if first is None:
        return WINDOW_DAYS
    elapsed = (today - first).days + 1
    return max(MIN_WINDOW_DAYS, min(WINDOW_DAYS, elapsed))


def summarize(journal: Journal, today: dt.date, *, known: Stats | None = None) -> PaceSummary:
    """Return the pace of every topic with a target, and overall.

    `known` is the journal's numbers when the caller has them already (`stats.compute`
    of the same journal): its totals and topic order are used rather than found again.
    """
    days = window_days(journal, today)
    since = today - dt.timedelta(days=days - 1)
    end = journal.program.end if journal.program else None
    total = known.own_minutes if known is not None else minutes_by_topic(journal)
    recent: dict[str, int] = {}
    for session in journal.sessions:
        if since <= session.date <= today:
            recent[session.topic] = recent.get(session.topic, 0) + session.minutes
    parents = {t.id: t.parent for t in journal.topics}
    targeted = {t.id for t in journal.topics if t.target_hours}
    done = known.subtree_minutes if known is not None else subtree_minutes(journal, total)
    done_recently = subtree_minutes(journal, recent)

    def pace_of(topic: Topic) -> Pace:
        return Pace(
            topic_id=topic.id,
            name=topic.name,
            target_hours=float(topic.target_hours or 0),
            done_hours=round(done.get(topic.id, 0) / 60, 2),
            recent_hours=round(done_recently.get(topic.id, 0) / 60, 2),
            window_days=days,
            end=end,
            today=today,
            outermost=not _has_targeted_ancestor(topic.id, parents, targeted),
        )

    order = known.topics if known is not None else topic_order(journal)
    topics = [pace_of(t) for t in order if t.id in targeted]
    outermost = [p for p in topics if p.outermost]
    overall = None
    if outermost:
        name = journal.program.name if journal.program else "All goals"
        target = sum(p.target_hours for p in outermost)
        overall = Pace(
            topic_id=None,
            name=name,
            target_hours=round(target, 2),
            # Hours beyond a met target do not count towards the others.
            done_hours=round(target - sum(p.remaining_hours for p in outermost), 2),
            recent_hours=round(sum(p.recent_hours for p in outermost if not p.done), 2),
            window_days=days,
            end=end,
            today=today,
        )
    return PaceSummary(today=today, end=end, window_days=days, topics=topics, overall=overall)


def _has_targeted_ancestor(topic_id: str, parents: dict[str, str | None], targeted: set[str]) -> bool:
    return any(ancestor in targeted for ancestor in ancestors(topic_id, parents))
