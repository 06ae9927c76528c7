"""Spaced review: the SM-2 rule on fixed histories, the daily queue, and `nexus review`."""

import datetime as dt
import itertools
import json
import random

import pytest
from pydantic import ValidationError

from nexus_cli.core import review, store
from nexus_cli.core.models import Journal, Review, Takeaway, Topic

TODAY = dt.date(2026, 11, 28)  # the day NEXUS_NOW in conftest pins
D = dt.date


def history(*pairs):
    return [Review(date=day, grade=grade) for day, grade in pairs]


def at(day):
    return dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)


def takeaway(id_, created, reviews=()):
    return Takeaway(id=id_, title=id_.title(), created=at(created), reviews=list(reviews))


def topic(id_, created, status="learning", reviews=()):
    return Topic(
        id=id_,
        name=id_.title(),
        status=status,
        created=at(created),
        updated=at(created),
        reviews=list(reviews),
    )


def good_every_time(start, count):
    """Review on each due date with `good`; return the intervals SM-2 chose."""
    reviews, intervals, day = [], [], start
    for _ in range(count):
        reviews.append(Review(date=day, grade="good"))
        sched = review.schedule(reviews, start)
        intervals.append(sched.interval)
        day = sched.due
    return intervals


# --- the rule ---------------------------------------------------------------


def test_a_new_item_is_due_the_day_it_was_created():
    sched = review.schedule([], D(2026, 10, 1))
    assert (sched.due, sched.interval, sched.repetitions, sched.ease, sched.last) == (
        D(2026, 10, 1),
        0,
        0,
        2.5,
        None,
    )


def test_good_grades_give_intervals_1_6_then_times_the_ease():
    # ease stays 2.5 with `good`: 1, 6, round(6 * 2.5) = 15, round(15 * 2.5) = 38, 95
    assert good_every_time(D(2026, 9, 1), 5) == [1, 6, 15, 38, 95]


def test_intervals_keep_growing_with_good_grades():
    intervals = good_every_time(D(2026, 1, 1), 8)
    assert all(later > earlier for earlier, later in itertools.pairwise(intervals))


def test_due_is_the_last_review_plus_the_interval():
    reviews = history((D(2026, 11, 1), "good"), (D(2026, 11, 2), "good"))
    sched = review.schedule(reviews, D(2026, 10, 1))
    assert sched.last == D(2026, 11, 2)
    assert sched.due == D(2026, 11, 8)


def test_again_resets_the_intervals_and_lowers_the_ease():
    reviews = history(
        (D(2026, 9, 1), "good"), (D(2026, 9, 2), "good"), (D(2026, 9, 8), "good"), (D(2026, 9, 23), "again")
    )
    sched = review.schedule(reviews, D(2026, 9, 1))
    assert (sched.interval, sched.repetitions, sched.due) == (1, 0, D(2026, 9, 24))
    assert sched.ease == pytest.approx(2.5 - 0.54)
    # After the reset the ladder starts again: 1, 6, then 6 x the lowered ease.
    days = [D(2026, 9, 24), D(2026, 9, 25), D(2026, 10, 1)]
    intervals = []
    for day in days:
        reviews.append(Review(date=day, grade="good"))
        intervals.append(review.schedule(reviews, D(2026, 9, 1)).interval)
    assert intervals == [1, 6, round(6 * 1.96)]


def test_hard_and_easy_move_the_ease_by_the_sm2_formula():
    base = [(D(2026, 9, 1), "good"), (D(2026, 9, 2), "good")]
    hard = review.schedule(history(*base, (D(2026, 9, 8), "hard")), D(2026, 9, 1))
    easy = review.schedule(history(*base, (D(2026, 9, 8), "easy")), D(2026, 9, 1))
    assert hard.ease == pytest.approx(2.36) and hard.interval == round(6 * 2.36)
    assert easy.ease == pytest.approx(2.6) and easy.interval == round(6 * 2.6)
    assert hard.interval < 15 < easy.interval


def test_the_ease_never_falls_below_its_floor():
    reviews = history(*[(D(2026, 9, day), "again") for day in range(1, 11)])
    assert review.schedule(reviews, D(2026, 9, 1)).ease == review.MIN_EASE


def test_the_schedule_depends_on_dates_not_on_the_order_written():
    reviews = history(
        (D(2026, 9, 1), "good"), (D(2026, 9, 2), "hard"), (D(2026, 9, 9), "easy"), (D(2026, 9, 30), "good")
    )
    shuffled = reviews[:]
    random.Random(4).shuffle(shuffled)
    assert shuffled != reviews
    assert review.schedule(shuffled, D(2026, 9, 1)) == review.schedule(reviews, D(2026, 9, 1))


# --- the queue and backlog spreading --------------------------------------------


def backlog_journal(count, first=D(2026, 10, 1)):
    return Journal(takeaways=[takeaway(f"t{n:02d}", first + dt.timedelta(days=n)) for n in range(count)])


def test_a_missed_backlog_is_spread_over_the_coming_days():
    queue = review.plan(backlog_journal(25), TODAY, limit=10)
    per_day = {}
    for entry in queue:
        per_day[entry.day] = per_day.get(entry.day, 0) + 1
    assert per_day == {TODAY: 10, TODAY + dt.timedelta(days=1): 10, TODAY + dt.timedelta(days=2): 5}
    due = review.due_today(queue, TODAY)
    assert [q.item.id for q in due] == [f"t{n:02d}" for n in range(10)]  # oldest-due first
    assert len(review.backlog(queue, TODAY)) == 15


