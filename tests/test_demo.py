"""The demo journal the README shows is current, valid and realistic."""

import datetime as dt
import re
import subprocess
import sys

from nexus_cli.core import store
from nexus_cli.core.demo import build_live
from support import EXAMPLE, FIXTURE_TOPICS, MORE_TECHNOLOGIES, ROOT


def test_demo_journal_is_what_the_generator_writes():
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "generate_demo.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_demo_journal_has_the_programme_in_it():
    journal = store.load_journal(EXAMPLE)
    top = {t.name for t in journal.topics if t.parent is None}
    assert {*FIXTURE_TOPICS, *MORE_TECHNOLOGIES} <= top
    assert sum(1 for t in journal.topics if t.parent) >= 10
    assert {c.id for c in journal.challenges} == {
        "kubernetes-complexity",
        "rabbitmq-message-broker",
        "celery-background-tasks",
    }
    assert all(c.solution for c in journal.challenges)
    assert len(journal.takeaways) == 7
    days = {s.date for s in journal.sessions}
    assert len(journal.sessions) >= 200 and (max(days) - min(days)).days >= 75


def test_nexus_demo_is_live_on_any_day_and_writes_nothing(nexus, journal_path, monkeypatch):
    # a month after the fixed example's dates, the demo still has this week's hours and a streak
    for now in ("2026-12-28T07:00:00+00:00", "2027-06-02T21:30:00+00:00", "2026-11-28T18:00:00+00:00"):
        monkeypatch.setenv("NEXUS_NOW", now)
        result = nexus("demo", "--width", "100")
        assert result.exit_code == 0, result.output
        streak = re.search(r"Streak\s+(\d+) days", result.stdout)
        assert streak and int(streak.group(1)) >= 2, result.stdout
        assert not re.search(r"This week\s+0h", result.stdout)
        assert "on track" in result.stdout
    assert not journal_path.exists()


def test_the_live_demo_is_a_valid_journal_dated_up_to_now(nexus, tmp_path, monkeypatch):
    for n, now in enumerate((dt.datetime(2027, 1, 4, 6, 0), dt.datetime(2027, 1, 9, 23, 0))):
        journal = build_live(now)
        days = {s.date for s in journal.sessions}
        assert max(days) <= now.date() and len(journal.sessions) >= 200
        assert {now.date() - dt.timedelta(days=1), now.date() - dt.timedelta(days=2)} <= days
        monkeypatch.setenv("NEXUS_NOW", now.isoformat())
        target = tmp_path / f"demo{n}.toml"
        assert nexus("demo", "--write", str(target)).exit_code == 0
        checked = nexus("validate", "--strict", str(target))
        assert checked.exit_code == 0, checked.output


def test_demo_write_saves_a_journal_and_never_overwrites(nexus, tmp_path):
    target = tmp_path / "demo.toml"
    assert nexus("demo", "--write", str(target)).exit_code == 0
    saved = target.read_bytes()
    assert store.load_journal(target).program.name == "ProDev Backend Engineering"
    again = nexus("demo", "--write", str(target))
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert target.read_bytes() == saved
