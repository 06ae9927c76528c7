"""The write guard: a change that adds one entry is judged by what that entry can break.

The incremental guard must agree with the full one exactly: same refusals, same
messages. The journals drawn here are small and crowded on purpose (a few ids,
dates around today, long sessions, loose parents) so that the added entry often
breaks a rule, and often meets a journal that was already broken by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexus_cli.core.check import guard
from nexus_cli.core.models import Challenge, Journal, Session, Takeaway, Topic
from support import NOW, examples

TODAY = dt.datetime.fromisoformat(NOW).date()
TOPIC_IDS = ["a", "b", "c", "d", "e"]

refs = st.sampled_from([*TOPIC_IDS[:3] * 4, "ghost"])  # now and then a topic that is not there


def ids(prefix: str) -> st.SearchStrategy[str]:
    """Ids from a small pool, so an added entry sometimes takes one in use (or one a topic has)."""
    return st.sampled_from([f"{prefix}{n}" for n in range(8)] + ["a"])


stamps = st.builds(
    lambda days, hour: dt.datetime.combine(TODAY + dt.timedelta(days=days), dt.time(hour), dt.UTC),
    st.integers(-3, 1),
    st.integers(0, 23),
)
days = st.integers(-2, 1).map(lambda n: TODAY + dt.timedelta(days=n))
starts = st.none() | st.sampled_from([dt.time(0), dt.time(9), dt.time(9, 30), dt.time(17), dt.time(23, 30)])
minutes = st.sampled_from([1, 30, 60, 90, 600, 900, 1440])


@st.composite
def topics(draw: st.DrawFn) -> Topic:
    created = draw(stamps)
    return Topic(
        id=draw(st.sampled_from(TOPIC_IDS)),
        name="T",
        parent=draw(st.none() | st.sampled_from([*TOPIC_IDS, "ghost"])),
        created=created,
        updated=draw(st.just(created) | stamps),
    )


@st.composite
def challenges(draw: st.DrawFn) -> Challenge:
    opened = draw(stamps)
    status = draw(st.sampled_from(["open", "resolved"]))
    return Challenge(
        id=draw(ids("c-")),
        title="C",
        topics=draw(st.lists(refs, max_size=2, unique=True)),
        status=status,
        solution=draw(st.sampled_from(["", "it worked"])),
        opened=opened,
        resolved=draw(st.none() | stamps) if status == "resolved" else None,
    )


@st.composite
def takeaways(draw: st.DrawFn) -> Takeaway:
    return Takeaway(
        id=draw(ids("t-")),
        title="K",
        topics=draw(st.lists(refs, max_size=2, unique=True)),
        created=draw(stamps),
    )


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    return Session(
        id=draw(ids("s-")), topic=draw(refs), date=draw(days), start=draw(starts), minutes=draw(minutes)
    )


ENTRIES = {"topics": topics(), "challenges": challenges(), "takeaways": takeaways(), "sessions": sessions()}


@st.composite
def journals(draw: st.DrawFn) -> Journal:
    # ids mostly unique, as nexus writes them; sometimes not, as a hand edit leaves them
    unique = draw(st.integers(0, 4)) > 0
    return Journal(
        **{
            name: draw(st.lists(entries, max_size=5, unique_by=(lambda e: e.id) if unique else None))
            for name, entries in ENTRIES.items()
        }
    )


@st.composite
def additions(draw: st.DrawFn) -> tuple[Journal, Journal, str, int]:
    """A journal, the same journal with one entry put in, and where it went."""
    before = draw(journals())
    section = draw(st.sampled_from(list(ENTRIES)))
    entry = draw(ENTRIES[section])
    items = list(getattr(before, section))
    index = draw(st.integers(0, len(items)))
    after = before.model_copy(update={section: [*items[:index], entry, *items[index:]]})
    return before, after, section, index


@settings(max_examples=examples(600), suppress_health_check=[HealthCheck.too_slow])
@given(additions())
def test_the_incremental_guard_agrees_with_the_full_one(case: tuple[Journal, Journal, str, int]) -> None:
    before, after, section, index = case
    full = guard.new_errors(after, lambda: before)
    assert guard.new_errors(after, lambda: before, added=(section, index)) == full
    if guard.adds_no_error(after, section, index):
        assert full == []


def _journal(**sections: list) -> Journal:
    topics = [
        Topic(id=tid, name=tid.title(), created="2026-01-01T00:00:00Z", updated="2026-01-01T00:00:00Z")
        for tid in ("python", "sql")
    ]
    return Journal(topics=topics, **sections)


def _add(journal: Journal, section: str, entry: object, index: int | None = None) -> tuple[Journal, int]:
    items = list(getattr(journal, section))
    index = len(items) if index is None else index
    items.insert(index, entry)
    return journal.model_copy(update={section: items}), index


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the runs of the full check."""
    calls: list[int] = []
    real = guard.errors

    def counted(journal: Journal) -> list[guard.Error]:
        calls.append(1)
        return real(journal)

    monkeypatch.setattr(guard, "errors", counted)
    return calls


def test_one_added_session_is_not_checked_whole(full_checks: list[int]) -> None:
    before = _journal(sessions=[Session(id="s1", topic="python", date=TODAY, minutes=60, start="09:00")])
    after, index = _add(
        before, "sessions", Session(id="s2", topic="sql", date=TODAY, minutes=60, start="10:00")
    )
    guard.refuse_new_errors(after, lambda: before, added=("sessions", index))
    assert full_checks == []


def test_one_added_topic_with_a_parent_is_not_checked_whole(full_checks: list[int]) -> None:
    before = _journal()
    topic = Topic(id="django", name="Django", parent="python", created=NOW, updated=NOW)
    after, index = _add(before, "topics", topic)
    guard.refuse_new_errors(after, lambda: before, added=("topics", index))
    assert full_checks == []