def test_spreading_is_deterministic_and_keeps_due_order():
    journal = backlog_journal(30)
    first = review.plan(journal, TODAY, limit=7)
    assert first == review.plan(journal.model_copy(deep=True), TODAY, limit=7)
    dues = [q.schedule.due for q in first]
    assert dues == sorted(dues)


def test_items_due_later_share_the_daily_limit():
    tomorrow = TODAY + dt.timedelta(days=1)
    journal = backlog_journal(3)
    # Reviewed with `good` yesterday for the first time: due tomorrow.
    journal.takeaways.append(
        takeaway("later", D(2026, 11, 1), history((TODAY - dt.timedelta(days=1), "good")))
    )
    queue = {q.item.id: q.day for q in review.plan(journal, TODAY, limit=2)}
    assert queue["later"] == tomorrow
    assert sorted(queue.values()).count(tomorrow) == 2  # t02 spilled over, next to "later"
    assert all(sorted(queue.values()).count(day) <= 2 for day in queue.values())


def test_reviews_done_today_use_up_todays_room():
    journal = backlog_journal(12)
    for item in journal.takeaways[:3]:
        item.reviews = history((TODAY, "good"))
    due = review.due_today(review.plan(journal, TODAY, limit=5), TODAY)
    assert [q.item.id for q in due] == ["t03", "t04"]


def test_planned_topics_with_no_time_are_not_reviewed_yet():
    journal = Journal(
        topics=[topic("later", D(2026, 9, 1), status="planned"), topic("busy", D(2026, 9, 1))],
        takeaways=[takeaway("idea", D(2026, 9, 2))],
    )
    assert [item.id for item in review.reviewable(journal)] == ["idea", "busy"]


def test_a_zero_limit_is_refused():
    with pytest.raises(review.InputError):
        review.plan(Journal(), TODAY, limit=0)


# --- the model and validation ----------------------------------------------------


def test_an_unknown_grade_is_not_a_review():
    with pytest.raises(ValidationError):
        Review(date=TODAY, grade="perfect")


def test_reviews_survive_toml_and_json_and_old_files_stay_the_same():
    journal = Journal(topics=[topic("django", D(2026, 9, 1), reviews=history((D(2026, 9, 2), "hard")))])
    for fmt in ("toml", "json"):
        text = store.dumps(journal, fmt)
        assert store.loads(text, fmt) == journal
    assert "[[topics.reviews]]" in store.dumps_toml(journal)
    assert "reviews" not in store.dumps_toml(Journal(topics=[topic("django", D(2026, 9, 1))]))


# --- the command -----------------------------------------------------------------


def test_review_lists_what_is_due_at_most_the_limit(demo, ok):
    journal = store.load_journal(demo)
    already_due = [i for i in review.reviewable(journal) if review.item_schedule(i).due <= TODAY]
    data = json.loads(ok("review", "--format", "json").stdout)
    assert data["limit"] == 10 and len(data["due"]) == 10
    assert data["waiting"] == len(already_due) - 10 > 0
    assert [d["due"] for d in data["due"]] == sorted(d["due"] for d in data["due"])
    table = ok("review", "--limit", "3").stdout
    assert all(d["id"] in table for d in data["due"][:3]) and data["due"][3]["id"] not in table
    assert f"{len(already_due) - 3} more already due" in table


def test_recording_a_review_keeps_it_and_says_when_next(started, ok, journal_path):
    result = ok("review", "pyth", "--grade", "good")
    assert "next due 2026-11-29" in result.stderr
    journal = store.load_journal(journal_path)
    python = next(t for t in journal.topics if t.id == "python")
    assert python.reviews == [Review(date=TODAY, grade="good")]
    data = json.loads(ok("review", "python", "-g", "good", "--format", "json", "--date", "today").stdout)
    assert data["repetitions"] == 2 and data["interval"] == 6 and data["due"] == "2026-12-04"
    assert "python" not in [d["id"] for d in json.loads(ok("review", "--format", "json").stdout)["due"]]


def test_a_review_dated_back_is_scheduled_from_its_date(demo, ok):
    data = json.loads(ok("review", "python", "--grade", "easy", "--date", "-3d", "--format", "json").stdout)
    assert data["date"] == "2026-11-25" and data["due"] == "2026-11-26"


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("review", "python", "--grade", "perfect"), 2, "unknown grade 'perfect'"),
        (("review", "nosuch", "--grade", "good"), 1, "no takeaway or topic matches 'nosuch'"),
        (("review", "python"), 2, "say how well you remembered it"),
        (("review", "--grade", "good"), 2, "--grade needs the id"),
        (("review", "python", "--grade", "good", "--date", "2026-12-01"), 2, "in the future"),
        (("review", "python", "--grade", "good", "--date", "-3d"), 2, "was created on 2026-11-28"),
    ],
)
def test_bad_reviews_are_one_line_errors_and_change_nothing(started, nexus, journal_path, args, code, says):
    before = journal_path.read_bytes()
    result = nexus(*args)
    assert result.exit_code == code
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and says in errors[0]
    assert "Traceback" not in result.output
    assert journal_path.read_bytes() == before


def test_nothing_due_says_so(ok):
    ok("init")
    ok("add", "topic", "Rust", "--status", "planned")
    result = ok("review")
    assert result.stdout == "" and "nothing to review today" in result.stderr
