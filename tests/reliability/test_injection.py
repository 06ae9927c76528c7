"""User text never reaches the terminal as an escape sequence or as markup; JSON keeps it exactly."""

from __future__ import annotations

import json

import pytest
from attack import RAW, Run, assert_clean_error, has_command, in_process, isolated_env, run_many
from typer.testing import CliRunner

from nexus_cli.cli import app

# Text a learner might paste, or an attacker might plant in a shared journal.
HOSTILE = [
    "\x1b[31mred\x1b[0m",  # CSI colour
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b]0;pwned title\x07",  # OSC 0: window title
    "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\",  # OSC 8: hyperlink
    "\x1b]52;c;cHduZWQ=\x07",  # OSC 52: write the clipboard
    "\x9b31mC1 CSI",  # C1 control
    "\x9d0;C1 OSC\x9c",
    "[bold red]markup[/bold red] [link=https://evil.example]x[/link]",  # Rich markup
    "\u202eevil\u202c",  # right-to-left override
    "back\x08space del\x7f bell\x07 cr\rreturn",
    "quotes \"double\" \\ 'single' tab\there",
    "学习 🐍 naïve",
]
JOINED = " | ".join(HOSTILE)
TOPIC_NAMES = [" | ".join(HOSTILE[:6]), " | ".join(HOSTILE[6:])]


@pytest.fixture(scope="module")
def hostile_journal(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A journal whose every text field holds hostile text, written through the CLI."""
    folder = tmp_path_factory.mktemp("hostile")
    env = isolated_env(folder)
    for args in [
        ("init", "--program", HOSTILE[0] + " programme"),
        ("add", "topic", "Plain"),
        ("add", "topic", TOPIC_NAMES[0], "--notes", JOINED, "--tag", "\x1b[5mtag"),
        ("add", "topic", TOPIC_NAMES[1], "--parent", "plain"),
        (
            "add",
            "challenge",
            "Challenge " + JOINED[:150],
            "-t",
            "plain",
            "--problem",
            JOINED,
            "--solution",
            JOINED,
        ),
        ("add", "takeaway", "Takeaway " + JOINED[:150], "--text", JOINED, "-t", "plain"),
        ("log", "plain", "1h", "--note", JOINED),
        ("add", "resource", "plain", "https://evil.example/\x1b]8;;x", "--title", JOINED[:200]),
    ]:
        # written in-process (the installed program reads it back below): start-ups are dear
        result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return env


def _ids(invoke, env: dict[str, str], kind: str) -> list[str]:
    run = in_process(invoke, "list", kind, "--format", "json", env=env)
    assert run.returncode == 0, str(run)
    return [item["id"] for item in json.loads(run.stdout)]


def test_json_keeps_hostile_text_exactly(hostile_journal):
    env = hostile_journal
    runs = run_many(
        [
            (("list", kind, "--format", "json"), {"env": env})
            for kind in ("topics", "challenges", "takeaways", "sessions")
        ]
    )
    topics, challenges, takeaways, sessions = (json.loads(run.stdout) for run in runs)
    names = {topic["name"] for topic in topics}
    assert set(TOPIC_NAMES) <= names
    hostile_topic = next(t for t in topics if t["name"] == TOPIC_NAMES[0])
    assert hostile_topic["notes"] == JOINED and hostile_topic["tags"] == ["\x1b[5mtag"]
    assert challenges[0]["title"] == "Challenge " + JOINED[:150]
    assert (challenges[0]["problem"], challenges[0]["solution"]) == (JOINED, JOINED)
    assert (takeaways[0]["title"], takeaways[0]["text"]) == ("Takeaway " + JOINED[:150], JOINED)
    assert sessions[0]["note"] == JOINED


def _views(invoke, env: dict[str, str]) -> list[tuple[str, ...]]:
    views: list[tuple[str, ...]] = [
        ("list", kind) for kind in ("topics", "challenges", "takeaways", "sessions")
    ]
    for kind in ("topics", "challenges", "takeaways", "sessions"):
        views += [("show", entry_id) for entry_id in _ids(invoke, env, kind)]
    views += [(name,) for name in ("progress", "stats", "next", "pace", "review") if has_command(name)]
    return views


def test_no_view_lets_an_escape_sequence_or_markup_through(hostile_journal, nexus):
    env = hostile_journal
    views = _views(nexus, env)
    runs = [in_process(nexus, *args, env=env) for args in views]
    leaks = []
    for args, run in zip(views, runs, strict=True):
        assert run.returncode == 0, str(run)
        assert "Traceback" not in run.stderr
        for stream in (run.stdout, run.stderr):
            found = RAW.search(stream)
            if found:
                around = stream[max(found.start() - 40, 0) : found.end() + 40]
                leaks.append(f"nexus {' '.join(args)}: {found.group()!r} in {around!r}")
    assert not leaks, "\n".join(leaks)
    shown = next(
        run for args, run in zip(views, runs, strict=True) if args[0] == "show" and "markup" in run.stdout
    )
    flowed = " ".join(shown.stdout.split())  # the view may wrap a long value
    assert "[bold red]markup[/bold red]" in flowed, "markup must be shown as typed, not obeyed"


ATTACKS = [
    ("show", "\x1b]52;c;cHduZWQ=\x07"),
    ("show", "\x1b[2J\x1b[H\x9b31m"),
    ("log", "\x1b]0;title\x07", "1h"),
    ("solve", "\x1b]8;;https://evil\x1b\\x", "--solution", "s"),
    ("rm", "\u202eevil", "--yes"),
    ("list", "\x1b[31mtopics"),
    ("--\x1b]0;title\x07",),
    ("log", "plain", "\x1b[31m1h"),
    ("log", "plain", "1h", "--date", "\x1b[2J"),
    ("-j", "/tmp/\x1b[2J\x1b]0;x\x07/journal.toml", "list", "topics"),
]


def _check_neutralised(run: Run) -> None:
    line = assert_clean_error(run, code=run.returncode if run.returncode in (1, 2) else 2)
    assert not RAW.search(run.stderr), repr(run.stderr)
    shown = ("␛", "\\x1b", "\\u202e")
    assert any(mark in line for mark in shown), "the escape must be shown, so the user sees what was typed"


@pytest.mark.parametrize("args", ATTACKS, ids=lambda args: repr(" ".join(args))[1:30])
def test_error_messages_neutralise_what_was_typed(hostile_journal, nexus, args):
    _check_neutralised(in_process(nexus, *args, env=hostile_journal))


def test_the_installed_nexus_neutralises_them_too(hostile_journal):
    for run in run_many([(args, {"env": hostile_journal}) for args in ATTACKS[:3] + ATTACKS[-2:]]):
        _check_neutralised(run)
