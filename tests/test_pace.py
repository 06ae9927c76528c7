"""Goals and pace: hours still needed, pace of the last weeks, projected finish vs the end."""

import datetime as dt
import json

import pytest
from rich.console import Console

from nexus_cli.core import pace
from nexus_cli.core.models import Journal, Program, Session, Topic
from nexus_cli.render.pace import render_summary

TODAY = dt.date(2026, 11, 28)
END = dt.date(2026, 12, 28)
D = dt.date


def make_topic(id_, target=None, parent=None):
    stamp = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    return Topic(id=id_, name=id_.title(), target_hours=target, parent=parent, created=stamp, updated=stamp)


def sessions(topic, *pairs):
    return [
        Session(id=f"{topic}-{n}", topic=topic, date=day, minutes=minutes)
        for n, (day, minutes) in enumerate(pairs)
    ]


def journal(topics, logged, start=D(2026, 9, 1), end=END):
    return Journal(program=Program(name="ProDev", start=start, end=end), topics=topics, sessions=logged)


@pytest.fixture
def fixed():
    """Docker behind, Python met, GraphQL never started, Django split over a subtopic."""
    topics = [
        make_topic("docker", 20),
        make_topic("python", 5),
        make_topic("graphql", 10),
        make_topic("django", 30),
        make_topic("django-orm", 8, parent="django"),
    ]
    logged = [
        # Docker: 2h before the window, then 8h in the last 28 days -> 2h a week, 10h left.
        *sessions("docker", (D(2026, 10, 1), 120), (D(2026, 11, 2), 240), (D(2026, 11, 28), 240)),
        *sessions("python", (D(2026, 10, 5), 6 * 60)),
        # Django: 14h in the window, 7h of it on the subtopic -> 3.5h a week, 16h left.
        *sessions("django", (D(2026, 11, 10), 7 * 60)),
        *sessions("django-orm", (D(2026, 11, 20), 7 * 60)),
    ]
    return journal(topics, logged)


def by_id(summary):
    return {p.topic_id: p for p in summary.topics}


def test_hours_pace_and_projection_of_a_goal_behind(fixed):
    docker = by_id(pace.summarize(fixed, TODAY))["docker"]
    assert (docker.done_hours, docker.remaining_hours, docker.per_week) == (10, 10, 2)
    assert docker.projected == TODAY + dt.timedelta(days=35)  # 10h at 2h a week
    assert docker.needed_per_week == round(10 / 30 * 7, 2)
    assert docker.behind


def test_a_goal_on_track_is_not_flagged(fixed):
    django = by_id(pace.summarize(fixed, TODAY))["django"]
    assert (django.done_hours, django.per_week) == (14, 3.5)  # the subtopic's time counts
    assert django.projected == TODAY + dt.timedelta(days=32)  # 16h at 3.5h a week
    assert django.behind  # 2026-12-30 is after the end
    later = journal(fixed.topics, fixed.sessions, end=D(2026, 12, 31))
    assert not by_id(pace.summarize(later, TODAY))["django"].behind


def test_met_and_never_started_goals(fixed):
    goals = by_id(pace.summarize(fixed, TODAY))
    python, graphql = goals["python"], goals["graphql"]
    assert python.done and python.remaining_hours == 0 and not python.behind
    assert python.needed_per_week is None
    assert graphql.per_week == 0 and graphql.projected is None and graphql.behind


def test_overall_sums_outermost_goals_and_uses_all_recent_study(fixed):
    overall = pace.summarize(fixed, TODAY).overall
    # docker 20 + python 5 + graphql 10 + django 30; django-orm's 8h are inside django's.
    assert overall.target_hours == 65
    # Python's extra hour does not count towards the others.
    assert overall.remaining_hours == 10 + 0 + 10 + 16
    assert overall.per_week == (8 + 14) / 4
    assert overall.done_hours == 65 - 36
    assert overall.projected == TODAY + dt.timedelta(days=46)  # 36h at 5.5h a week: 45.8 days, rounded up
    assert overall.behind


def test_without_an_end_date_nothing_is_behind(fixed):
    summary = pace.summarize(journal(fixed.topics, fixed.sessions, end=None), TODAY)
    assert summary.behind == [] and summary.overall.needed_per_week is None
    assert by_id(summary)["docker"].projected == TODAY + dt.timedelta(days=35)


