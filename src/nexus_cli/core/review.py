"""Spaced review of topics and takeaways: the SM-2 rule and a daily queue.

The schedule is never stored. It is recomputed from each item's review history
(date and grade), so the same journal always gives the same queue.

SM-2, as nexus applies it to one review with quality q (again=1, hard=3,
good=4, easy=5):

1. ease <- max(1.3, ease + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)), starting at 2.5;
2. `again` resets the item: repetitions <- 0 and the next interval is 1 day;
   otherwise the interval is 1 day, then 6 days, then round(interval * ease);
3. the item is next due on the review's date plus the interval.

An item never reviewed is due on the day it was created, so it is due at once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nexus_cli.core.errors import InputError
from nexus_cli.core.ids import resolve
from nexus_cli.core.models import Grade, Journal, Review, Status, Takeaway, Topic

INITIAL_EASE = 2.5
MIN_EASE = 1.3
FIRST_INTERVAL = 1
SECOND_INTERVAL = 6
QUALITY: dict[Grade, int] = {Grade.again: 1, Grade.hard: 3, Grade.good: 4, Grade.easy: 5}
DEFAULT_LIMIT = 10

Item = Topic | Takeaway


@dataclass(frozen=True)
class Schedule:
    """Where an item stands after its reviews, by SM-2."""

    repetitions: int
    ease: float
    interval: int  # days; 0 before the first review
    due: dt.date
    last: dt.date | None


@dataclass(frozen=True)
class QueueItem:
    """A reviewable item with its schedule and the day the queue sets it for."""

    item: Item
    schedule: Schedule
    day: dt.date  # the due date, or a later day when the backlog is spread out

    @property
    def kind(self) -> str:
        return "topic" if isinstance(self.item, Topic) else "takeaway"

    @property
    def title(self) -> str:
        return self.item.name if isinstance(self.item, Topic) else self.item.title


def ordered(reviews: Iterable[Review]) -> list[Review]:
    """Return reviews by date, keeping recorded order within a day."""
    return sorted(reviews, key=lambda review: review.date)


def schedule(reviews: Iterable[Review], created: dt.date) -> Schedule:
    """Return an item's SM-2 state after its reviews (due on `created` if none)."""
    repetitions, ease, interval = 0, INITIAL_EASE, 0
    due, last = created, None
    for review in ordered(reviews):
        quality = QUALITY[review.grade]
        ease = max(MIN_EASE, ease + 0.1 - (5 - quality) * (0.08 + (5 - quality) * 0.02))
        if quality < 3:
            repetitions, interval = 0, FIRST_INTERVAL
        else:
            if repetitions == 0:
                interval = FIRST_INTERVAL
            elif repetitions == 1:
                interval = SECOND_INTERVAL
            else:
                interval = max(1, round(interval * ease))
            repetitions += 1
        last = review.date
        due = review.date + dt.timedelta(days=interval)
    return Schedule(repetitions=repetitions, ease=round(ease, 2), interval=interval, due=due, last=last)


def item_schedule(item: Item) -> Schedule:
    """Return the schedule of a topic or takeaway."""
    return schedule(item.reviews, item.created.date())


def reviewable(journal: Journal) -> list[Item]:
    """Return what can be reviewed: every takeaway, and topics already started.

    A planned topic with no time logged has nothing to remember yet.
    """
    logged = {session.topic for session in journal.sessions}
    topics = [t for t in journal.topics if t.status != Status.planned or t.id in logged or t.reviews]
    return [*journal.takeaways, *topics]


def _sort_key(entry: tuple[Item, Schedule]) -> tuple[dt.date, int, str]:
    item, sched = entry
    return (sched.due, 0 if isinstance(item, Takeaway) else 1, item.id)


def plan(journal: Journal, today: dt.date, limit: int = DEFAULT_LIMIT) -> list[QueueItem]:
    """Return every reviewable item with the day it is set for, at most `limit` a day.

    Items are taken oldest-due first and each goes to its due day (today for an
    overdue one), or to the first later day with room. Reviews already recorded
    today use up today's room. A missed week thus becomes a few fuller days, not
    one wall, and the same journal always gives the same plan.
    """
    if limit < 1:
        raise InputError("--limit must be at least 1")
    items = reviewable(journal)
    scheduled = sorted(((item, item_schedule(item)) for item in items), key=_sort_key)
    used: Counter[dt.date] = Counter()
    used[today] = sum(1 for item in items for review in item.reviews if review.date == today)
    queue = []
    for item, sched in scheduled:
        day = max(sched.due, today)
        while used[day] >= limit:
            day += dt.timedelta(days=1)
        used[day] += 1
        queue.append(QueueItem(item=item, schedule=sched, day=day))
    return sorted(queue, key=lambda q: (q.day, *_sort_key((q.item, q.schedule))))


def due_today(queue: Sequence[QueueItem], today: dt.date) -> list[QueueItem]:
    """Return the items the plan sets for today, oldest-due first."""
    return [q for q in queue if q.day <= today]


def backlog(queue: Sequence[QueueItem], today: dt.date) -> list[QueueItem]:
    """Return items already due but moved to a later day to keep today short."""
    return [q for q in queue if q.schedule.due <= today < q.day]


def schedule_record(sched: Schedule) -> dict[str, object]:
    """Return a schedule as JSON-ready data."""
    return {
        "due": sched.due.isoformat(),
        "interval": sched.interval,
        "ease": sched.ease,
        "repetitions": sched.repetitions,
        "last_review": sched.last.isoformat() if sched.last else None,
    }


def queue_record(entry: QueueItem, today: dt.date) -> dict[str, object]:
    """Return a queued item as JSON-ready data."""
    return {
        "id": entry.item.id,
        "kind": entry.kind,
        "title": entry.title,
        **schedule_record(entry.schedule),
        "overdue_days": max(0, (today - entry.schedule.due).days),
        "reviews": len(entry.item.reviews),
        "day": entry.day.isoformat(),
    }


def find_item(journal: Journal, query: str) -> Item:
    """Return the topic or takeaway an id (or unique prefix) names."""
    entry = resolve(journal, query, ["takeaway", "topic"])
    assert isinstance(entry, (Topic, Takeaway))
    return entry


def record_review(journal: Journal, query: str, grade: Grade | str, day: dt.date) -> tuple[Item, Schedule]:
    """Add a review to an item and return it with its new schedule."""
    try:
        grade = Grade(grade)
    except ValueError:
        raise InputError(
            f"unknown grade {grade!r}", hint="grade with one of: " + ", ".join(g.value for g in Grade)
        ) from None
    item = find_item(journal, query)
    created = item.created.date()
    if day < created - dt.timedelta(days=1):
        raise InputError(f"{item.id} was created on {created}; it cannot be reviewed on {day}")
    # Assigning a new list (not appending) runs the model's validation.
    item.reviews = [*item.reviews, Review(date=day, grade=grade)]
    return item, item_schedule(item)
