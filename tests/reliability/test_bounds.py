"""Bounded inputs: lengths, durations, dates and numbers out of range get one clear line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from attack import Run, assert_clean_error, in_process, run_many

from nexus_cli.core.models import MAX_TEXT, MAX_TITLE

TOO_LONG_TITLE = "T" * (MAX_TITLE + 1)
TOO_LONG_TEXT = "x" * (MAX_TEXT + 1)

# (what, arguments, words the one-line message must contain)
REFUSED: list[tuple[str, tuple[str, ...], str]] = [
    ("topic name", ("add", "topic", TOO_LONG_TITLE), f"at most {MAX_TITLE} characters"),
    ("challenge title", ("add", "challenge", TOO_LONG_TITLE), f"at most {MAX_TITLE} characters"),
    ("takeaway title", ("add", "takeaway", TOO_LONG_TITLE), f"at most {MAX_TITLE} characters"),
    ("topic notes", ("add", "topic", "Go", "--notes", TOO_LONG_TEXT), f"at most {MAX_TEXT} characters"),
    ("session note", ("log", "python", "1h", "--note", TOO_LONG_TEXT), f"at most {MAX_TEXT} characters"),
    ("problem", ("add", "challenge", "Hard", "--problem", TOO_LONG_TEXT), f"at most {MAX_TEXT} characters"),
    ("solution", ("solve", "challenge-0", "--solution", TOO_LONG_TEXT), f"at most {MAX_TEXT} characters"),
    ("edited name", ("edit", "python", "--name", TOO_LONG_TITLE), f"at most {MAX_TITLE} characters"),
    ("blank name", ("add", "topic", "   "), "required"),
    ("0m", ("log", "python", "0m"), "less than a minute"),
    ("-30m", ("log", "python", "--", "-30m"), "-30m"),
    ("-30m as an option", ("log", "python", "-30m"), "-3"),
    ("25h", ("log", "python", "25h"), "longer than"),
    ("nan", ("log", "python", "nan"), "duration"),
    ("inf", ("log", "python", "inf"), "duration"),
    ("1e400", ("log", "python", "1e400"), "duration"),
    ("huge hours", ("log", "python", "99999999999999999999999h"), "longer than"),
    ("5,000 digits", ("log", "python", "9" * 5000 + "m"), "too long"),
    ("--duration 0", ("edit", "python", "--duration", "0m"), "minute"),
    ("2024-02-30", ("log", "python", "1h", "--date", "2024-02-30"), "2024-02-30"),
    ("year 0001", ("log", "python", "1h", "--date", "0001-01-01"), "before 1970"),
    ("year 99999", ("log", "python", "1h", "--date", "99999-01-01"), "99999-01-01"),
    ("future", ("log", "python", "1h", "--date", "9999-12-31"), "future"),
    ("far back", ("log", "python", "1h", "--date", "-999999999999d"), "too far"),
    ("empty date", ("log", "python", "1h", "--date", ""), "date"),
    ("target nan", ("add", "topic", "Go", "--target", "nan"), "target"),
    ("target inf", ("add", "topic", "Go", "--target", "inf"), "target"),
    ("target 1e400", ("add", "topic", "Go", "--target", "1e400"), "target"),
    ("target 0", ("add", "topic", "Go", "--target", "0"), "target"),
    ("target negative", ("add", "topic", "Go", "--target=-5"), "target"),
    ("target too big", ("add", "topic", "Go", "--target", "10001"), "target"),
    ("limit 0", ("list", "sessions", "--limit", "0"), "limit"),
    ("limit huge", ("list", "sessions", "--limit", "9" * 5000), "limit"),
    ("since year 0", ("list", "sessions", "--since", "0000-01-01"), "0000-01-01"),
    ("51 tags", ("add", "topic", "Go", *[f"--tag=t{i}" for i in range(51)]), "at most 50"),
    ("a tag with a space", ("add", "topic", "Go", "--tag", "two words"), "tags"),
]


def _check_refused(run: Run, says: str, journal: Path, before: bytes) -> None:
    line = assert_clean_error(run)
    assert says in line, str(run)
    assert "unexpected" not in line and "errors.pydantic.dev" not in line and "type=" not in line
    assert journal.read_bytes() == before


@pytest.mark.parametrize(("what", "args", "says"), REFUSED, ids=[what for what, _, _ in REFUSED])
def test_out_of_range_input_gets_one_clear_line(journal, nexus, what, args, says):
    before = journal.read_bytes()
    _check_refused(in_process(nexus, *args), says, journal, before)


SPOT_CHECKS = ["topic name", "session note", "solution", "25h", "5,000 digits", "2024-02-30", "limit 0"]


def test_the_installed_nexus_says_the_same(journal):
    before = journal.read_bytes()
    cases = [case for case in REFUSED if case[0] in SPOT_CHECKS]
    runs = run_many([(args, {}) for _, args, _ in cases])
    for (_, _, says), run in zip(cases, runs, strict=True):
        _check_refused(run, says, journal, before)


def test_the_longest_allowed_text_is_accepted(journal, nexus):
    runs = [
        in_process(nexus, "add", "topic", "T" * MAX_TITLE),
        in_process(nexus, "log", "python", "24h", "--note", "x" * MAX_TEXT),
        in_process(nexus, "log", "python", "1m", "--date", "1970-01-01"),
    ]
    assert [run.returncode for run in runs] == [0, 0, 0], [str(run) for run in runs]


def test_usage_errors_are_one_line_but_a_bare_command_shows_its_help(nexus):
    wrong = in_process(nexus, "lgo", "python")
    assert "No such command 'lgo'" in assert_clean_error(wrong)
    assert "nexus -h" in wrong.stderr
    for args in [(), ("add",)]:
        bare = nexus(*args)
        assert bare.exit_code == 2
        assert "Usage:" in bare.output and "error:" not in bare.output
