"""edit TOPIC --id NEW: the id changes and every reference follows, in one write."""

from __future__ import annotations

import pytest

from nexus_cli.core import store
from nexus_cli.core.store import files as store_files


@pytest.fixture
def referenced(ok, started):
    ok("add", "challenge", "Routing", "-t", "python", "--problem", "hard")
    ok("add", "takeaway", "Test first", "-t", "python", "-t", "django")
    ok("start", "python", "--at", "17:00")
    return started


def test_renaming_a_topic_moves_every_reference(ok, referenced):
    before = store.load_journal(referenced)
    own = sum(s.minutes for s in before.sessions if s.topic == "python")
    result = ok("edit", "python", "--id", "python3")
    assert "renamed python to python3" in result.stderr
    after = store.load_journal(referenced)
    ids = {t.id for t in after.topics}
    assert "python3" in ids and "python" not in ids
    assert next(t for t in after.topics if t.id == "decorators").parent == "python3"
    assert sum(s.minutes for s in after.sessions if s.topic == "python3") == own
    assert not [s for s in after.sessions if s.topic == "python"]
    assert after.challenges[0].topics == ["python3"]
    assert after.takeaways[0].topics == ["python3", "django"]
    assert after.timer is not None and after.timer.topic == "python3"
    assert "python" not in referenced.read_text().replace("python3", "")


def test_a_rename_with_other_changes_is_one_write(ok, referenced, monkeypatch):
    writes = []
    real = store_files.atomic_write
    monkeypatch.setattr(store_files, "atomic_write", lambda *a, **k: (writes.append(a[0]), real(*a, **k))[1])
    ok("edit", "python", "--id", "py", "--status", "practicing")
    assert len(writes) == 1
    topic = next(t for t in store.load_journal(referenced).topics if t.id == "py")
    assert topic.status.value == "practicing"


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("django", "already the id of a topic"),
        ("routing", "already the id of a challenge"),
        ("program", "reserved"),
        ("Bad Id", "is not an id"),
        ("python", "already has that id"),
    ],
)
def test_a_taken_reserved_or_malformed_id_is_refused(nexus, referenced, new, message):
    before = referenced.read_bytes()
    result = nexus("edit", "python", "--id", new)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert referenced.read_bytes() == before


def test_a_session_keeps_its_id(nexus, referenced):
    session = store.load_journal(referenced).sessions[0].id
    result = nexus("edit", session, "--id", "my-session")
    assert result.exit_code == 2 and "cannot be changed" in result.stderr


def test_a_challenge_can_be_renamed_too(ok, referenced):
    ok("edit", "routing", "--id", "rabbitmq-routing")
    assert store.load_journal(referenced).challenges[0].id == "rabbitmq-routing"
