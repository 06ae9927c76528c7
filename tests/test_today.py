"""nexus today: today's sessions and total, and this week's."""

from __future__ import annotations

import json

import pytest

from golden_plugin import check


@pytest.mark.parametrize("columns", [40, 80, 200])
def test_today_matches_golden(ok, started, request, columns):
    ok("log", "django", "45m", "--note", "class-based views")
    ok("log", "python", "20m", "--date", "-3d")  # Wednesday 25 Nov: this week, not today
    check(request.config, f"views/today-{columns}.txt", ok("today", env={"COLUMNS": str(columns)}).stdout)


def test_today_sums_today_and_the_week(ok, started):
    ok("log", "django", "45m")
    ok("log", "python", "1h", "--date", "2026-11-22")  # the Sunday before: last week
    data = json.loads(ok("today", "--format", "json").stdout)
    assert data["minutes"] == 90 + 45
    assert [s["topic"] for s in data["sessions"]] == ["django", "python"]
    assert data["week_minutes"] == 90 + 45 + 45  # yesterday's 45m of decorators too
    assert data["week_days"] == 2


def test_today_with_nothing_logged_says_how(ok, started):
    out = ok("today", env={"NEXUS_NOW": "2026-11-30T09:00:00+00:00"}).stdout
    assert "nothing logged yet today" in out
    assert "This week  nothing yet" in out


def test_today_shows_a_running_timer(ok, started):
    ok("start", "django", "--at", "17:30")
    assert ok("today").stdout.startswith("⏱ timing django since 17:30 (30m so far)")
    timer = json.loads(ok("today", "--format", "json").stdout)["timer"]
    assert (timer["topic"], timer["minutes"]) == ("django", 30)  # scripts see it too


def test_today_json_says_no_timer_runs(ok, started):
    assert json.loads(ok("today", "--format", "json").stdout)["timer"] is None
