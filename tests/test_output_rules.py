"""Output rules for every view: colour only when wanted, user text never markup or escapes, pipes."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nexus_cli.core import store
from nexus_cli.core.models import Challenge, Journal, Program, Resource, Session, Takeaway, Topic

NEXUS = Path(sys.executable).with_name("nexus")  # the installed entry point of this environment
NOW = dt.datetime(2026, 11, 28, 18, tzinfo=dt.UTC)

# Rich markup, an emoji code, and terminal escapes: SGR, OSC 52 (clipboard), OSC 8 (hyperlink), C1 CSI.
HOSTILE = (
    "[bold]B[/] [/] [link=https://x]L[/link] :smiley: "
    "\x1b[31mRED \x1b]52;c;ZXZpbA==\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x9b31m"
)
VISIBLE = ("[bold]B[/]", "[/]", "[link=https://x]L[/link]", ":smiley:")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def hostile_journal() -> Journal:
    """Every kind of entry, with hostile text in every free-text field."""
    return Journal(
        program=Program(name="Prog " + HOSTILE, description=HOSTILE, start=dt.date(2026, 9, 7)),
        topics=[
            Topic(
                id="evil",
                name="Evil " + HOSTILE,
                category="[bold]cat[/] :smiley: \x1b[31m\x1b]52;c;ZXZpbA==\x07\x9b",
                notes=HOSTILE,
                tags=["[bold]", ":smiley:"],
                target_hours=10,
                resources=[Resource(url="https://x/" + HOSTILE, title=HOSTILE)],
                created=NOW,
                updated=NOW,
            ),
            Topic(id="child", name="Child " + HOSTILE, parent="evil", created=NOW, updated=NOW),
        ],
        challenges=[
            Challenge(
                id="bad-challenge",
                title="Bad " + HOSTILE,
                topics=["evil"],
                problem=HOSTILE,
                solution=HOSTILE,
                tags=["[/]"],
                opened=NOW,
            )
        ],
        takeaways=[
            Takeaway(id="bad-takeaway", title="Take " + HOSTILE, text=HOSTILE, topics=["child"], created=NOW)
        ],
        sessions=[
            Session(id="20261128-evil", topic="evil", date=NOW.date(), minutes=90, note=HOSTILE),
            Session(
                id="20261127-evil", topic="child", date=NOW.date() - dt.timedelta(1), minutes=30, note=HOSTILE
            ),
        ],
    )


@pytest.fixture
def hostile(journal_path: Path) -> Path:
    journal_path.write_text(store.dumps_toml(hostile_journal()), encoding="utf-8")
    return journal_path


VIEWS = [
    ["list", "topics"],
    ["list", "challenges"],
    ["list", "takeaways"],
    ["list", "sessions"],
    ["show", "evil"],
    ["show", "child"],
    ["show", "bad-challenge"],
    ["show", "bad-takeaway"],
    ["show", "20261128-evil"],
    ["progress"],
    ["stats"],
    ["stats", "--format", "json"],
]
ERRORS = [
    ["show", HOSTILE],
    ["list", "sessions", "--topic", HOSTILE],
    ["list", "sessions", "--sort", HOSTILE],
    ["log", "evil", HOSTILE],
]


def assert_inert(text: str, *, colour: bool) -> None:
    """No escape sequence but (when colour is on) plain SGR colour codes."""
    rest = SGR.sub("", text) if colour else text
    for bad in ("\x1b", "\x07", "\x9b", "\x1b]8", "\x1b]52"):
        assert bad not in rest, f"{bad!r} reached the terminal"
    assert "😃" not in text


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "forced-colour"])
@pytest.mark.parametrize("columns", ["200", "40"])
@pytest.mark.parametrize("args", VIEWS, ids=[" ".join(v) for v in VIEWS])
def test_user_text_is_data_in_every_view(ok, hostile, args, columns, colour):
    env = {"COLUMNS": columns, "FORCE_COLOR": "1", "NO_COLOR": ""} if colour else {"COLUMNS": columns}
    result = ok(*args, env=env)
    assert_inert(result.stdout, colour=colour)
    assert_inert(result.stderr, colour=colour)
    if colour and args[0] != "stats":
        assert SGR.search(result.stdout), "forced colour printed no colour"
    if columns == "200" and args != ["stats"]:  # wide: user text is on one line, markup shown as typed
        plain = SGR.sub("", result.stdout)
        for literal in VISIBLE:
            assert literal in plain, (literal, args)
        if args[-1] != "json":
            assert "␛[31mRED" in plain  # ESC shown as a visible stand-in


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "forced-colour"])
@pytest.mark.parametrize("args", ERRORS, ids=["show", "topic-filter", "sort", "log"])
def test_user_text_is_data_in_error_messages(nexus, hostile, args, colour):
    env = {"FORCE_COLOR": "1", "NO_COLOR": ""} if colour else {}
    result = nexus(*args, env=env)
    assert result.exit_code != 0
    assert result.stderr.strip() and "Traceback" not in result.output
    assert_inert(result.stderr, colour=colour)
    assert_inert(result.stdout, colour=colour)


def test_stats_json_keeps_the_text_but_escapes_controls(ok, hostile):
    out = ok("stats", "--format", "json").stdout
    assert_inert(out, colour=False)
    assert json.loads(out)["topics"]["evil"]["name"] == "Evil " + HOSTILE


# --- colour on and off -----------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["progress"], ["stats"], ["list", "topics"], ["show", "python"]])
def test_forced_colour_colours_and_no_color_wins(ok, demo, args):
    forced = ok(*args, env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert SGR.search(forced)
    both = ok(*args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    flag = ok("--no-color", *args, env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    for plain in (both, flag):
        assert "\x1b" not in plain
    if args != ["progress"]:  # the dashboard also swaps its heatmap glyphs for coloured squares
        assert SGR.sub("", forced).split() == both.split()  # same words, only the colour differs
    assert len(forced.splitlines()) == len(both.splitlines())


def test_piped_output_has_no_colour_by_default(ok, demo):
    # conftest sets NO_COLOR; without it and without FORCE_COLOR, a pipe still gets plain text
    for args in (["progress"], ["list", "sessions"], ["stats"]):
        assert "\x1b" not in ok(*args, env={"NO_COLOR": ""}).stdout


@pytest.mark.parametrize(("term", "squares"), [("xterm-256color", True), ("xterm", False)])
def test_progress_heatmap_uses_colour_squares_only_with_shades_of_green(ok, demo, term, squares):
    plain = ok("progress").stdout
    assert "■" not in plain and any(glyph in plain for glyph in "░▒▓█")
    env = {"FORCE_COLOR": "1", "NO_COLOR": "", "TERM": term, "COLORTERM": ""}
    coloured = ok("progress", env=env).stdout
    assert ("■" in coloured) is squares


# --- real pipes ------------------------------------------------------------------------------------


def big_journal(path: Path, sessions: int = 4000) -> Path:
    """A journal whose listings are far bigger than a pipe's buffer."""
    journal = Journal(
        topics=[Topic(id="python", name="Python", target_hours=100, created=NOW, updated=NOW)],
        sessions=[
            Session(
                id=f"s{n:05d}",
                topic="python",
                date=NOW.date() - dt.timedelta(days=n % 700),
                minutes=30,
                note="a long enough note to fill the pipe " * 2,
            )
            for n in range(sessions)
        ],
    )
    path.write_text(store.dumps_toml(journal), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.skipif(not NEXUS.exists(), reason="the installed nexus is not there")
@pytest.mark.parametrize(
    "args",
    [
        ["list", "sessions"],
        ["list", "sessions", "--format", "json"],
        ["stats", "--format", "json"],
        ["progress"],
    ],
)
def test_closing_the_pipe_early_is_quiet(tmp_path, args):
    """`nexus ... | head -1`: one line out, no traceback, exit 0."""
    path = big_journal(tmp_path / "big.toml")
    env = {**os.environ, "NEXUS_NOW": NOW.isoformat(), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [str(NEXUS), "-j", str(path), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, error
    assert first.strip()
    assert "Traceback" not in error and "Error" not in error, error


@pytest.mark.slow
@pytest.mark.skipif(not NEXUS.exists(), reason="the installed nexus is not there")
def test_shell_pipe_to_head(tmp_path):
    path = big_journal(tmp_path / "big.toml")
    env = {**os.environ, "NEXUS_NOW": NOW.isoformat(), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"'{NEXUS}' -j '{path}' list sessions | head -1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["id", "date", "topic", "time", "note"]
    assert result.stderr == ""
    assert "\x1b" not in result.stdout


def test_json_output_escapes_c1_controls_but_keeps_the_text(ok, started):
    note = "csi \x9b31m del \x7f sep \u2028 end"
    ok("log", "python", "10m", "--note", note)
    out = ok("list", "sessions", "--format", "json").stdout
    assert "\x9b" not in out and "\x7f" not in out and "\u2028" not in out
    assert "\\u009b" in out
    assert note in [record.get("note") for record in json.loads(out)]
