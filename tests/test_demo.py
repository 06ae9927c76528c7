"""The demo journal the README shows is current, valid and realistic."""

import subprocess
import sys

from nexus_cli.core import store
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
