"""Numbers about a journal: totals, weeks, streaks, counts. Pure functions of a journal and a day.

Every function here walks the sessions once (or not at all), so a journal of
tens of thousands of sessions costs milliseconds. Weeks start on Monday (ISO).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nexus_cli.core.models import ChallengeStatus, Journal, Status, Topic
from nexus_cli.core.queries import ancestors, minutes_by_topic, topic_order

# Minutes at which a heatmap day moves up one shade when there are too few days to
# measure the learner's own rhythm: none, <30m, <1h, <2h, 2h+.
HEAT_LEVELS: tuple[int, ...] = (1, 30, 60, 120)
HEAT_STEP = 15
MIN_HEATMAP_WEEKS = 12


def week_start(day: dt.date) -> dt.date:
    """Return the Monday of the week `day` is in."""
    return day - dt.timedelta(days=day.weekday())


def daily_minutes(journal: Journal) -> dict[dt.date, int]:
    """Return minutes studied on each day that has a session."""
    totals: dict[dt.date, int] = defaultdict(int)
    for session in journal.sessions:
        totals[session.date] += session.minutes
    return dict(totals)


def weekly_minutes(daily: Mapping[dt.date, int]) -> dict[dt.date, int]:
    """Return minutes per week (keyed by its Monday), oldest first; empty weeks left out."""
    totals: dict[dt.date, int] = defaultdict(int)
    for day, minutes in daily.items():
        totals[week_start(day)] += minutes
    return dict(sorted(totals.items()))


def streaks(days: Iterable[dt.date], today: dt.date) -> tuple[int, int]:
    """Return (current, longest) runs of consecutive study days.

    The current streak ends today, or yesterday while today has no session yet:
    a day is not missed until it is over. Days after `today` are ignored.
    """
    ordered = sorted(day for day in set(days) if day <= today)
    longest = run = 0
    previous: dt.date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    current = 0
    if previous is not None and (today - previous).days <= 1:
        current = run
    return current, longest


def subtree_minutes(journal: Journal, own: Mapping[str, int] | None = None) -> dict[str, int]:
    """Return each topic's minutes including all its subtopics' (parent loops counted once)."""
    own = minutes_by_topic(journal) if own is None else own
    parents = {t.id: t.parent for t in journal.topics}
    totals = {topic_id: 0 for topic_id in parents}
    for topic_id in parents:
        minutes = own.get(topic_id, 0)
        if not minutes:
            continue
        totals[topic_id] += minutes
        for ancestor in ancestors(topic_id, parents):
            totals[ancestor] += minutes
    return totals


def minutes_by_category(journal: Journal, own: Mapping[str, int] | None = None) -> dict[str, int]:
    """Return minutes per category: each session counts for the category of its own topic."""
    own = minutes_by_topic(journal) if own is None else own
    totals: dict[str, int] = {}
    for topic in journal.topics:
        totals[topic.category] = totals.get(topic.category, 0) + own.get(topic.id, 0)
    return totals


def topics_by_status(journal: Journal) -> dict[str, int]:
    """Return how many topics are at each status, every status present, in learning order."""
    counts = {status.value: 0 for status in Status}
    for topic in journal.topics:
        counts[topic.status.value] += 1
    return counts


def challenges_by_status(journal: Journal) -> dict[str, int]:
    """Return how many challenges are open and resolved."""
    counts = {status.value: 0 for status in ChallengeStatus}
    for challenge in journal.challenges:
        counts[challenge.status.value] += 1
    return counts


def heat_thresholds(values: Iterable[int | None]) -> tuple[int, ...]:
    """Return the minutes at which a day moves up a shade: the quartiles of the study days given.

    Scaling to the learner's own days keeps the map readable both for 20-minute
    habits and for full-time programmes; bounds are whole quarter hours.
    """
    days = sorted(v for v in values if v)
    if len(days) < 4:
        return HEAT_LEVELS
    bounds = [1]
    for share in (0.25, 0.5, 0.75):
        quartile = days[min(len(days) - 1, int(share * len(days)))]
        step = max(HEAT_STEP, round(quartile / HEAT_STEP) * HEAT_STEP)
        bounds.append(max(step, bounds[-1] + HEAT_STEP if len(bounds) > 1 else step))
    return tuple(bounds)


def heat_level(minutes: int, thresholds: tuple[int, ...] = HEAT_LEVELS) -> int:
    """Return a day's shade, 0 (nothing) to len(thresholds) (the busiest days)."""
    return sum(1 for threshold in thresholds if minutes >= threshold)


def heatmap_weeks(
    daily: Mapping[dt.date, int], today: dt.date, most: int, *, began: dt.date | None = None
) -> int:
    """Return how many weeks a heatmap should show: since the first study day, 12 to `most`.

    A journal that `began` less than 12 weeks ago shows only the weeks it has
    existed: empty weeks before it read as weeks missed.
    """
    most = max(most, 1)
    if began is not None:
        most = min(most, weeks_since(began, today))
    if not daily:
        return min(MIN_HEATMAP_WEEKS, most)
    first = min(daily)
    span = (week_start(today) - week_start(min(first, today))).days // 7 + 1
    return max(min(span, most), min(MIN_HEATMAP_WEEKS, most))


