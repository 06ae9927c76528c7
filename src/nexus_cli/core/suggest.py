"""What to study next: three concrete suggestions, each with its reason.

Four sources, asked in this order: an item due for review, the open challenge
that has waited longest, a topic falling behind its target, the topic left
untouched longest. One suggestion is taken from each source in turn, and again
from the start while fewer than three are found, skipping anything already
suggested, so a journal without targets or challenges still gets three.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from nexus_cli.core import pace, review
from nexus_cli.core.models import ChallengeStatus, Journal, Status
from nexus_cli.core.parse import format_minutes

COUNT = 3


@dataclass(frozen=True)
class Suggestion:
    """One thing to do, why, and the command that starts it."""

    kind: str  # review, challenge, behind, untouched
    id: str
    title: str
    reason: str
    command: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _reviews(journal: Journal, today: dt.date) -> Iterator[Suggestion]:
    for entry in review.due_today(review.plan(journal, today), today):
        sched = entry.schedule
        if sched.last is None:
            reason = f"never reviewed since it was added on {entry.item.created.date()}"
        elif sched.due < today:
            reason = f"due since {sched.due} ({_days((today - sched.due).days)} overdue)"
        else:
            reason = f"due today, {_days(sched.interval)} after its last review"
        yield Suggestion(
            "review",
            entry.item.id,
            f"Review the {entry.kind} “{entry.title}”",
            reason,
            f"nexus review {entry.item.id} --grade good",
        )


def _challenges(journal: Journal, today: dt.date) -> Iterator[Suggestion]:
    waiting = sorted(
        (c for c in journal.challenges if c.status == ChallengeStatus.open),
        key=lambda c: (c.opened, c.id),
    )
    for challenge in waiting:
        days = (today - challenge.opened.date()).days
        reason = f"open for {_days(days)}, the longest-waiting of {len(waiting)} open challenges"
        if len(waiting) == 1:
            reason = f"open for {_days(days)}, your only open challenge"
        yield Suggestion(
            "challenge",
            challenge.id,
            f"Work on the challenge “{challenge.title}”",
            reason,
            f"nexus show {challenge.id}",
        )


def _behind(journal: Journal, today: dt.date) -> Iterator[Suggestion]:
    summary = pace.summarize(journal, today)
    # The goal furthest behind first: most hours a week missing from what the end date needs.
    behind = sorted(
        summary.behind,
        key=lambda p: (-((p.needed_per_week or p.remaining_hours) - p.per_week), p.topic_id),
    )
    for goal in behind:
        assert goal.topic_id is not None
        left = f"{format_minutes(goal.remaining_hours * 60)} of {goal.target_hours:g}h still needed"
        projected = goal.projected
        if projected is None:
            weeks = round(goal.window_days / 7)
            span = "week" if weeks == 1 else f"{weeks} weeks"
            reason = f"{left} and no time logged on it in the last {span}"
            reason += f"; the programme ends on {goal.end}"
        else:
            reason = f"{left}; at {goal.per_week:g}h a week it is done on {projected}"
            reason += f", after the programme ends on {goal.end}"
        if goal.needed_per_week is not None:
            reason += f" (needs {goal.needed_per_week:g}h a week)"
        yield Suggestion(
            "behind", goal.topic_id, f"Study {goal.name}", reason, f"nexus start {goal.topic_id}"
        )


def _untouched(journal: Journal, today: dt.date) -> Iterator[Suggestion]:
    last_session: dict[str, dt.date] = {}
    for session in journal.sessions:
        if session.date > last_session.get(session.topic, dt.date.min):
            last_session[session.topic] = session.date

    # A topic was last touched when it or any subtopic was: carry each date up to the ancestors.
    parents = {topic.id: topic.parent for topic in journal.topics}
    touched: dict[str, dt.date] = {}
    for topic_id, day in last_session.items():
        current: str | None = topic_id
        seen: set[str] = set()
        while current is not None and current in parents and current not in seen:
            seen.add(current)
            if day > touched.get(current, dt.date.min):
                touched[current] = day
            current = parents[current]

    candidates = []
    for topic in journal.topics:
        if topic.status == Status.confident:
            continue
        last = touched.get(topic.id)
        candidates.append((last or topic.created.date(), last is None, topic))
    candidates.sort(key=lambda c: (c[0], c[2].id))
    for day, never, topic in candidates:
        if never:
            reason = f"no time logged since it was added {_days((today - day).days)} ago"
        else:
            reason = f"last studied on {day}, {_days((today - day).days)} ago"
        title = f"Start on {topic.name}" if never else f"Pick up {topic.name} again"
        yield Suggestion("untouched", topic.id, title, reason, f"nexus start {topic.id}")


def suggest(journal: Journal, today: dt.date, count: int = COUNT) -> list[Suggestion]:
    """Return up to `count` suggestions for the next study block."""
    sources = [
        _reviews(journal, today),
        _challenges(journal, today),
        _behind(journal, today),
        _untouched(journal, today),
    ]
    chosen: list[Suggestion] = []
    seen: set[str] = set()
    while len(chosen) < count and sources:
        for source in list(sources):
            for suggestion in source:
                if suggestion.id not in seen:
                    seen.add(suggestion.id)
                    chosen.append(suggestion)
                    break
            else:
                sources.remove(source)
            if len(chosen) == count:
                break
    return chosen