@pytest.mark.parametrize(
    ("section", "entry", "message"),
    [
        (
            "sessions",
            Session(id="s3", topic="python", date=TODAY, minutes=600),
            f"sessions on {TODAY} add up to 25h, more than a day has",
        ),
        (
            "sessions",
            Session(id="s3", topic="python", date=TODAY + dt.timedelta(days=1), minutes=60),
            "is in the future",
        ),
        ("sessions", Session(id="s1", topic="python", date=TODAY, minutes=5), "duplicate id 's1'"),
        ("sessions", Session(id="s3", topic="rust", date=TODAY, minutes=5), "'rust' is not a topic"),
        (
            "sessions",
            Session(id="s3", topic="python", date=TODAY, minutes=30, start="09:30"),
            "overlaps session 's1'",
        ),
        (
            "topics",
            Topic(id="orm", name="ORM", parent="django", created=NOW, updated=NOW),
            "parent 'django' is not a topic",
        ),
    ],
)
def test_an_added_entry_that_breaks_a_rule_is_refused(
    full_checks: list[int], section: str, entry: object, message: str
) -> None:
    before = _journal(
        sessions=[
            Session(id="s1", topic="python", date=TODAY, minutes=900, start="09:00"),
        ]
    )
    after, index = _add(before, section, entry)
    with pytest.raises(guard.InputError, match=message) as raised:
        guard.refuse_new_errors(after, lambda: before, added=(section, index))
    with pytest.raises(guard.InputError) as full:
        guard.refuse_new_errors(after, lambda: before)
    assert (raised.value.message, raised.value.hint) == (full.value.message, full.value.hint)
    assert full_checks  # the full check had the last word


def test_a_session_running_past_midnight_is_seen_from_the_next_day() -> None:
    before = _journal(
        sessions=[
            Session(id="s1", topic="python", date=TODAY - dt.timedelta(days=1), minutes=120, start="23:30")
        ]
    )
    after, index = _add(
        before, "sessions", Session(id="s2", topic="sql", date=TODAY, minutes=30, start="00:15")
    )
    assert not guard.adds_no_error(after, "sessions", index)
    with pytest.raises(guard.InputError, match="overlaps session 's1'"):
        guard.refuse_new_errors(after, lambda: before, added=("sessions", index))


def _topic(tid: str, parent: str | None) -> Topic:
    return Topic(id=tid, name=tid, parent=parent, created=NOW, updated=NOW)


@pytest.mark.parametrize(
    ("topics", "entry", "index", "message"),
    [
        # the loop was there; walking from the new topic first names it from another end
        ([_topic("a", "b"), _topic("b", "a")], _topic("c", "b"), 0, "topic parents form a cycle: b → a → b"),
        # a parent that named no topic now names the new one, which closes a loop
        ([_topic("a", "c")], _topic("c", "a"), 1, "topic parents form a cycle: a → c → a"),
    ],
)
def test_a_new_topic_that_changes_the_parent_loops_is_judged_whole(
    topics: list[Topic], entry: Topic, index: int, message: str
) -> None:
    before = Journal(topics=topics)
    after, index = _add(before, "topics", entry, index)
    assert not guard.adds_no_error(after, "topics", index)
    with pytest.raises(guard.InputError, match=message):
        guard.refuse_new_errors(after, lambda: before, added=("topics", index))


@settings(max_examples=examples(200))
@given(journals())
def test_a_merge_and_a_write_judge_a_journal_alike(journal: Journal) -> None:
    from nexus_cli.core import check

    by_merge = [(code, message) for _, code, message in check.rule_errors(journal)]
    assert by_merge == [(e.code, e.message) for e in guard.errors(journal)]


def test_a_merge_that_adds_to_a_day_over_24h_adds_an_error() -> None:
    from nexus_cli.core import check

    day = TODAY - dt.timedelta(days=1)
    side = _journal(
        sessions=[
            Session(id="s1", topic="python", date=day, minutes=900),
            Session(id="s2", topic="sql", date=day, minutes=600),
        ]
    )
    merged = _add(side, "sessions", Session(id="s3", topic="sql", date=day, minutes=60))[0]
    known = {(code, message) for _, code, message in check.rule_errors(side)}
    added = [
        (code, message) for _, code, message in check.rule_errors(merged) if (code, message) not in known
    ]
    assert added == [("NX207", f"sessions on {day} add up to 26h, more than a day has")]


def test_an_old_repeated_id_does_not_block_an_entry_that_moves_it() -> None:
    # validate names a repeated id by its first use (`sessions[1]`); a session
    # logged before it moves that place, which is not a new problem.
    day = dt.date(2026, 11, 27)
    sessions = [Session(id=sid, topic="python", date=day, minutes=30) for sid in ("s-a", "s-dup", "s-dup")]
    before = _journal(sessions=sessions)
    earlier = Session(id="s-new", topic="python", date=day - dt.timedelta(days=1), minutes=30)
    after, _ = _add(before, "sessions", earlier, 0)
    assert guard.new_errors(after, lambda: before) == []


def test_one_more_copy_of_a_repeated_id_is_still_refused() -> None:
    day = dt.date(2026, 11, 27)
    sessions = [Session(id=sid, topic="python", date=day, minutes=30) for sid in ("s-dup", "s-dup")]
    before = _journal(sessions=sessions)
    after, _ = _add(before, "sessions", Session(id="s-dup", topic="python", date=day, minutes=30))
    found = guard.new_errors(after, lambda: before)
    assert [e.code for e in found] == ["NX202"]
