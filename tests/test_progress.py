"""`nexus progress` and `nexus stats`: the numbers (core.stats) and the dashboard around them."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from pathlib import Path

import pytest

from golden_plugin import updating
from nexus_cli.core import stats, store
from nexus_cli.core.models import Challenge, Journal, Session, Topic
from nexus_cli.render.progress import TREE_TOPICS

NOW = dt.datetime(2026, 11, 28, 18, tzinfo=dt.UTC)
TODAY = NOW.date()  # a Saturday


def journal_of(*sessions: tuple[str, int, str], topics: list[Topic] | None = None) -> Journal:
    """A journal from (date, minutes, topic) triples."""
    topics = topics or [
        Topic(id="python", name="Python", created=NOW, updated=NOW, target_hours=10),
        Topic(
            id="decorators", name="Decorators", category="concept", parent="python", created=NOW, updated=NOW
        ),
        Topic(id="django", name="Django", status="learning", created=NOW, updated=NOW),
    ]
    return Journal(
        topics=topics,
        sessions=[
            Session(id=f"s{n}", topic=topic, date=dt.date.fromisoformat(day), minutes=minutes)
            for n, (day, minutes, topic) in enumerate(sessions)
        ],
    )


# --- core.stats ------------------------------------------------------------------------------------


def test_week_starts_on_monday():
    assert stats.week_start(TODAY) == dt.date(2026, 11, 23)
    assert stats.week_start(dt.date(2026, 11, 23)) == dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("days", "current", "longest"),
    [
        ([], 0, 0),
        (["2026-11-28"], 1, 1),
        (["2026-11-27"], 1, 1),  # today not over yet: yesterday's streak still counts
        (["2026-11-26"], 0, 1),
        (["2026-11-26", "2026-11-27", "2026-11-28"], 3, 3),
        (["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-27", "2026-11-28"], 2, 4),
        (["2026-11-28", "2026-11-29", "2026-11-30"], 1, 1),  # days after today do not count
        (["2025-12-31", "2026-01-01"], 0, 2),  # across a year
    ],
)
def test_streaks(days, current, longest):
    assert stats.streaks([dt.date.fromisoformat(d) for d in days], TODAY) == (current, longest)


def test_compute_totals_weeks_and_subtrees():
    journal = journal_of(
        ("2026-11-28", 60, "python"),
        ("2026-11-23", 30, "decorators"),  # Monday of this week
        ("2026-11-22", 45, "django"),  # Sunday of last week
        ("2026-11-16", 15, "python"),  # Monday of last week
        ("2026-11-28", 20, "django"),
    )
    numbers = stats.compute(journal, TODAY)
    assert numbers.total_minutes == 170
    assert numbers.sessions == 5 and numbers.study_days == 4
    assert numbers.this_week_minutes == 110
    assert numbers.last_week_minutes == 60
    assert numbers.own_minutes == {"python": 75, "decorators": 30, "django": 65}
    assert numbers.subtree_minutes == {"python": 105, "decorators": 30, "django": 65}
    assert numbers.category_minutes == {"technology": 140, "concept": 30}
    assert numbers.week_minutes == {dt.date(2026, 11, 16): 60, dt.date(2026, 11, 23): 110}
    assert numbers.topics_by_status == {"planned": 2, "learning": 1, "practicing": 0, "confident": 0}
    assert (numbers.current_streak, numbers.longest_streak) == (1, 2)


def test_subtree_minutes_survive_a_parent_loop():
    topics = [
        Topic(id="a", name="A", parent="b", created=NOW, updated=NOW),
        Topic(id="b", name="B", parent="a", created=NOW, updated=NOW),
    ]
    journal = journal_of(("2026-11-28", 10, "a"), ("2026-11-28", 5, "b"), topics=topics)
    assert stats.subtree_minutes(journal) == {"a": 15, "b": 15}


def test_heatmap_grid_has_weekday_rows_and_blank_future_days():
    daily = {TODAY: 90, dt.date(2026, 11, 23): 30}
    grid = stats.heatmap_grid(daily, TODAY, 12)
    assert len(grid) == 7 and all(len(row) == 12 for row in grid)
    assert grid[0][-1] == 30  # Monday of this week
    assert grid[5][-1] == 90  # today, a Saturday
    assert grid[6][-1] is None  # tomorrow
    assert grid[6][-2] == 0


def test_heatmap_shows_at_least_twelve_weeks_and_at_most_what_fits():
    assert stats.heatmap_weeks({}, TODAY, 40) == 12
    long_ago = {TODAY - dt.timedelta(weeks=30): 10}
    assert stats.heatmap_weeks(long_ago, TODAY, 100) == 31
    assert stats.heatmap_weeks(long_ago, TODAY, 20) == 20
    assert stats.heatmap_weeks(long_ago, TODAY, 5) == 5


def test_heat_thresholds_follow_the_learners_own_days():
    assert stats.heat_thresholds([10, 20]) == stats.HEAT_LEVELS  # too few days to measure
    bounds = stats.heat_thresholds([60, 120, 180, 240, 300, 360, 420, 480])
    assert bounds[0] == 1 and list(bounds) == sorted(set(bounds))
    assert all(b % stats.HEAT_STEP == 0 for b in bounds[1:])
    assert stats.heat_level(0, bounds) == 0 and stats.heat_level(480, bounds) == 4
    same = stats.heat_thresholds([60] * 10)  # identical days still give rising bounds
    assert list(same) == sorted(set(same))


def test_stats_are_linear_in_sessions():
    """10,000 sessions: one pass, well under the dashboard's budget."""
    import time

    many = journal_of(
        *[((TODAY - dt.timedelta(days=n % 900)).isoformat(), 30, "python") for n in range(10_000)]
    )
    start = time.process_time()
    numbers = stats.compute(many, TODAY)
    assert time.process_time() - start < 0.5
    assert numbers.total_minutes == 300_000


