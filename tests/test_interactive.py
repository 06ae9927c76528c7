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
