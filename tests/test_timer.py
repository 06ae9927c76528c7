"""The running timer is visible (status, dashboard) and can be started or stopped at a past time."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from nexus_cli.core import store
from nexus_cli.core.errors import InputError
from nexus_cli.core.idgen import host_name
from nexus_cli.core.parse import parse_moment

NOW = dt.datetime(2026, 11, 28, 18, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("14:05", dt.datetime(2026, 11, 28, 14, 5, tzinfo=dt.UTC)),
        ("today 9:30", dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)),
        ("yesterday 22:10", dt.datetime(2026, 11, 27, 22, 10, tzinfo=dt.UTC)),
        ("2026-11-25 08:00", dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)),
        ("2026-11-25T08:00", dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)),
        ("20m ago", dt.datetime(2026, 11, 28, 17, 40, tzinfo=dt.UTC)),
        ("-1h30m", dt.datetime(2026, 11, 28, 16, 30, tzinfo=dt.UTC)),
    ],
)
def test_moments_people_type(text, moment):
    assert parse_moment(text, now=NOW) == moment


@pytest.mark.parametrize("text", ["19:00", "25:00", "12:75", "soon", "", "20 ago"])
def test_bad_or_future_moments_are_refused(text):
    with pytest.raises(InputError):
        parse_moment(text, now=NOW)


def test_status_says_what_runs_since_when_and_for_how_long(ok, started):
    assert "no timer is running" in ok("status").stderr
    ok("start", "django", "--at", "16:30", "--note", "forms")
    out = ok("status").stdout
    assert out.strip() == "⏱ timing django since 16:30 (1h30m so far) · forms"
    record = json.loads(ok("status", "--format", "json").stdout)
    assert record == {
        "running": True,
        "topic": "django",
        "started": "2026-11-28T16:30:00+00:00",
        "minutes": 90,
        "note": "forms",
        "host": host_name(),
    }


def test_status_names_the_machine_of_a_timer_started_elsewhere(ok, started, journal_path):
    ok("start", "django", "--at", "16:30")
    text = journal_path.read_text(encoding="utf-8")
    journal_path.write_text(text.replace(f'host = "{host_name()}"', 'host = "laptop"'), encoding="utf-8")
    assert "(1h30m so far) on laptop" in ok("status").stdout
    assert json.loads(ok("status", "--format", "json").stdout)["host"] == "laptop"


def test_a_forgotten_timer_gets_a_hint(ok, started):
    ok("start", "django", "--at", "yesterday 08:00")
    result = ok("status")
    assert "since yesterday 08:00" in result.stdout
    assert "nexus stop --at" in result.stderr


def test_the_dashboard_shows_the_running_timer(ok, started):
    assert "timing" not in ok("progress").stdout
    ok("start", "python", "--at", "17:15")
    assert ok("progress").stdout.splitlines()[0] == "⏱ timing python since 17:15 (45m so far)"


def test_stop_at_logs_up_to_that_time_and_prints_the_date(ok, nexus, started):
    ok("start", "django", "--at", "yesterday 20:00")
    early = nexus("stop", "--at", "yesterday 19:00")
    assert early.exit_code == 2 and "started at" in early.stderr
    result = ok("stop", "--at", "yesterday 21:15")
    assert "logged 1h15m of django on 2026-11-27" in result.stderr
    session = next(s for s in store.load_journal(started).sessions if s.start is not None)
    assert (session.minutes, session.date, session.start) == (75, dt.date(2026, 11, 27), dt.time(20, 0))
    assert store.load_journal(started).timer is None


def test_stop_now_prints_the_date_too(ok, started):
    ok("start", "django", "--at", "17:00")
    assert "logged 1h of django on 2026-11-28" in ok("stop").stderr


def test_start_at_in_the_future_is_refused_and_writes_nothing(nexus, started):
    before = started.read_bytes()
    result = nexus("start", "django", "--at", "23:00")
    assert result.exit_code == 2 and "in the future" in result.stderr
    assert started.read_bytes() == before
