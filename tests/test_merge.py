"""The three-way journal merge: clean cases, conflicts, the git driver, and its symmetry."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexus_cli.core import store
from nexus_cli.core.models import (
    Challenge,
    Journal,
    Program,
    Resource,
    Session,
    Status,
    Takeaway,
    Topic,
    session_key,
)
from nexus_cli.core.sync import merge
from support import examples

T0 = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
T1 = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)


def topic(topic_id: str, **fields: object) -> Topic:
    values: dict = {"created": T0, "updated": T0, **fields}
    return Topic(id=topic_id, name=topic_id.title(), **values)


def session(session_id: str, topic_id: str = "python", day: int = 1, minutes: int = 30) -> Session:
    return Session(id=session_id, topic=topic_id, date=dt.date(2026, 11, day), minutes=minutes)


def base_journal() -> Journal:
    return Journal(
        program=Program(name="ProDev"),
        topics=[topic("python"), topic("django", tags=["web"]), topic("docker")],
        challenges=[Challenge(id="routing", title="Routing", problem="exchanges", opened=T0)],
        takeaways=[Takeaway(id="test-first", title="Test first", created=T0)],
        sessions=[session("20261101-aaaa"), session("20261102-bbbb", "django", 2)],
    )


def edited(journal: Journal, **changes: object) -> Journal:
    return journal.model_copy(deep=True, update=changes)


def replace_topic(journal: Journal, topic_id: str, **fields: object) -> list[Topic]:
    return [t.model_copy(update=fields) if t.id == topic_id else t for t in journal.topics]


def text(journal: Journal) -> str:
    return store.dumps_toml(journal)


# --- clean merges -----------------------------------------------------------------------


def test_additions_on_both_sides_are_all_kept_and_sessions_sorted() -> None:
    base = base_journal()
    ours = edited(base, sessions=[*base.sessions, session("20261105-ours", day=5)])
    ours.topics.append(topic("kubernetes", created=T1))
    theirs = edited(base, sessions=[session("20261103-thrs", day=3), *base.sessions])
    theirs.topics.append(topic("celery", created=T2))
    result = merge.merge(base, ours, theirs)
    assert result.clean
    assert [s.id for s in result.ours.sessions] == [
        "20261101-aaaa",
        "20261102-bbbb",
        "20261103-thrs",
        "20261105-ours",
    ]
    assert [t.id for t in result.ours.topics] == ["python", "django", "docker", "kubernetes", "celery"]


def test_edits_to_different_fields_of_one_entry_combine() -> None:
    base = base_journal()
    ours = edited(base, topics=replace_topic(base, "python", status=Status.confident, updated=T1))
    theirs = edited(base, topics=replace_topic(base, "python", notes="the language", updated=T2))
    result = merge.merge(base, ours, theirs)
    assert result.clean
    python = result.ours.topics[0]
    assert (python.status, python.notes, python.updated) == (Status.confident, "the language", T2)


def test_tags_merge_as_sets_and_resources_by_url() -> None:
    base = base_journal()
    a = Resource(url="https://a.example", title="A")
    ours = edited(base, topics=replace_topic(base, "django", tags=["web", "orm"], resources=[a]))
    b = Resource(url="https://b.example")
    theirs = edited(base, topics=replace_topic(base, "django", tags=["api"], resources=[b]))
    result = merge.merge(base, ours, theirs)
    assert result.clean
    django = result.ours.topics[1]
    assert django.tags == ["api", "orm"]  # "web" removed on theirs, both additions kept
    assert [r.url for r in django.resources] == ["https://a.example", "https://b.example"]


def test_a_combination_that_breaks_a_limit_is_a_conflict() -> None:
    base = base_journal()
    ours = edited(base, topics=replace_topic(base, "docker", tags=[f"a{n}" for n in range(30)]))
    theirs = edited(base, topics=replace_topic(base, "docker", tags=[f"b{n}" for n in range(30)]))
    result = merge.merge(base, ours, theirs)
    assert [c.where for c in result.conflicts] == ["topics[docker]"]
    assert "invalid" in result.conflicts[0].reason
    assert len(result.ours.topics[2].tags) == 30 and result.theirs.topics[2].tags[0] == "b0"


def test_the_same_entry_added_on_both_sides_keeps_the_earliest_creation() -> None:
    base = base_journal()
    ours = edited(base, topics=[*base.topics, topic("celery", created=T1, updated=T1)])
    theirs = edited(base, topics=[*base.topics, topic("celery", created=T2, updated=T2)])
    result = merge.merge(base, ours, theirs)
    assert result.clean
    celery = result.ours.topics[-1]
    assert (celery.created, celery.updated) == (T1, T2)


def test_a_removal_on_one_side_is_taken() -> None:
    base = base_journal()
    ours = edited(base, sessions=base.sessions[1:])
    result = merge.merge(base, ours, edited(base, takeaways=[]))
    assert result.clean
    assert [s.id for s in result.ours.sessions] == ["20261102-bbbb"]
    assert result.ours.takeaways == []


# --- conflicts ---------------------------------------------------------------------------


def test_same_field_changed_differently_is_a_conflict_with_both_values() -> None:
    base = base_journal()
    ours = edited(base, topics=replace_topic(base, "python", status=Status.confident))
    theirs = edited(base, topics=replace_topic(base, "python", status=Status.practicing))
    result = merge.merge(base, ours, theirs)
    assert [c.where for c in result.conflicts] == ["topics[python].status"]
    assert result.ours.topics[0].status == Status.confident
    assert result.theirs.topics[0].status == Status.practicing
    rendered = merge.render(result, "toml")
    assert '<<<<<<< ours\nstatus = "confident"\n=======\nstatus = "practicing"\n>>>>>>> theirs\n' in rendered


def test_removed_on_one_side_and_changed_on_the_other_is_a_conflict() -> None:
    base = base_journal()
    ours = edited(base, challenges=[])
    theirs = edited(base, challenges=[base.challenges[0].model_copy(update={"problem": "routing keys"})])
    result = merge.merge(base, ours, theirs)
    assert [c.where for c in result.conflicts] == ["challenges[routing]"]
    assert "removed on ours" in result.conflicts[0].reason
    assert result.ours.challenges == [] and result.theirs.challenges[0].problem == "routing keys"


def test_a_topic_removed_on_one_side_but_logged_on_the_other_is_a_conflict() -> None:
    base = base_journal()
    ours = edited(
        base,
        topics=[t for t in base.topics if t.id != "docker"],
    )
    theirs = edited(base, sessions=[*base.sessions, session("20261110-dock", "docker", 10)])
    result = merge.merge(base, ours, theirs)
    assert any(c.where == "topics[docker]" for c in result.conflicts)
    assert "docker" not in {t.id for t in result.ours.topics}
    assert all(s.topic != "docker" for s in result.ours.sessions)  # ours: removed with its sessions
    assert "docker" in {t.id for t in result.theirs.topics}
    assert "20261110-dock" in {s.id for s in result.theirs.sessions}


def resolve(marked: str, side: str) -> str:
    """Take one side of every conflict hunk, as a person resolving by hand would."""
    out, state = [], "both"
    for line in marked.splitlines(keepends=True):
        if line.startswith("<<<<<<< "):
            state = "ours"
        elif line == "=======\n" and state == "ours":
            state = "theirs"
        elif line.startswith(">>>>>>> "):
            state = "both"
        elif state == "both" or state == side:
            out.append(line)
    return "".join(out)


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_either_side_of_every_hunk_gives_a_valid_journal(fmt: store.Format) -> None:
    base = base_journal()
    ours = edited(
        base, topics=replace_topic(base, "python", status=Status.confident, notes=""), challenges=[]
    )
    theirs = edited(
        base,
        topics=replace_topic(base, "python", status=Status.learning, notes="x"),
        challenges=[base.challenges[0].model_copy(update={"problem": "keys"})],
    )
    result = merge.merge(base, ours, theirs)
    marked = merge.render(result, fmt)
    assert merge.has_markers(marked)
    assert resolve(marked, "ours") == store.dumps(result.ours, fmt)
    assert resolve(marked, "theirs") == store.dumps(result.theirs, fmt)
    store.loads(resolve(marked, "theirs"), fmt)


# --- the git driver from the command line ---------------------------------------------------


def write(path: Path, journal: Journal, fmt: store.Format = "toml") -> Path:
    path.write_text(store.dumps(journal, fmt), encoding="utf-8")
    return path


def test_driver_merges_into_ours_and_exits_0(nexus, tmp_path: Path) -> None:
    base = base_journal()
    b = write(tmp_path / "b", base)
    o = write(
        tmp_path / ".merge_file_o", edited(base, sessions=[*base.sessions, session("20261105-ours", day=5)])
    )
    t = write(tmp_path / "t", edited(base, topics=replace_topic(base, "docker", notes="containers")))
    result = nexus("merge-driver", str(b), str(o), str(t), "journal.toml")
    assert result.exit_code == 0, result.output
    merged = store.loads(o.read_text(encoding="utf-8"), "toml")
    assert "20261105-ours" in {s.id for s in merged.sessions}
    assert merged.topics[2].notes == "containers"
    assert o.read_text(encoding="utf-8") == text(merged)  # deterministic, canonical output
    assert not list(tmp_path.glob(".*.bak"))


def test_driver_reads_json_from_the_real_path_or_the_content(nexus, tmp_path: Path) -> None:
    base = base_journal()
    b = write(tmp_path / "b", base, "json")
    t = write(tmp_path / "t", edited(base, takeaways=[]), "json")
    for extra in (["journal.json"], []):
        o = write(tmp_path / "o", edited(base, challenges=[]), "json")
        result = nexus("merge-driver", str(b), str(o), str(t), *extra)
        assert result.exit_code == 0, result.output
        merged = store.loads(o.read_text(encoding="utf-8"), "json")
        assert merged.takeaways == [] and merged.challenges == []


def test_driver_conflict_exits_1_and_keeps_both_sides(nexus, tmp_path: Path) -> None:
    base = base_journal()
    b = write(tmp_path / "b", base)
    o = write(tmp_path / "o", edited(base, topics=replace_topic(base, "python", notes="mine")))
    t = write(tmp_path / "t", edited(base, topics=replace_topic(base, "python", notes="yours")))
    result = nexus("merge-driver", str(b), str(o), str(t), "--format", "toml")
    assert result.exit_code == 1
    assert "topics[python].notes" in result.stderr
    content = o.read_text(encoding="utf-8")
    assert 'notes = "mine"' in content and 'notes = "yours"' in content


def test_driver_falls_back_to_git_line_merge_when_a_side_does_not_parse(nexus, tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = text(base_journal())
    b = tmp_path / "b"
    b.write_text(base, encoding="utf-8")
    o = tmp_path / "o"
    o.write_text(base + "this is not toml\n", encoding="utf-8")
    t = tmp_path / "t"
    t.write_text(base.replace('name = "ProDev"', 'name = "ProDev Backend"'), encoding="utf-8")
    result = nexus("merge-driver", str(b), str(o), str(t), "journal.toml")
    assert "git's line merge" in result.stderr
    merged = o.read_text(encoding="utf-8")
    assert "this is not toml" in merged and 'name = "ProDev Backend"' in merged
    assert result.exit_code == 0  # git's own merge was clean, as it would be without the driver


def test_driver_rejects_an_unknown_format(nexus, tmp_path: Path) -> None:
    b = write(tmp_path / "b", base_journal())
    result = nexus("merge-driver", str(b), str(b), str(b), "--format", "yaml")
    assert result.exit_code == 2
    assert "unknown --format 'yaml'" in result.stderr


# --- properties --------------------------------------------------------------------------

TOPIC_IDS = ["python", "django", "docker"]
EDITS = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(TOPIC_IDS), st.sampled_from(list(Status))),
    st.tuples(st.just("notes"), st.sampled_from(TOPIC_IDS), st.sampled_from(["", "a", "b"])),
    st.tuples(st.just("tag"), st.sampled_from(TOPIC_IDS), st.sampled_from(["x", "y", "web"])),
    st.tuples(st.just("log"), st.sampled_from(TOPIC_IDS), st.integers(1, 28)),
    st.tuples(st.just("add-topic"), st.sampled_from(["celery", "graphql"]), st.integers(0, 1)),
    st.tuples(st.just("drop-session"), st.integers(0, 5), st.just(0)),
    st.tuples(st.just("drop-topic"), st.sampled_from(TOPIC_IDS), st.just(0)),
    st.tuples(st.just("problem"), st.just("routing"), st.sampled_from(["p", "q"])),
    st.tuples(st.just("drop-challenge"), st.just("routing"), st.just(0)),
)


def apply(journal: Journal, edits: list[tuple], side: str) -> Journal:
    out = journal.model_copy(deep=True)
    for n, (op, target, value) in enumerate(edits):
        topics = {t.id: t for t in out.topics}
        if op in ("status", "notes", "tag") and target in topics:
            t = topics[target]
            change = {"tag": {"tags": sorted({*t.tags, value})}, "status": {"status": value}}.get(
                op, {"notes": value}
            )
            out.topics = replace_topic(out, target, updated=T1 if side == "a" else T2, **change)
        elif op == "log" and target in topics:
            out.sessions.append(session(f"202611{value:02d}-{side}{n:03d}", target, value))
            out.sessions.sort(key=session_key)
        elif op == "add-topic" and target not in topics:
            out.topics.append(topic(target, created=T1 if value else T2, notes=side if value else ""))
        elif op == "drop-session" and target < len(out.sessions):
            del out.sessions[target]
        elif op == "drop-topic" and target in topics:
            out.topics = [t for t in out.topics if t.id != target]
            out.sessions = [s for s in out.sessions if s.topic != target]
        elif op == "problem" and out.challenges:
            out.challenges = [c.model_copy(update={"problem": value}) for c in out.challenges]
        elif op == "drop-challenge":
            out.challenges = []
    return out


def ids(journal: Journal) -> set[str]:
    return {e.id for name in store.SECTIONS for e in getattr(journal, name)}


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, max_size=6), st.lists(EDITS, max_size=6))
def test_merge_is_symmetric_and_loses_no_added_entry(edits_a: list, edits_b: list) -> None:
    base = base_journal()
    a, b = apply(base, edits_a, "a"), apply(base, edits_b, "b")
    ab, ba = merge.merge(base, a, b), merge.merge(base, b, a)
    # Swapping the sides swaps the two outcomes, and finds the same conflicts.
    assert text(ab.ours) == text(ba.theirs)
    assert text(ab.theirs) == text(ba.ours)
    assert [c.where for c in ab.conflicts] == [c.where for c in ba.conflicts]
    if ab.clean:
        assert text(ab.ours) == text(ab.theirs) == text(ba.ours)
    added = (ids(a) | ids(b)) - ids(base)
    assert added <= ids(ab.ours) | ids(ab.theirs)
    if ab.clean:
        assert added <= ids(ab.ours)
    for outcome in (ab.ours, ab.theirs):
        loaded = store.loads(text(outcome), "toml")  # both outcomes are valid journals
        topic_ids = {t.id for t in loaded.topics}
        assert {s.topic for s in loaded.sessions} <= topic_ids
        assert loaded.sessions == sorted(loaded.sessions, key=session_key)


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(EDITS, max_size=6))
def test_merging_with_an_untouched_side_gives_the_other_side(edits: list) -> None:
    base = base_journal()
    changed = apply(base, edits, "a")
    assert text(merge.merge(base, changed, base).ours) == text(changed)
    assert text(merge.merge(base, base, changed).ours) == text(changed)


def test_one_id_added_as_two_kinds_is_a_conflict_keeping_both() -> None:
    base = base_journal()
    ours = edited(base, topics=[*base.topics, topic("testing", created=T1)])
    theirs = edited(base, takeaways=[Takeaway(id="testing", title="Testing", created=T2)])
    result = merge.merge(base, ours, theirs)
    assert not result.clean
    assert any(c.where == "topics[testing]" for c in result.conflicts)
    assert "testing" in {t.id for t in result.ours.topics}
    assert "testing" not in {t.id for t in result.ours.takeaways}
    assert "testing" in {t.id for t in result.theirs.takeaways}
    assert "testing" not in {t.id for t in result.theirs.topics}


# --- a merge that `validate` would reject is a conflict ---------------------------------


def test_driver_reports_a_parent_cycle_made_by_the_two_sides_as_a_conflict(nexus, tmp_path: Path) -> None:
    base = base_journal()
    b = write(tmp_path / "b", base)
    o = write(tmp_path / "o", edited(base, topics=replace_topic(base, "django", parent="python")))
    t = write(tmp_path / "t", edited(base, topics=replace_topic(base, "python", parent="django")))
    result = nexus("merge-driver", str(b), str(o), str(t), "journal.toml")
    assert result.exit_code == 1, result.output
    assert "cycle" in result.stderr and "validate" in result.stderr
    marked = o.read_text(encoding="utf-8")
    assert merge.has_markers(marked)
    for side, wanted in (("ours", "django"), ("theirs", "python")):
        journal = store.loads(resolve(marked, side), "toml")
        assert [t.id for t in journal.topics if t.parent] == [wanted]
    check = nexus(
        "validate", str(write(tmp_path / "ours.toml", store.loads(resolve(marked, "ours"), "toml")))
    )
    assert check.exit_code == 0, check.output


def test_sessions_that_overlap_only_after_the_merge_are_a_conflict() -> None:
    from nexus_cli.core.sync import gitsync

    base = base_journal()
    at = dt.time(9, 0)
    mine = Session(id="20261110-aaaa", topic="python", date=dt.date(2026, 11, 10), start=at, minutes=60)
    yours = Session(id="20261110-bbbb", topic="django", date=dt.date(2026, 11, 10), start=at, minutes=60)
    texts = [text(base), text(edited(base, sessions=[*base.sessions, mine]))]
    texts.append(text(edited(base, sessions=[*base.sessions, yours])))
    merged = gitsync.merge_texts(*texts, "toml")
    assert merged.result is not None
    assert [c.reason for c in merged.result.conflicts if "NX208" in c.reason]
    assert merge.has_markers(merged.text)


# --- a timer stopped on two machines is one session ------------------------------------


def stopped(base: Journal, session_id: str, minutes: int, note: str = "") -> Journal:
    start = dt.time(9, 0)
    day = dt.date(2026, 11, 10)
    done = Session(
        id=session_id, topic="python", date=day, start=start, minutes=minutes, note=note, timer="t-one"
    )
    return edited(base, timer=None, sessions=[*base.sessions, done])


def with_timer() -> Journal:
    from nexus_cli.core.models import Timer

    started = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)
    return edited(base_journal(), timer=Timer(topic="python", started=started, id="t-one", host="laptop"))


def test_a_timer_stopped_on_both_sides_is_one_session_the_earlier_stop() -> None:
    base = with_timer()
    for ours, theirs in ((stopped(base, "20261110-aaaa", 60), stopped(base, "20261110-bbbb", 90)),) * 2:
        result = merge.merge(base, ours, theirs)
        assert result.clean, result.conflicts
        timed = [s for s in result.ours.sessions if s.timer == "t-one"]
        assert [(s.id, s.minutes) for s in timed] == [("20261110-aaaa", 60)]
        assert result.ours.timer is None
        ours, theirs = theirs, ours


def test_a_timer_stopped_on_both_sides_with_different_notes_is_a_conflict() -> None:
    base = with_timer()
    ours, theirs = stopped(base, "20261110-aaaa", 60, "loops"), stopped(base, "20261110-bbbb", 90, "classes")
    result = merge.merge(base, ours, theirs)
    assert [c.reason for c in result.conflicts if "stopped on both sides" in c.reason]
    assert [s.note for s in result.ours.sessions if s.timer] == ["loops"]
    assert [s.note for s in result.theirs.sessions if s.timer] == ["classes"]


def test_a_timer_stopped_on_one_side_and_a_new_one_started_on_the_other_keeps_the_new_one() -> None:
    from nexus_cli.core.models import Timer

    base = with_timer()
    ours = stopped(base, "20261110-aaaa", 60)
    new = Timer(topic="django", started=dt.datetime(2026, 11, 10, 11, tzinfo=dt.UTC), id="t-two")
    theirs = edited(stopped(base, "20261110-bbbb", 60), timer=new)
    result = merge.merge(base, ours, theirs)
    assert result.clean, result.conflicts
    assert result.ours.timer == new and len([s for s in result.ours.sessions if s.timer]) == 1


def test_a_journal_without_timer_ids_still_loads_and_merges_as_before() -> None:
    old = 'schema_version = 1\n\n[timer]\ntopic = "python"\nstarted = 2026-11-10T09:00:00Z\n'
    journal = store.loads(
        old + '\n[[topics]]\nid = "python"\nname = "Python"\n'
        "created = 2026-11-01T09:00:00Z\nupdated = 2026-11-01T09:00:00Z\n",
        "toml",
    )
    assert journal.timer is not None and journal.timer.id is None and journal.timer.host == ""
    assert "id =" not in store.dumps(journal, "toml").split("[timer]")[1].split("[[")[0]


# --- a journal left with conflict markers ---------------------------------------------


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_a_journal_with_conflict_markers_says_so_and_never_offers_the_backup(
    nexus, tmp_path: Path, fmt: store.Format
) -> None:
    base = base_journal()
    ours = edited(base, topics=replace_topic(base, "python", notes="mine"))
    theirs = edited(base, topics=replace_topic(base, "python", notes="yours"))
    result = merge.merge(base, ours, theirs)
    path = tmp_path / f"journal.{fmt}"
    path.write_text(merge.render(result, fmt), encoding="utf-8")
    before = path.read_bytes()
    for args in (["list", "topics"], ["log", "python", "1h"]):
        done = nexus("-j", str(path), *args)
        assert done.exit_code == 2
        assert "merge conflict" in done.stderr and "git add" in done.stderr
        assert "backup" not in done.stderr
    assert path.read_bytes() == before
