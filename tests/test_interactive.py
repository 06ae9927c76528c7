"""What happens when a person is at the terminal: prompts, confirmations, completion."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nexus_cli import ui
from nexus_cli.core import store


@pytest.fixture
def tty(monkeypatch):
    monkeypatch.setattr(ui, "is_interactive", lambda: True)


def test_missing_name_is_asked_for_on_a_tty(ok, started, tty):
    ok("add", "topic", input="GraphQL\n")
    assert "graphql" in {t.id for t in store.load_journal(started).topics}


def test_missing_solution_is_asked_for_on_a_tty(ok, started, tty):
    ok("add", "challenge", "Routing")
    ok("solve", "routing", input="drew the routes\n")
    assert store.load_journal(started).challenges[0].solution == "drew the routes"


def test_rm_asks_and_a_no_keeps_the_entry(nexus, ok, started, tty):
    before = started.read_bytes()
    declined = nexus("rm", "django", input="n\n")
    assert declined.exit_code == 0 and "nothing changed" in declined.stderr and started.read_bytes() == before
    ok("rm", "django", input="y\n")
    assert "django" not in {t.id for t in store.load_journal(started).topics}


def complete(words: str, env_journal: Path) -> list[str]:
    nexus = Path(sys.executable).parent / "nexus"
    env = dict(
        os.environ,
        _NEXUS_COMPLETE="complete_bash",
        COMP_WORDS=words,
        COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        NEXUS_JOURNAL=str(env_journal),
    )
    result = subprocess.run([str(nexus)], capture_output=True, text=True, env=env, timeout=30)
    return result.stdout.split()


@pytest.mark.skipif(not (Path(sys.executable).parent / "nexus").exists(), reason="nexus not installed")
def test_shell_completion_offers_topic_ids(started):
    offered = complete("nexus log d", started)
    assert any("decorators" in word for word in offered)
    assert any("django" in word for word in offered)
    assert not any("python" in word for word in offered)


def test_add_challenge_alone_asks_for_title_topic_and_problem(ok, started, tty):
    ok("add", "challenge", input="RabbitMQ routing\npython django\nexchanges and keys\n")
    challenge = store.load_journal(started).challenges[0]
    assert (challenge.title, challenge.topics, challenge.problem) == (
        "RabbitMQ routing",
        ["python", "django"],
        "exchanges and keys",
    )


def test_add_challenge_questions_may_be_skipped(ok, started, tty):
    ok("add", "challenge", input="Routing\n\n\n")
    challenge = store.load_journal(started).challenges[0]
    assert (challenge.topics, challenge.problem) == ([], "")


def test_add_takeaway_alone_asks_for_its_text(ok, started, tty):
    ok("add", "takeaway", input="Test first\nwrite the failing test before the code\n")
    takeaway = store.load_journal(started).takeaways[0]
    assert takeaway.text == "write the failing test before the code"


def test_bare_log_at_a_terminal_shows_today(ok, started, tty):
    assert ok("log").stdout == ok("today").stdout
    assert "Today, Sat 28 Nov  1h30m in 1 session" in ok("log").stdout


def test_bare_log_off_a_terminal_is_a_usage_error(nexus, started):
    result = nexus("log")
    assert result.exit_code == 2 and "TOPIC and DURATION missing" in result.stderr
