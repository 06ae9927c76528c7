"""The rendered views on the demo journal: golden files at fixed widths, and what tables must do."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from golden_plugin import check
from nexus_cli.core import store
from nexus_cli.core.models import Journal

# (golden file, command line, COLUMNS)
VIEWS = [
    ("progress-40.txt", ["progress"], 40),
    ("progress-80.txt", ["progress"], 80),
    ("progress-200.txt", ["progress"], 200),
    ("stats.txt", ["stats"], 80),
    ("stats.json", ["stats", "--format", "json"], 80),
    ("list-topics.txt", ["list", "topics"], 80),
    ("list-challenges.txt", ["list", "challenges"], 80),
    ("list-challenges-40.txt", ["list", "challenges"], 40),
    ("list-takeaways.txt", ["list", "takeaways"], 80),
    ("list-sessions.txt", ["list", "sessions", "--since", "7d"], 80),
    ("show-topic.txt", ["show", "django"], 80),
    ("show-challenge.txt", ["show", "kubernetes-complexity"], 80),
    ("show-takeaway.txt", ["show", "test-driven"], 80),
    ("show-session.txt", ["show", "20261128-gt87"], 80),
]


@pytest.mark.parametrize(("name", "args", "columns"), VIEWS, ids=[v[0] for v in VIEWS])
def test_view_matches_golden(ok, demo, request, name, args, columns):
    result = ok(*args, env={"COLUMNS": str(columns)})
    check(request.config, f"views/{name}", result.stdout)


@pytest.mark.parametrize(("name", "args", "columns"), VIEWS, ids=[v[0] for v in VIEWS])
def test_views_fit_their_width_and_carry_no_padding(ok, demo, name, args, columns):
    lines = ok(*args, env={"COLUMNS": str(columns)}).stdout.splitlines()
    assert lines, "a view printed nothing"
    assert all(len(line) <= columns for line in lines)
    assert all(line == line.rstrip() for line in lines), "trailing spaces in piped output"
    assert lines[0].strip() and lines[-1].strip(), "blank first or last line"


def _demo(demo) -> Journal:
    return store.loads(demo.read_text(encoding="utf-8"), "toml")


# --- list ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["topics", "challenges", "takeaways", "sessions"])
@pytest.mark.parametrize("columns", [40, 60, 80, 200])
def test_list_never_cuts_text_at_any_width(ok, demo, kind, columns):
    """Every character of every entry's text is in the output (folded maybe, never cropped)."""
    journal = _demo(demo)
    out = ok("list", kind, env={"COLUMNS": str(columns)}).stdout
    wanted: Counter[str] = Counter()
    for entry in getattr(journal, kind):
        for field in ("id", "name", "title", "note", "text"):
            wanted.update("".join(str(getattr(entry, field, "")).split()))
        assert entry.id in out  # ids are never folded: people copy them into the next command
    missing = wanted - Counter("".join(out.split()))
    assert not missing, f"characters lost at {columns} columns: {missing}"


def test_narrow_list_turns_into_cards(ok, demo):
    out = ok("list", "challenges", env={"COLUMNS": "40"}).stdout
    assert "kubernetes-complexity\n" in out
    assert "  title" in out and "Kubernetes Complexity" in out
    wide = ok("list", "challenges", env={"COLUMNS": "120"}).stdout
    assert wide.splitlines()[0].split() == ["id", "title", "status", "topics", "opened", "resolved"]


def test_list_durations_and_relative_dates(ok, demo):
    out = ok("list", "sessions", "--since", "7d").stdout
    assert "today" in out and "2d ago" in out and "5d ago" in out
    assert "2026-11-28" not in out and "2026-11-21" in out  # a week back: the date itself
    topics = ok("list", "topics").stdout
    assert "11h30m" in topics  # python's own time: 690 minutes


def test_list_sorts_by_hours_descending(ok, demo):
    data = json.loads(ok("list", "topics", "--sort", "-hours", "--format", "json").stdout)
    minutes = [item["minutes"] for item in data]
    assert minutes == sorted(minutes, reverse=True)
    table = ok("list", "topics", "--sort", "-hours").stdout.splitlines()
    assert table[2].split()[0] == data[0]["id"]