# --- nexus progress --------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_progress_is_side_by_side_when_wide_and_stacked_when_narrow(ok, demo):
    wide = ok("progress", env={"COLUMNS": "200"}).stdout
    first = _lines(wide)[0]
    assert "Topics" in first and "Summary" in first
    narrow = ok("progress", env={"COLUMNS": "40"}).stdout
    titles = [n for n, line in enumerate(_lines(narrow)) if re.match(r"╭─ (Topics|Summary|Study days)", line)]
    assert len(titles) == 3  # three panels, one under the other
    for out, width in ((wide, 200), (narrow, 40)):
        assert max(len(line) for line in _lines(out)) <= width


@pytest.mark.parametrize("columns", ["40", "80", "200"])
def test_progress_shows_tree_summary_and_heatmap(ok, demo, columns):
    out = ok("progress", env={"COLUMNS": columns}).stdout
    assert "ProDev Backend Engineering" in out
    for text in ("technology", "concept", "Django", "Signals", "32h45m", "226h", "longest 6 days"):
        assert text in out, text
    assert re.search(r"103%", out)  # django: 62h of a 60h target
    assert "0 open · 3 resolved" in out or ("0 open" in out and "3 resolved" in out)
    assert "Mon" in out and "Sep" in out and "Nov" in out


def test_progress_lists_open_challenges_under_their_topics(ok, started):
    ok("add", "challenge", "Decorator [bold]order", "--topic", "decorators")
    ok("add", "challenge", "Resolved one", "--topic", "python")
    ok("solve", "resolved-one", "--solution", "done")
    out = ok("progress", env={"COLUMNS": "100"}).stdout
    assert "⚑ Decorator [bold]order" in out
    assert "Resolved one" not in out
    assert "1 open" in out and "1 resolved" in out


def test_progress_on_an_empty_journal_is_a_friendly_message(ok):
    ok("init", "--program", "Fresh")
    result = ok("progress")
    assert result.stdout == ""
    assert "Nothing to show yet" in result.stderr and "nexus log" in result.stderr


def test_progress_with_topics_but_no_sessions(ok):
    ok("init")
    ok("add", "topic", "Rust", "--target", "10h")
    out = ok("progress").stdout
    assert "Rust" in out and "0% of 10h" in out and "0 sessions" in out


def test_progress_without_a_journal_is_one_line_error(nexus):
    result = nexus("progress")
    assert result.exit_code == 2
    assert "no journal" in result.stderr and "Traceback" not in result.output


def test_progress_svg_and_html_are_saved_in_colour(ok, demo, tmp_path):
    svg, html = tmp_path / "out" / "p.svg", tmp_path / "p.html"
    svg.parent.mkdir()
    result = ok("progress", "--svg", str(svg), "--html", str(html), "--width", "100")
    assert result.stdout == ""
    assert f"saved the progress view to {svg}" in result.stderr
    assert f"saved the progress page to {html}" in result.stderr
    picture = svg.read_text(encoding="utf-8")
    assert picture.startswith("<svg") and "ProDev&#160;Backend&#160;Engineering" in picture
    assert "fill=" in picture and "#" in picture
    page = html.read_text(encoding="utf-8")
    assert "<html" in page.lower() and "ProDev Backend Engineering" in page and "color:" in page
    assert not list(tmp_path.glob("**/*.tmp"))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(svg.stat().st_mode) == 0o666 & ~umask  # not 0600 like a journal


