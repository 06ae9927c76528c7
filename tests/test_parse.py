import datetime as dt

import pytest

from nexus_cli.core.errors import InputError
from nexus_cli.core.parse import format_minutes, parse_date, parse_duration, parse_hours

TODAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90m", 90),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1.5h", 90),
        ("2h", 120),
        ("45m", 45),
        ("1:30", 90),
        ("2 hours", 120),
        ("24h", 1440),
        ("1m", 1),
    ],
)
def test_durations_people_type(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    "text",
    ["0m", "-30m", "25h", "nan", "inf", "", "h", "1x", "1e400h", "90 m m", "9" * 5000, "90", "1.5", "1h90m"],
)
def test_bad_durations_are_input_errors(text):
    with pytest.raises(InputError):
        parse_duration(text)


@pytest.mark.parametrize(("minutes", "text"), [(90, "1h30m"), (45, "45m"), (120, "2h"), (61, "1h01m")])
def test_format_minutes(minutes, text):
    assert format_minutes(minutes) == text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", TODAY),
        ("yesterday", dt.date(2026, 11, 27)),
        ("-3d", dt.date(2026, 11, 25)),
        ("3d", dt.date(2026, 11, 25)),
        ("2w", dt.date(2026, 11, 14)),
        ("2026-01-31", dt.date(2026, 1, 31)),
    ],
)
def test_dates_people_type(text, day):
    assert parse_date(text, today=TODAY) == day


@pytest.mark.parametrize("text", ["2024-02-30", "tomorrowish", "2026-13-01", "0001-01-01", "99999d"])
def test_bad_dates_are_input_errors(text):
    with pytest.raises(InputError):
        parse_date(text, today=TODAY)


def test_future_dates_are_refused_unless_allowed():
    with pytest.raises(InputError, match="future"):
        parse_date("2026-12-01", today=TODAY)
    assert parse_date("2026-12-01", today=TODAY, allow_future=True) == dt.date(2026, 12, 1)


@pytest.mark.parametrize(("text", "hours"), [("20h", 20), ("1.5h", 1.5), ("1h30m", 1.5), ("90m", 1.5)])
def test_target_hours(text, hours):
    assert parse_hours(text) == hours


@pytest.mark.parametrize("text", ["0", "-5", "nan", "inf", "20001h", "40", "0h"])
def test_bad_targets(text):
    with pytest.raises(InputError):
        parse_hours(text)


@pytest.mark.parametrize(
    ("text", "hint"),
    [("90", "add a unit: 90m or 1h30m"), ("2", "add a unit: 2m or 2h"), ("1.5", "add a unit: 1.5h or 1h30m")],
)
def test_a_bare_number_is_refused_with_the_units_it_could_mean(text, hint):
    with pytest.raises(InputError) as caught:
        parse_duration(text)
    assert caught.value.hint == hint


def test_a_bare_target_is_refused_with_hours_as_the_hint():
    with pytest.raises(InputError) as caught:
        parse_hours("40")
    assert caught.value.hint == "add a unit: 40h"


def test_minutes_past_an_hour_after_hours_are_refused():
    with pytest.raises(InputError, match="1h90m"):
        parse_duration("1h90m")
    assert parse_duration("1h59m") == 119
    assert parse_duration("90m") == 90  # minutes alone may pass 60


@pytest.mark.parametrize(
    "args",
    [("log", "python", "90"), ("add", "topic", "Go", "--target", "40"), ("edit", "python", "--target", "40")],
)
def test_every_duration_and_target_on_the_command_line_needs_a_unit(nexus, started, args):
    before = started.read_bytes()
    result = nexus(*args)
    assert result.exit_code == 2
    assert "has no unit" in result.stderr and "hint: add a unit" in result.stderr
    assert started.read_bytes() == before