def weeks_since(began: dt.date, today: dt.date) -> int:
    """Return how many calendar weeks (Monday to Sunday) from `began`'s to today's, both counted."""
    return max(1, (week_start(today) - week_start(min(began, today))).days // 7 + 1)


def heatmap_grid(daily: Mapping[dt.date, int], today: dt.date, weeks: int) -> list[list[int | None]]:
    """Return 7 rows (Monday first) of `weeks` columns of minutes; None for days after today."""
    first = week_start(today) - dt.timedelta(weeks=weeks - 1)
    grid: list[list[int | None]] = []
    for weekday in range(7):
        row: list[int | None] = []
        for week in range(weeks):
            day = first + dt.timedelta(days=week * 7 + weekday)
            row.append(None if day > today else daily.get(day, 0))
        grid.append(row)
    return grid


@dataclass
class Stats:
    """Everything `nexus stats` and the dashboard's summary show."""

    today: dt.date
    total_minutes: int = 0
    sessions: int = 0
    study_days: int = 0
    first_day: dt.date | None = None
    began: dt.date | None = None  # when the journal began: its first session, topic or programme start
    last_day: dt.date | None = None
    this_week_minutes: int = 0
    last_week_minutes: int = 0
    current_streak: int = 0
    longest_streak: int = 0
    topics_by_status: dict[str, int] = field(default_factory=dict)
    challenges_by_status: dict[str, int] = field(default_factory=dict)
    own_minutes: dict[str, int] = field(default_factory=dict)
    subtree_minutes: dict[str, int] = field(default_factory=dict)
    category_minutes: dict[str, int] = field(default_factory=dict)
    week_minutes: dict[dt.date, int] = field(default_factory=dict)
    daily: dict[dt.date, int] = field(default_factory=dict)
    topics: list[Topic] = field(default_factory=list)


def began(journal: Journal, daily: Mapping[dt.date, int]) -> dt.date | None:
    """Return the day the journal began: the earliest study day, topic or programme start."""
    days = [min(daily)] if daily else []
    days += [topic.created.date() for topic in journal.topics]
    if journal.program is not None and journal.program.start is not None:
        days.append(journal.program.start)
    return min(days) if days else None


def compute(journal: Journal, today: dt.date) -> Stats:
    """Return all the numbers about a journal as of `today`, in one pass over the sessions."""
    daily = daily_minutes(journal)
    own = minutes_by_topic(journal)
    weeks = weekly_minutes(daily)
    this_week = week_start(today)
    current, longest = streaks(daily, today)
    return Stats(
        today=today,
        total_minutes=sum(daily.values()),
        sessions=len(journal.sessions),
        study_days=len(daily),
        first_day=min(daily) if daily else None,
        began=began(journal, daily),
        last_day=max(daily) if daily else None,
        this_week_minutes=weeks.get(this_week, 0),
        last_week_minutes=weeks.get(this_week - dt.timedelta(weeks=1), 0),
        current_streak=current,
        longest_streak=longest,
        topics_by_status=topics_by_status(journal),
        challenges_by_status=challenges_by_status(journal),
        own_minutes=own,
        subtree_minutes=subtree_minutes(journal, own),
        category_minutes=minutes_by_category(journal, own),
        week_minutes=weeks,
        daily=daily,
        topics=topic_order(journal),
    )


def to_record(stats: Stats) -> dict[str, Any]:
    """Return the numbers as JSON-ready data with stable keys (see docs/stats.md)."""

    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "today": stats.today.isoformat(),
        "total_minutes": stats.total_minutes,
        "sessions": stats.sessions,
        "study_days": stats.study_days,
        "first_day": iso(stats.first_day),
        "last_day": iso(stats.last_day),
        "this_week_minutes": stats.this_week_minutes,
        "last_week_minutes": stats.last_week_minutes,
        "streak": {"current_days": stats.current_streak, "longest_days": stats.longest_streak},
        "topics_by_status": dict(stats.topics_by_status),
        "challenges": dict(stats.challenges_by_status),
        "categories": dict(sorted(stats.category_minutes.items())),
        "topics": {
            topic.id: {
                "name": topic.name,
                "category": topic.category,
                "parent": topic.parent,
                "status": topic.status.value,
                "minutes": stats.own_minutes.get(topic.id, 0),
                "total_minutes": stats.subtree_minutes.get(topic.id, 0),
                "target_hours": topic.target_hours,
            }
            for topic in stats.topics
        },
        "weeks": {monday.isoformat(): minutes for monday, minutes in stats.week_minutes.items()},
        "days": {day.isoformat(): minutes for day, minutes in sorted(stats.daily.items())},
    }