def test_after_the_end_unfinished_goals_are_missed_not_behind(fixed):
    summary = pace.summarize(journal(fixed.topics, fixed.sessions, end=D(2026, 11, 1)), TODAY)
    assert summary.behind == []
    assert {p.topic_id for p in summary.topics if p.missed} == {"docker", "graphql", "django", "django-orm"}


def test_an_ended_programme_says_so_instead_of_behind(ok, started):
    ok("edit", "program", "--starts", "2026-09-01", "--ends", "2026-11-20")
    out = " ".join(ok("progress").stdout.split())
    assert "programme ended 2026-11-20" in out
    assert "not met" in out and "behind" not in out and "no pace" not in out
    table = " ".join(ok("pace").stdout.split())
    assert "programme ended 2026-11-20" in table and "behind" not in table


def test_the_overall_pace_of_a_single_goal_is_that_goal_s_pace(ok, started):
    # Django has no target: its hours bring no goal closer, so they are not in the overall pace
    ok("log", "django", "5h", "--date", "yesterday")
    data = __import__("json").loads(ok("pace", "--format", "json").stdout)
    assert data["overall"]["hours_per_week"] == data["topics"][0]["hours_per_week"]


@pytest.mark.parametrize(
    ("days", "text"),
    [(7, "the last week"), (28, "the last 4 weeks"), (9, "the last 9 days"), (14, "the last 2 weeks")],
)
def test_the_pace_window_reads_naturally(days, text):
    from nexus_cli.render.pace import window_text

    assert window_text(days) == text


@pytest.mark.parametrize(("start", "days"), [(D(2026, 9, 1), 28), (D(2026, 11, 21), 8), (D(2026, 11, 27), 7)])
def test_a_recent_start_shortens_the_window_but_not_below_a_week(start, days):
    only = journal([make_topic("docker", 20)], sessions("docker", (TODAY, 120)), start=start)
    summary = pace.summarize(only, TODAY)
    assert summary.window_days == days
    assert summary.overall.per_week == round(2 * 7 / days, 2)


def test_no_targets_no_overall():
    summary = pace.summarize(journal([make_topic("docker")], []), TODAY)
    assert summary.topics == [] and summary.overall is None


def text_of(renderable):
    console = Console(width=100, no_color=True, record=True)
    console.print(renderable)
    return console.export_text()


def test_pace_summary_shows_each_goal_and_flags_the_behind(fixed):
    text = text_of(render_summary(pace.summarize(fixed, TODAY)))
    assert "programme ends 2026-12-28" in text
    rows = {line.split()[0]: line for line in text.splitlines() if line.strip()}
    assert "behind" in rows["Docker"] and "2027-01-02" in rows["Docker"]
    assert "met" in rows["Python"] and "behind" not in rows["Python"]
    assert "no pace" in rows["Graphql"]
    assert rows["overall"].split()[1:4] == ["29h", "/", "65h"]
    assert text.rstrip().splitlines()[-1].startswith("behind: Docker, Graphql, Django")


def test_pace_summary_without_targets_says_how_to_set_one():
    assert "nexus edit TOPIC --target" in text_of(render_summary(pace.summarize(Journal(), TODAY)))


def test_user_text_in_names_is_not_markup(fixed):
    fixed.topics[0].name = "[bold red]Docker[/]"
    assert "[bold red]Docker[/]" in text_of(render_summary(pace.summarize(fixed, TODAY)))


def test_pace_command_json_matches_the_demo(demo, ok):
    data = json.loads(ok("pace", "--format", "json").stdout)
    assert data["end"] == "2026-12-28" and data["window_days"] == 28
    topics = {t["topic"]: t for t in data["topics"]}
    assert topics["django"]["remaining_hours"] == 0 and not topics["django"]["behind"]
    for goal in data["topics"]:
        assert goal["remaining_hours"] == max(0, round(goal["target_hours"] - goal["done_hours"], 2))
        assert goal["behind"] == (goal["remaining_hours"] > 0 and (goal["projected"] or "9999") > data["end"])
    table = ok("pace").stdout
    assert "overall" in table and "behind:" in table


def test_outermost_goals_are_those_without_a_targeted_ancestor(fixed):
    goals = by_id(pace.summarize(fixed, TODAY))
    assert goals["django"].outermost and goals["docker"].outermost
    assert not goals["django-orm"].outermost
