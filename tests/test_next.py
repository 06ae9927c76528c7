"""`nexus next`: three suggestions for the next study block, each with its reason."""

import datetime as dt
import json

import pytest

from nexus_cli.core import suggest as suggest_module
from nexus_cli.core.models import Challenge, Journal, Program, Review, Session, Takeaway, Topic
from nexus_cli.core.suggest import suggest

TODAY = dt.date(2026, 11, 28)
D = dt.date


def stamp(day):
    return dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)


def topic(id_, target=None, status="learning", created=D(2026, 9, 1)):
    return Topic(
        id=id_,
        name=id_.title(),
        status=status,
        target_hours=target,
        created=stamp(created),
        updated=stamp(created),
    )


def session(topic_id, day, minutes=60):
    return Session(id=f"{topic_id}-{day:%m%d}", topic=topic_id, date=day, minutes=minutes)


def challenge(id_, opened, status="open"):
    extra = {"resolved": stamp(opened), "solution": "done"} if status == "resolved" else {}
    return Challenge(id=id_, title=id_.title(), opened=stamp(opened), status=status, **extra)


@pytest.fixture
def full():
    """Something of each kind: a due takeaway, open challenges, a goal behind, an idle topic."""
    return Journal(
        program=Program(name="ProDev", start=D(2026, 9, 1), end=D(2026, 12, 28)),
        topics=[
            topic("docker", target=40, created=D(2026, 10, 10)),
            topic("celery", created=D(2026, 9, 20)),
            topic("graphql", status="confident", created=D(2026, 10, 20)),
        ],
        sessions=[session("docker", D(2026, 11, 27)), session("celery", D(2026, 10, 3))],
        challenges=[
            challenge("rabbitmq-routing", D(2026, 11, 1)),
            challenge("kubernetes-dns", D(2026, 10, 15)),
            challenge("old-solved", D(2026, 9, 2), status="resolved"),
        ],
        takeaways=[
            Takeaway(
                id="write-tests-first",
                title="Write tests first",
                created=stamp(D(2026, 10, 1)),
                reviews=[Review(date=D(2026, 11, 20), grade="good")],
            )
        ],
    )


def ids(suggestions):
    return [(s.kind, s.id) for s in suggestions]


def test_one_of_each_in_order_with_reasons(full):
    chosen = suggest(full, TODAY)
    # celery is reviewable (started) and never reviewed: due since it was created, so first.
    assert ids(chosen) == [("review", "celery"), ("challenge", "kubernetes-dns"), ("behind", "docker")]
    review, oldest, behind = chosen
    assert review.reason == "never reviewed since it was added on 2026-09-20"
    assert oldest.reason == "open for 44 days, the longest-waiting of 2 open challenges"
    assert behind.reason.startswith("39h of 40h still needed; at 0.25h a week it is done on ")
    assert "after the programme ends on 2026-12-28" in behind.reason and "needs 9.1h a week" in behind.reason
    assert [s.command for s in chosen] == [
        "nexus review celery --grade good",
        "nexus show kubernetes-dns",
        "nexus start docker",
    ]


def test_an_overdue_review_says_how_late_it_is(full):
    first = suggest(Journal(takeaways=full.takeaways), TODAY)[0]
    # Reviewed `good` once on 11-20: due a day later, a week overdue by now.
    assert (first.kind, first.id) == ("review", "write-tests-first")
    assert first.reason == "due since 2026-11-21 (7 days overdue)"


def test_the_topic_idle_longest_fills_in_without_targets_or_challenges(full):
    full.challenges = []
    full.topics[0].target_hours = None
    chosen = suggest(full, TODAY)
    # celery, idle longest, is already suggested as a review, so docker is the topic to pick up.
    # docker's own review is then skipped: one suggestion per entry.
    assert ids(chosen) == [("review", "celery"), ("untouched", "docker"), ("review", "graphql")]
    assert chosen[1].reason == "last studied on 2026-11-27, 1 day ago"


def test_untouched_orders_by_last_session_and_skips_what_is_suggested():
    journal = Journal(
        topics=[topic("a", status="planned"), topic("b", status="planned"), topic("c", status="planned")],
        sessions=[session("a", D(2026, 11, 1)), session("b", D(2026, 10, 1))],
    )
    # Planned topics with time are reviewable, so "b" and "a" come first as reviews.
    chosen = suggest(journal, TODAY)
    assert len({s.id for s in chosen}) == len(chosen) == 3
    assert ids(chosen) == [("review", "a"), ("untouched", "c"), ("review", "b")]
    assert (
        chosen[1].title == "Start on C"
        and chosen[1].reason == "no time logged since it was added 88 days ago"
    )


def test_an_empty_journal_has_nothing_to_suggest():
    assert suggest(Journal(), TODAY) == []


def test_next_on_the_demo_gives_three_runnable_suggestions(demo, ok):
    data = json.loads(ok("next", "--format", "json").stdout)
    assert len(data) == 3 and len({d["id"] for d in data}) == 3
    for item in data:
        assert set(item) == {"kind", "id", "title", "reason", "command"} and item["reason"]
    table = ok("next").stdout
    for number, item in enumerate(data, 1):
        assert f"{number}. {item['title']}" in table and item["command"] in table
    first = data[0]
    assert first["kind"] == "review"
    ok(*first["command"].split()[1:])  # the suggested command works as printed
    assert first["id"] not in [d["id"] for d in json.loads(ok("next", "--format", "json").stdout)]


def test_next_with_an_empty_journal_says_so(ok):
    ok("init")
    result = ok("next")
    assert result.stdout == "" and "nothing to suggest" in result.stderr


def test_the_goal_furthest_behind_comes_first():
    journal = Journal(
        program=Program(name="ProDev", start=D(2026, 9, 1), end=D(2026, 12, 28)),
        topics=[topic("small", target=5, status="planned"), topic("large", target=50, status="planned")],
    )
    behind = list(suggest_module._behind(journal, TODAY))
    assert [s.id for s in behind] == ["large", "small"]
    assert behind[0].reason == (
        "50h of 50h still needed and no time logged on it in the last 4 weeks;"
        " the programme ends on 2026-12-28 (needs 11.67h a week)"
    )