def test_progress_svg_into_a_missing_folder_is_an_error(nexus, demo, tmp_path):
    result = nexus("progress", "--svg", str(tmp_path / "nope" / "p.svg"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "nope" in result.stderr


def test_docs_picture_is_made_from_the_demo(ok, demo, tmp_path, request):
    """docs/progress.svg is the README's picture: it must be what the demo renders (--update-golden)."""
    docs = Path(__file__).resolve().parent.parent / "docs" / "progress.svg"
    out = tmp_path / "p.svg"
    ok("progress", "--svg", str(out), "--width", "100")
    if updating(request.config):
        docs.parent.mkdir(exist_ok=True)
        docs.write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    assert docs.exists(), "run pytest --update-golden (or UPDATE_GOLDEN=1) to make docs/progress.svg"
    assert out.read_text(encoding="utf-8") == docs.read_text(encoding="utf-8"), "docs/progress.svg is stale"


# --- nexus stats -----------------------------------------------------------------------------------


STATS_KEYS = [
    "today",
    "total_minutes",
    "sessions",
    "study_days",
    "first_day",
    "last_day",
    "this_week_minutes",
    "last_week_minutes",
    "streak",
    "topics_by_status",
    "challenges",
    "categories",
    "topics",
    "weeks",
    "days",
]


def test_stats_json_keys_are_stable(ok, demo):
    data = json.loads(ok("stats", "--format", "json").stdout)
    assert list(data) == STATS_KEYS
    assert list(data["streak"]) == ["current_days", "longest_days"]
    assert list(data["topics_by_status"]) == ["planned", "learning", "practicing", "confident"]
    assert list(data["challenges"]) == ["open", "resolved"]
    assert set(data["topics"]["python"]) == {
        "name",
        "category",
        "parent",
        "status",
        "minutes",
        "total_minutes",
        "target_hours",
    }


def test_stats_json_agrees_with_the_sessions(ok, demo):
    data = json.loads(ok("stats", "--format", "json").stdout)
    sessions = json.loads(ok("list", "sessions", "--format", "json").stdout)
    assert data["total_minutes"] == sum(s["minutes"] for s in sessions)
    assert data["sessions"] == len(sessions)
    assert data["study_days"] == len({s["date"] for s in sessions}) == len(data["days"])
    assert sum(data["weeks"].values()) == sum(data["categories"].values()) == data["total_minutes"]
    assert sum(t["minutes"] for t in data["topics"].values()) == data["total_minutes"]
    week = sum(s["minutes"] for s in sessions if s["date"] >= "2026-11-23")
    assert data["this_week_minutes"] == week
    assert data["topics"]["python"]["total_minutes"] == sum(
        s["minutes"]
        for s in sessions
        if s["topic"] in {"python", "decorators", "generators", "context-managers", "asyncio"}
    )
    assert data["today"] == "2026-11-28"


def test_stats_table_shows_the_same_numbers(ok, demo):
    data = json.loads(ok("stats", "--format", "json").stdout)
    out = ok("stats").stdout
    total = data["total_minutes"]
    assert f"{total // 60}h" in out
    assert f"{data['streak']['longest_days']} days" in out
    for section in ("Totals", "Statuses", "Time by category", "Time by topic", "Last 12 weeks"):
        assert section in out
    assert "this week" in out and "last week" in out and "2026-09-07" in out


def test_stats_on_an_empty_journal(ok):
    ok("init")
    data = json.loads(ok("stats", "--format", "json").stdout)
    assert data["total_minutes"] == 0 and data["first_day"] is None and data["weeks"] == {}
    assert "0 days" in ok("stats").stdout


def test_stats_help_documents_the_json_keys(ok):
    out = ok("stats", "--help").stdout
    for key in ("total_minutes", "streak", "topics_by_status", "categories", "weeks"):
        assert key in out


def test_pace_panel_shows_only_when_there_are_targets(ok, started, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    shown = ok("progress").stdout
    assert "Pace" in shown
    assert "37h45m" in shown  # Python: 40h target, 2h15m logged with its subtopic
    ok("edit", "python", "--target", "2h")
    assert "met" in ok("progress").stdout


def test_pace_panel_is_absent_without_targets(ok, journal_path):
    ok("init", "--program", "P")
    ok("add", "topic", "Go")
    ok("log", "go", "1h")
    assert "Pace" not in ok("progress").stdout


def test_a_topic_shows_its_oldest_open_challenges_and_counts_the_rest(ok, started, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    for n in range(5):
        ok("add", "challenge", f"Problem number {n}", "-t", "django")
    shown = ok("progress").stdout
    assert "Problem number 0" in shown and "Problem number 2" in shown
    assert "Problem number 3" not in shown
    assert "2 more open" in shown


def test_the_pace_panel_lists_the_main_goals_and_counts_the_rest(ok, journal_path, monkeypatch):
    """A dashboard, not a list: past a dozen goals the panel names the outermost and sends to `pace`."""
    monkeypatch.setenv("COLUMNS", "120")
    ok("init", "--program", "P", "--ends", "2030-01-01")
    for n in range(14):
        ok("add", "topic", f"Main {n:02}", "--target", "10h")
    for n in range(3):
        ok("add", "topic", f"Sub {n}", "--parent", "main-00", "--target", "2h")
    shown = ok("progress").stdout
    assert "Main 11" in shown.split("Pace")[1]  # twelve goals, all outermost, in journal order
    assert "Main 12" not in shown.split("Pace")[1] and "Sub 0" not in shown.split("Pace")[1]
    assert "… 5 more goals: nexus pace" in shown
    every = ok("pace").stdout
    assert "Main 13" in every and "Sub 2" in every and "more goals" not in every
    monkeypatch.setenv("COLUMNS", "50")  # the compact pace panel says the same
    narrow = ok("progress").stdout.split("Pace")[1]
    assert "Main 11" in narrow and "Main 12" not in narrow and "5 more goals" in narrow


def _many_topics(journal_path: Path, roots: int, subtopics: int) -> None:
    """Write a journal of `roots` topics with `subtopics` each, and an open challenge on a subtopic."""
    stamp = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    topics, challenges = [], []
    for r in range(roots):
        topics.append(Topic(id=f"root-{r}", name=f"Root {r}", created=stamp, updated=stamp))
        for s in range(subtopics):
            sub = Topic(
                id=f"sub-{r}-{s}", name=f"Sub {r}.{s}", parent=f"root-{r}", created=stamp, updated=stamp
            )
            topics.append(sub)
    challenges.append(Challenge(id="stuck", title="Stuck on a subtopic", topics=["sub-0-1"], opened=stamp))
    store.create(journal_path, Journal(topics=topics, challenges=challenges))


def test_a_large_tree_shows_top_level_topics_with_their_subtrees_folded(ok, journal_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    _many_topics(journal_path, roots=10, subtopics=6)  # 70 topics
    shown = ok("progress").stdout
    assert "Root 9" in shown and "Sub 0.1" not in shown
    assert "… 6 subtopics: nexus show root-0" in shown
    assert "Stuck on a subtopic" in shown.split("Root 1")[0]  # under its top-level topic
    every = ok("progress", "--all").stdout
    assert "Sub 9.5" in every and "subtopics: nexus show" not in every
    assert f"past {TREE_TOPICS} topics" in ok("progress", "--help").stdout


def test_a_tree_of_many_top_level_topics_counts_the_rest(ok, journal_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    _many_topics(journal_path, roots=65, subtopics=0)
    ok("add", "topic", "Elsewhere", "--category", "concept")  # a category past the cut: not shown
    shown = ok("progress").stdout
    assert "Root 59" in shown and "Root 60" not in shown and "concept" not in shown
    assert "60 of 65 topics" in shown
    assert "… 6 more top-level topics: nexus progress --all" in shown
    assert "Root 64" in ok("progress", "--all").stdout


def test_ancestors_stop_at_the_top_a_missing_parent_and_a_loop():
    from nexus_cli.core.queries import ancestors

    parents = {"a": "b", "b": "c", "c": "a", "d": "missing", "e": None, "f": "e"}
    assert list(ancestors("a", parents)) == ["b", "c"]
    assert list(ancestors("d", parents)) == []
    assert list(ancestors("f", parents)) == ["e"]
    assert list(ancestors("e", parents)) == []


def test_json_and_a_picture_are_not_asked_for_together(nexus, demo, tmp_path):
    for flag in ("--svg", "--html"):
        picture = tmp_path / f"out{flag.strip('-')}"
        result = nexus("progress", "--format", "json", flag, str(picture))
        assert result.exit_code == 2 and f"{flag} saves the dashboard" in result.stderr
        assert not picture.exists()
