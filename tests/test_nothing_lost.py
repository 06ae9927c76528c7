"""Real habits lose nothing: every write is valid, and what a command drops it says first.

Each test here failed before the change it comes with. A refused command
prints one line (and a hint), exits 2 and leaves the journal byte for byte.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import Result

from nexus_cli import ui
from nexus_cli.core import store

Run = Callable[..., Result]  # the `nexus` and `ok` fixtures (conftest is ambiguous to import)


def load(path: Path):
    return store.load_journal(path)


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui, "is_interactive", lambda: True)


def refused(nexus: Run, journal: Path, *args: str, input: str | None = None, env=None, code: int = 2) -> str:
    """Run a command that must be refused: exit 2 (1: not found), one error line, journal unchanged."""
    before = journal.read_bytes()
    result = nexus(*args, input=input, env=env)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    assert journal.read_bytes() == before
    return result.output


def valid(ok: Run) -> None:
    ok("validate")


# --- item 12: every write is checked as `validate` checks ------------------------------


def test_a_second_full_day_on_one_date_is_refused(ok: Run, nexus: Run, started: Path) -> None:
    ok("log", "django", "20h", "--date", "2026-11-20")
    out = refused(nexus, started, "log", "django", "5h", "--date", "2026-11-20")
    assert "NX207" in out and "2026-11-20" in out
    valid(ok)


def test_editing_a_duration_past_a_day_is_refused(ok: Run, nexus: Run, started: Path) -> None:
    ok("log", "django", "3h", "--date", "2026-11-20")
    session = ok("log", "python", "2h", "--date", "2026-11-20").output.split("(")[-1].strip(")\n ")
    out = refused(nexus, started, "edit", session, "--duration", "24h")
    assert "NX207" in out
    valid(ok)


def test_a_change_is_checked_on_the_full_path_too(ok: Run, nexus: Run, started: Path) -> None:
    # a hand-written (non-canonical) file takes the full load-and-save path
    started.write_text(started.read_text() + "\n# my note\n")
    ok("log", "django", "23h", "--date", "2026-11-20")
    refused(nexus, started, "log", "django", "2h", "--date", "2026-11-20")
    valid(ok)


def test_a_problem_already_in_the_file_does_not_block_other_changes(
    ok: Run, nexus: Run, started: Path
) -> None:
    text = started.read_text()
    started.write_text(
        text
        + '\n[[sessions]]\nid = "20261101-aaaa"\ntopic = "python"\ndate = 2026-11-01\nminutes = 1440\n'
        + '\n[[sessions]]\nid = "20261101-bbbb"\ntopic = "python"\ndate = 2026-11-01\nminutes = 60\n'
    )
    assert nexus("validate").exit_code != 0
    ok("log", "django", "1h", "--date", "2026-11-02")
    ok("add", "topic", "Flask")
    # ...but adding to the broken day is still refused
    refused(nexus, started, "log", "django", "1h", "--date", "2026-11-01")


def test_stop_on_a_timer_older_than_a_day_asks_for_the_end(ok: Run, nexus: Run, started: Path) -> None:
    ok("start", "django", env={"NEXUS_NOW": "2026-11-27T07:00:00+00:00"})
    out = refused(nexus, started, "stop")
    assert "--at" in out and "35h" in out
    ok("stop", "--at", "2026-11-27 09:30", env={"NEXUS_NOW": "2026-11-28T18:00:00+00:00"})
    assert nexus("stop").exit_code == 2  # the timer is gone: it was logged
    data = started.read_text()
    assert "minutes = 1590" not in data and "minutes = 1440" not in data
    valid(ok)


def test_stop_at_a_time_logs_up_to_it(ok: Run, nexus: Run, started: Path) -> None:
    ok("start", "django", env={"NEXUS_NOW": "2026-11-28T15:00:00+00:00"})
    refused(nexus, started, "stop", "--at", "14:00")  # before the start
    refused(nexus, started, "stop", "--at", "19:00")  # in the future
    refused(nexus, started, "stop", "--at", "25:61")
    result = ok("stop", "--at", "16:15")
    assert "1h15m" in result.output
    valid(ok)


# --- item 11: across a daylight-saving change -----------------------------------------


needs_tzset = pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset")


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch):
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    os.environ.pop("TZ", None)
    time.tzset()


@needs_tzset
@pytest.mark.parametrize(
    ("zone_name", "begin", "end", "date", "start"),
    [
        # Berlin springs forward at 01:00 UTC on 2026-03-29: 22:30 UTC the day before is 23:30 CET
        ("Europe/Berlin", "2026-03-28T22:30:00+00:00", "2026-03-29T12:00:00+02:00", "2026-03-28", "23:30:00"),
        ("Europe/Berlin", "2026-03-28T20:30:00+00:00", "2026-03-29T10:00:00+02:00", "2026-03-28", "21:30:00"),
        # New York falls back at 06:00 UTC on 2026-11-01: 03:30 UTC before it is 23:30 EDT
        (
            "America/New_York",
            "2026-11-01T03:30:00+00:00",
            "2026-11-01T09:00:00-05:00",
            "2026-10-31",
            "23:30:00",
        ),
    ],
)
def test_stop_uses_each_instants_own_offset(
    ok: Run, journal_path: Path, zone, zone_name: str, begin: str, end: str, date: str, start: str
) -> None:
    early = {"NEXUS_NOW": "2026-01-01T12:00:00+00:00"}
    ok("init", "--program", "P", env=early)
    ok("add", "topic", "Django", env=early)
    zone(zone_name)
    ok("start", "django", env={"NEXUS_NOW": begin})
    ok("stop", env={"NEXUS_NOW": end})
    text = journal_path.read_text()
    block = text[text.index('topic = "django"') :]
    assert f"date = {date}" in block.split("[[", 1)[0], block
    assert f"start = {start}" in block.split("[[", 1)[0], block


# --- item 7: rm says what goes, and a topic's sessions need a choice --------------------


def test_rm_of_a_topic_with_sessions_needs_a_choice_off_a_tty(ok: Run, nexus: Run, started: Path) -> None:
    out = refused(nexus, started, "rm", "python", "--yes")
    assert "--with-sessions" in out and "--move-to" in out and "1 session (1h30m)" in out
    refused(nexus, started, "rm", "python", "--with-sessions", "--move-to", "django", "--yes")
    refused(nexus, started, "rm", "python", "--move-to", "python", "--yes")
    refused(nexus, started, "rm", "python", "--move-to", "nowhere", "--yes", code=1)
    refused(nexus, started, "rm", "django", "--move-to", "python")  # no --yes off a tty
    session = load(started).sessions[0].id
    refused(nexus, started, "rm", session, "--with-sessions", "--yes")  # not a topic


def test_rm_with_sessions_says_what_went(ok: Run, started: Path) -> None:
    ok("start", "python")
    result = ok("rm", "python", "--with-sessions", "--yes")
    line = result.output
    assert "1 session (1h30m) deleted" in line
    assert "the running timer discarded" in line
    assert "1 subtopic moved up to the top level" in line
    assert "updated" not in line
    journal = load(started)
    assert journal.timer is None and all(s.topic != "python" for s in journal.sessions)
    valid(ok)


def test_rm_move_to_keeps_every_minute(ok: Run, started: Path) -> None:
    ok("add", "challenge", "GIL", "--topic", "python", "--topic", "django")
    ok("start", "python")
    result = ok("rm", "python", "--move-to", "django", "--yes")
    assert "1 session (1h30m) moved to django" in result.output
    journal = load(started)
    assert sum(s.minutes for s in journal.sessions if s.topic == "django") == 90
    assert journal.timer is not None and journal.timer.topic == "django"
    assert journal.challenges[0].topics == ["django"]
    valid(ok)


def test_rm_on_a_tty_asks_where_the_sessions_go(ok: Run, nexus: Run, started: Path, tty) -> None:
    before = started.read_bytes()
    # nothing chosen, or a no: nothing removed, and a choice is not a failure
    for answers in ("\n", "django\nn\n"):
        result = nexus("rm", "python", input=answers)
        assert result.exit_code == 0 and "nothing changed" in result.output
    assert started.read_bytes() == before
    result = ok("rm", "python", input="django\ny\n")
    assert "2 sessions" not in result.output and "moved to django" in result.output
    assert {s.topic for s in load(started).sessions} == {"decorators", "django"}


# --- item 8: solve never drops a solution without being told --------------------------


@pytest.fixture
def solved(ok: Run, started: Path) -> Path:
    ok("add", "challenge", "Routing", "--topic", "django", "--solution", "drew the routes")
    return started


def test_solve_again_off_a_tty_needs_replace_or_append(ok: Run, nexus: Run, solved: Path) -> None:
    out = refused(nexus, solved, "solve", "routing", "--solution", "used a router class")
    assert "--replace" in out and "--append" in out
    refused(nexus, solved, "solve", "routing", "--solution", "x", "--replace", "--append")
    assert load(solved).challenges[0].solution == "drew the routes"


def test_solve_replace_says_what_it_replaced(ok: Run, solved: Path) -> None:
    resolved_at = load(solved).challenges[0].resolved
    result = ok("solve", "routing", "--solution", "used a router class", "--replace")
    assert "replaced the solution of routing" in result.output and "drew the routes" in result.output
    challenge = load(solved).challenges[0]
    assert challenge.solution == "used a router class" and challenge.resolved == resolved_at


def test_solve_append_keeps_the_old_text(ok: Run, solved: Path) -> None:
    result = ok("solve", "routing", "--solution", "then a router class", "--append")
    assert "added to the solution of routing" in result.output
    assert load(solved).challenges[0].solution == "drew the routes\n\nthen a router class"
    valid(ok)


def test_solve_twice_changes_nothing(ok: Run, solved: Path) -> None:
    before = solved.read_bytes()
    result = ok("solve", "routing")
    assert "already resolved" in result.output
    assert solved.read_bytes() == before


def test_rm_never_removes_a_session_logged_while_it_asked(
    nexus: Run, started: Path, tty, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nexus_cli.core import ops

    real_confirm = typer.confirm

    def confirm_after_a_log(*args: object, **kwargs: object) -> bool:
        # another terminal logs to the topic while this one waits for an answer
        with store.transaction(started) as journal:
            ops.log_session(journal, "python", 25, day=journal.sessions[0].date)
        return True

    monkeypatch.setattr(typer, "confirm", confirm_after_a_log)
    result = nexus("rm", "python", "--with-sessions")
    monkeypatch.setattr(typer, "confirm", real_confirm)
    assert result.exit_code == 2 and "changed while you were deciding" in result.output
    assert sum(1 for s in load(started).sessions if s.topic == "python") == 2


def test_solve_on_a_tty_asks_first(ok: Run, nexus: Run, solved: Path, tty) -> None:
    before = solved.read_bytes()
    cancelled = nexus("solve", "routing", "--solution", "other", input="c\n")
    assert cancelled.exit_code == 0 and "nothing changed" in cancelled.output
    assert solved.read_bytes() == before
    ok("solve", "routing", "--solution", "other", input="a\n")
    assert load(solved).challenges[0].solution == "drew the routes\n\nother"
    ok("solve", "routing", "--solution", "only this", input="r\n")
    assert load(solved).challenges[0].solution == "only this"


# --- item 16: one name, one topic ------------------------------------------------------

CAFE_NFD = "Cafe\u0301"
CAFE_NFC = "Caf\u00e9"


def test_a_name_typed_two_ways_is_one_topic(ok: Run, nexus: Run, started: Path) -> None:
    ok("add", "topic", CAFE_NFD)
    out = refused(nexus, started, "add", "topic", CAFE_NFC)
    assert "already exists" in out
    ok("log", CAFE_NFC, "1h")
    topics = [t for t in load(started).topics if t.id.startswith("cafe")]
    assert [t.name for t in topics] == [CAFE_NFC]


def test_adding_a_topic_that_exists_says_so(ok: Run, nexus: Run, started: Path) -> None:
    out = refused(nexus, started, "add", "topic", "python")
    assert "python" in out and "already exists" in out and "--force" in out
    assert "added topic python-2" in ok("add", "topic", "python", "--force").output


def test_program_is_never_a_topic_id(ok: Run, started: Path) -> None:
    ok("add", "topic", "Program")
    topic = next(t for t in load(started).topics if t.name == "Program")
    assert topic.id != "program"
    ok("edit", topic.id, "--status", "learning")
    ok("edit", "program", "--description", "still the programme")
    assert load(started).program.description == "still the programme"


def test_an_exact_name_beats_an_id_made_from_another_name(ok: Run, started: Path) -> None:
    # journals made before C++ slugged to cpp hold a topic C++ with the id c
    stamps = "created = 2026-11-01T10:00:00Z\nupdated = 2026-11-01T10:00:00Z\n"
    text = started.read_text()
    started.write_text(
        text
        + f'\n[[topics]]\nid = "c"\nname = "C++"\n{stamps}'
        + f'\n[[topics]]\nid = "c-2"\nname = "C"\n{stamps}'
    )
    ok("log", "C", "1h")
    assert [s.topic for s in load(started).sessions if s.topic.startswith("c")] == ["c-2"]


def test_c_plus_plus_and_c_get_their_own_ids(ok: Run, started: Path) -> None:
    ok("add", "topic", "C++")
    ok("add", "topic", "C")
    ok("add", "topic", "C#")
    assert {"cpp", "c", "csharp"} <= {t.id for t in load(started).topics}


# --- item 17: deep parent chains and inputs that never end ------------------------------

DEEP = 1100  # past Python's default recursion limit of 1000


@pytest.fixture
def deep(journal_path: Path) -> Path:
    stamps = "created = 2026-11-01T10:00:00Z\nupdated = 2026-11-01T10:00:00Z\n"
    parts = ["schema_version = 1\n"]
    for n in range(DEEP):
        parent = f'parent = "t{n - 1}"\n' if n else ""
        parts.append(f'\n[[topics]]\nid = "t{n}"\nname = "T{n}"\n{parent}{stamps}')
    parts.append(
        f'\n[[sessions]]\nid = "20261120-aaaa"\ntopic = "t{DEEP - 1}"\ndate = 2026-11-20\nminutes = 60\n'
    )
    journal_path.write_text("".join(parts))
    return journal_path


@pytest.mark.parametrize(
    "args",
    [
        ("list", "topics", "--format", "json"),
        ("progress",),
        ("progress", "--all"),
        ("stats", "--format", "json"),
        ("export", "markdown"),
        ("pace",),
        ("next",),
    ],
    ids=" ".join,
)
def test_a_parent_chain_deeper_than_the_stack_is_only_data(
    ok: Run, deep: Path, args: tuple[str, ...]
) -> None:
    ok(*args)


def test_the_dashboard_folds_a_deep_chain(ok: Run, deep: Path) -> None:
    out = " ".join(ok("progress", "--all", env={"COLUMNS": "160"}).output.split())
    assert f"{DEEP - 12} deeper subtopics: nexus show t11" in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_import_of_a_fifo_is_one_line_not_a_hang(nexus: Run, started: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "other.toml"
    os.mkfifo(fifo)
    out = refused(nexus, started, "import", str(fifo))
    assert "not a plain file" in out


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_import_of_a_device_is_one_line_not_a_memory_eater(nexus: Run, started: Path, tmp_path: Path) -> None:
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    out = refused(nexus, started, "import", str(link))
    assert "not a plain file" in out


# --- item 6: what was typed in $EDITOR is never thrown away ----------------------------


def fake_editor(tmp_path: Path, body: str) -> str:
    """Return an $EDITOR that runs `body` with `p` the file to edit (and logs what it was shown)."""
    script = tmp_path / "fake editor.py"
    script.write_text(
        "import os, subprocess, sys, pathlib\n"
        "p = pathlib.Path(sys.argv[-1])\n"
        f"shown = pathlib.Path({str(tmp_path / 'shown.log')!r})\n"
        "with open(shown, 'a', encoding='utf-8') as log:\n    log.write(p.read_text() + '=====')\n" + body
    )
    return f'{sys.executable} "{script}"'


BREAK_TOML = "p.write_text(p.read_text() + 'notes = \"three careful paragraphs\"\\n[[[ oops\\n')\n"
FIX_TOML = "p.write_text(''.join(l for l in p.read_text().splitlines(True) if not l.startswith('[[[')))\n"


def test_a_bad_edit_off_a_tty_is_kept_and_its_path_shown(
    ok: Run, nexus: Run, started: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, BREAK_TOML))
    out = refused(nexus, started, "edit", "django")
    kept = Path(out.split("kept in ", 1)[1].split(";", 1)[0])
    text = kept.read_text()
    assert "three careful paragraphs" in text
    assert text.startswith("# ! Not saved: the edited entry is not valid TOML")
    # the next `nexus edit` opens the kept text; fixed, it is saved and the copy goes
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, FIX_TOML))
    ok("edit", "django")
    assert next(t for t in load(started).topics if t.id == "django").notes == "three careful paragraphs"
    assert not kept.exists()


def test_a_bad_edit_on_a_tty_reopens_with_the_error_on_top(
    ok: Run, started: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tty
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    body = "import re\nif '# ! Not saved' in p.read_text():\n    " + FIX_TOML + "else:\n    " + BREAK_TOML
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, body))
    ok("edit", "django", input="y\n")
    rounds = (tmp_path / "shown.log").read_text().split("=====")[:-1]
    assert len(rounds) == 2 and rounds[1].lstrip().startswith("# ! Not saved:")
    assert "three careful paragraphs" in rounds[1]
    assert next(t for t in load(started).topics if t.id == "django").notes == "three careful paragraphs"


def test_a_failed_check_keeps_the_edit(nexus: Run, started: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    body = "p.write_text(p.read_text().replace('planned', 'bored') + 'notes = \"kept words\"\\n')\n"
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, body))
    out = refused(nexus, started, "edit", "django")
    assert "kept words" in Path(out.split("kept in ", 1)[1].split(";", 1)[0]).read_text()


def test_an_edit_naming_an_unknown_parent_is_kept(
    nexus: Run, started: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    body = 'p.write_text(p.read_text() + \'notes = "typed with care"\\nparent = "nosuch"\\n\')\n'
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, body))
    out = refused(nexus, started, "edit", "django", code=1)
    assert "typed with care" in Path(out.split("kept in ", 1)[1].split(";", 1)[0]).read_text()


def test_an_edit_that_raced_another_change_is_kept(
    ok: Run, nexus: Run, started: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    body = (
        "cmd = [sys.executable, '-m', 'nexus_cli', 'edit', 'django', '--notes', 'meanwhile']\n"
        "subprocess.run(cmd, check=True)\n"
        "p.write_text(p.read_text() + 'notes = \"my version\"\\n')\n"
    )
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, body))
    result = nexus("edit", "django")
    assert result.exit_code == 2 and "changed while you were editing" in result.output
    kept = Path(result.output.split("kept in ", 1)[1].split(";", 1)[0])
    assert "my version" in kept.read_text()
    assert next(t for t in load(started).topics if t.id == "django").notes == "meanwhile"


# --- item 9: export -o never replaces a file nexus did not write ------------------------


def test_export_refuses_to_overwrite_a_hand_written_readme(ok: Run, nexus: Run, started: Path) -> None:
    readme = started.parent / "README.md"
    readme.write_text("# My portfolio\n\nWords I wrote myself.\n")
    out = refused(nexus, readme, "export", "markdown", "-o", str(readme))
    assert "--force" in out
    ok("export", "markdown", "-o", str(readme), "--force")
    assert "Words I wrote myself" not in readme.read_text()


def test_export_replaces_its_own_readme(ok: Run, started: Path) -> None:
    readme = started.parent / "README.md"
    ok("export", "markdown", "-o", str(readme))
    ok("log", "django", "1h")
    ok("export", "markdown", "-o", str(readme))  # the usual refresh needs no --force
    assert "<!-- generated by nexus" in readme.read_text()


@pytest.mark.parametrize(
    ("args", "name", "theirs"),
    [
        (("json",), "copy.json", '{"my": "settings"}\n'),
        (("toml",), "copy.toml", "title = 'mine'\n"),
        (("csv", "--kind", "sessions"), "table.csv", "date,hours\n2026-11-01,3\n"),
    ],
)
def test_export_refuses_other_files_of_every_format(
    ok: Run, nexus: Run, started: Path, args: tuple[str, ...], name: str, theirs: str
) -> None:
    target = started.parent / name
    ok("export", *args, "-o", str(target))
    ok("export", *args, "-o", str(target))  # its own: replaced
    target.write_text(theirs)
    refused(nexus, target, "export", *args, "-o", str(target))


def test_the_readme_example_is_safe_in_a_clone(nexus: Run, demo: Path, tmp_path: Path) -> None:
    from support import ROOT

    clone_readme = tmp_path / "README.md"
    clone_readme.write_bytes((ROOT / "README.md").read_bytes())
    refused(nexus, clone_readme, "export", "markdown", "-o", "README.md")


@needs_tzset
def test_stop_at_a_wall_clock_time_after_the_change_counts_real_minutes(
    ok: Run, journal_path: Path, zone
) -> None:
    early = {"NEXUS_NOW": "2026-01-01T12:00:00+00:00"}
    ok("init", "--program", "P", env=early)
    ok("add", "topic", "Django", env=early)
    zone("Europe/Berlin")
    ok("start", "django", env={"NEXUS_NOW": "2026-03-28T22:30:00+00:00"})  # 23:30 CET
    # 03:30 CEST is 01:30 UTC: three hours later, though the wall clock moved four
    result = ok("stop", "--at", "2026-03-29 03:30", env={"NEXUS_NOW": "2026-03-29T12:00:00+02:00"})
    assert "logged 3h of django" in result.output
    assert "start = 23:30:00" in journal_path.read_text()