def test_list_sort_by_unknown_field_says_which_exist(nexus, demo):
    result = nexus("list", "sessions", "--sort", "colour")
    assert result.exit_code == 2
    assert "date, minutes, topic" in result.stderr
    assert "Traceback" not in result.output


def test_list_colours_status_when_colour_is_forced(ok, demo):
    out = ok("list", "topics", env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert "\x1b[32mconfident" in out  # green
    assert "\x1b[33mlearning" in out  # yellow


# --- show ------------------------------------------------------------------------------------------


def test_show_topic_has_every_section(ok, demo):
    out = ok("show", "python").stdout
    for section in ("Subtopics", "Recent sessions", "Takeaways", "Resources"):
        assert section in out
    assert "32h45m" in out  # python and its subtopics
    assert "82% of 40h" in out


def test_show_topic_lists_recent_sessions_newest_first(ok, demo):
    out = ok("show", "kubernetes").stdout
    section = out.split("Recent sessions")[1]
    rows = [line for line in section.splitlines() if line[:1].isalnum() and not line.startswith("date")]
    assert rows[0].startswith("today")
    assert "Challenges" in out and "Kubernetes Complexity" in out


def test_show_challenge_puts_problem_and_solution(ok, demo):
    out = ok("show", "kubernetes-c").stdout
    assert "problem" in out and "solution" in out
    assert "2026-11-18" in out


def test_show_json_is_the_entry(ok, demo):
    data = json.loads(ok("show", "python", "--json").stdout)
    assert data["id"] == "python" and data["minutes"] == 690


def test_show_topic_lists_twenty_challenges_and_says_where_the_rest_are(ok, started):
    for n in range(23):
        ok("add", "challenge", f"Puzzle {n:02}", "-t", "decorators")
    shown = ok("show", "python").stdout
    assert "Challenges (20 of 23; all: nexus list challenges --topic python)" in shown
    assert "Puzzle 19" in shown and "Puzzle 20" not in shown
    listed = ok("list", "challenges", "--topic", "python").stdout
    assert "Puzzle 22" in listed


# A small, new journal (the `started` fixture: three topics, two sessions, begun yesterday).
SMALL_VIEWS = [
    ("small-progress-40.txt", ["progress"], 40),
    ("small-progress-80.txt", ["progress"], 80),
    ("small-progress-200.txt", ["progress"], 200),
    ("small-stats.txt", ["stats"], 80),
]


@pytest.mark.parametrize(("name", "args", "columns"), SMALL_VIEWS, ids=[v[0] for v in SMALL_VIEWS])
def test_small_journal_view_matches_golden(ok, started, request, name, args, columns):
    result = ok(*args, env={"COLUMNS": str(columns)})
    check(request.config, f"views/{name}", result.stdout)


def test_a_wide_terminal_keeps_every_topic_on_one_line(ok, started):
    out = ok("progress", env={"COLUMNS": "200"}).stdout
    names = ("── Python", "── Django", "── Decorators")
    rows = [line for line in out.splitlines() if any(name in line for name in names)]
    assert len(rows) == 3 and all("learning" in row or "planned" in row for row in rows), out


def test_the_pace_panel_is_as_wide_as_the_panels_above_it(ok, started):
    lines = ok("progress", env={"COLUMNS": "200"}).stdout.splitlines()
    top = next(line for line in lines if "Topics" in line).rstrip()
    pace = next(line for line in lines if "Pace" in line).rstrip()
    assert len(pace) == len(top), "\n".join(lines)


def test_a_new_journal_shows_no_weeks_before_it_began(ok, started):
    progress = ok("progress", env={"COLUMNS": "80"}).stdout
    assert "Sep" not in progress and "Oct" not in progress  # begun in November
    stats = ok("stats").stdout
    assert "Last 12 weeks" not in stats and "2026-09" not in stats


def test_this_week_reads_plainly(ok, started):
    out = ok("progress", env={"COLUMNS": "120"}).stdout
    assert "▼" not in out and "▲" not in out
    assert "last week 0h" in out
