"""Every everyday command through CliRunner, with its error paths."""

import json
import sys
import tomllib

import pytest

from nexus_cli.core import store


def load(path):
    return store.load_journal(path)


def test_init_creates_a_journal_and_refuses_to_overwrite(ok, nexus, journal_path):
    result = ok("init", "--program", "ProDev Backend")
    assert "created" in result.stderr
    assert load(journal_path).program.name == "ProDev Backend"
    before = journal_path.read_bytes()
    again = nexus("init", "--program", "Other")
    assert again.exit_code == 2
    assert "already exists" in again.stderr
    assert journal_path.read_bytes() == before


def test_init_json_format(ok, tmp_path):
    ok("-j", str(tmp_path / "study.json"), "init")
    assert json.loads((tmp_path / "study.json").read_text())["schema_version"] == 1


def test_init_format_must_match_the_file_name(nexus, tmp_path):
    result = nexus("-j", str(tmp_path / "study.toml"), "init", "--format", "json")
    assert result.exit_code == 2
    assert not (tmp_path / "study.toml").exists()


def test_commands_without_a_journal_say_how_to_make_one(nexus):
    result = nexus("log", "python", "1h")
    assert result.exit_code == 2
    assert "nexus init" in result.stderr
    assert "Traceback" not in result.output


def test_add_topic_with_everything(ok, started):
    ok(
        "add",
        "topic",
        "Generators",
        "--parent",
        "py",
        "--category",
        "concept",
        "--status",
        "learning",
        "--tag",
        "core",
        "--tag",
        "lang",
        "--target",
        "5h",
        "--notes",
        "yield",
    )
    topic = next(t for t in load(started).topics if t.id == "generators")
    assert (topic.parent, topic.category, topic.status.value) == ("python", "concept", "learning")
    assert topic.tags == ["core", "lang"] and topic.target_hours == 5 and topic.notes == "yield"


def test_add_topic_same_name_gets_a_unique_id_when_forced(ok, started):
    ok("add", "topic", "Python", "--force")
    assert [t.id for t in load(started).topics if t.name == "Python"] == ["python", "python-2"]


def test_add_without_a_name_off_a_tty_is_a_usage_error(nexus, started):
    before = started.read_bytes()
    result = nexus("add", "topic")
    assert result.exit_code == 2
    assert "required" in result.stderr
    assert started.read_bytes() == before


def test_add_challenge_open_then_solve(ok, nexus, started):
    ok("add", "challenge", "RabbitMQ routing", "-t", "python", "--problem", "exchanges")
    challenge = load(started).challenges[0]
    assert (challenge.id, challenge.status.value, challenge.topics) == (
        "rabbitmq-routing",
        "open",
        ["python"],
    )
    missing = nexus("solve", "rabbit")
    assert missing.exit_code == 2 and "--solution" in missing.stderr
    ok("solve", "rabbit", "--solution", "drew the routes")
    challenge = load(started).challenges[0]
    assert challenge.status.value == "resolved" and challenge.resolved is not None
    assert challenge.solution == "drew the routes"


def test_add_challenge_with_solution_is_resolved(ok, started):
    ok("add", "challenge", "Celery retries", "--solution", "explicit retry policy")
    assert load(started).challenges[0].status.value == "resolved"


def test_add_challenge_with_a_blank_solution_is_refused(nexus, started):
    # It was saved open, with the blank text, while the message said "added resolved challenge".
    before = started.read_bytes()
    blank = nexus("add", "challenge", "Celery retries", "--solution", "   ")
    assert blank.exit_code == 2
    assert blank.stderr.startswith("error: the solution is blank") and "✓" not in blank.stderr
    assert started.read_bytes() == before


def test_edit_refuses_a_blank_solution_and_clears_with_an_empty_one(ok, nexus, started):
    ok("add", "challenge", "Celery retries", "--problem", "retries")
    before = started.read_bytes()
    blank = nexus("edit", "celery-retries", "--solution", "   ")
    assert blank.exit_code == 2 and blank.stderr.startswith("error: the solution is blank")
    assert started.read_bytes() == before
    ok("edit", "celery-retries", "--solution", "backoff")
    ok("edit", "celery-retries", "--solution", "")
    assert load(started).challenges[0].solution == ""


def test_add_takeaway_and_resource(ok, nexus, started):
    ok("add", "takeaway", "Test first", "--text", "tests before code", "-t", "python")
    ok("add", "resource", "python", "https://docs.python.org", "--title", "Docs")
    journal = load(started)
    assert journal.takeaways[0].topics == ["python"]
    python = next(t for t in journal.topics if t.id == "python")
    assert python.resources[0].title == "Docs"
    again = nexus("add", "resource", "python", "https://docs.python.org")
    assert again.exit_code == 2 and "already has" in again.stderr


def test_log_records_a_session_in_date_order(ok, started):
    ok("log", "django", "2h", "--date", "-3d", "--note", "models")
    sessions = load(started).sessions
    assert [s.date.isoformat() for s in sessions] == ["2026-11-25", "2026-11-27", "2026-11-28"]
    assert sessions[0].minutes == 120 and sessions[0].topic == "django"


def test_log_moves_a_planned_topic_to_learning(ok, started):
    ok("log", "django", "30m")
    assert next(t for t in load(started).topics if t.id == "django").status.value == "learning"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["python", "0m"], "less than a minute"),
        (["python", "-30m"], "duration"),
        (["python", "25h"], "longer"),
        (["python", "nan"], "duration"),
        (["python", "1h", "--date", "2024-02-30"], "date"),
        (["python", "1h", "--date", "2030-01-01"], "future"),
        (["nope", "1h"], "no topic matches"),
    ],
)
def test_bad_log_input_is_one_line_and_changes_nothing(nexus, started, args, message):
    before = started.read_bytes()
    result = nexus("log", *args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stderr.count("error:") == 1
    assert started.read_bytes() == before


def test_debug_shows_the_traceback(nexus, started):
    with pytest.raises(Exception, match="less than a minute"):
        nexus("--debug", "log", "python", "0m")


def test_ambiguous_prefix_lists_candidates(ok, nexus, started):
    ok("add", "topic", "Docker")
    result = nexus("log", "d", "1h")
    assert result.exit_code == 2
    assert "decorators" in result.stderr and "docker" in result.stderr and "django" in result.stderr


def test_start_and_stop_a_timer(ok, nexus, started, monkeypatch):
    ok("start", "django", "--note", "views")
    assert load(started).timer.topic == "django"
    again = nexus("start", "python")
    assert again.exit_code == 2 and "already running" in again.stderr
    monkeypatch.setenv("NEXUS_NOW", "2026-11-28T19:05:00+00:00")
    ok("stop", "--note", "done")
    journal = load(started)
    assert journal.timer is None
    session = next(s for s in journal.sessions if s.topic == "django")
    assert (session.minutes, session.note, session.start.isoformat()) == (65, "views done", "18:00:00")
    none = nexus("stop")
    assert none.exit_code == 2 and "no timer" in none.stderr


def test_stop_cancel_discards(ok, started):
    ok("start", "django")
    ok("stop", "--cancel")
    journal = load(started)
    assert journal.timer is None and not [s for s in journal.sessions if s.topic == "django"]


def test_edit_with_flags(ok, nexus, started):
    ok("edit", "django", "--status", "practicing", "--name", "Django 5", "--target", "30h")
    django = next(t for t in load(started).topics if t.id == "django")
    assert (django.status.value, django.name, django.target_hours) == ("practicing", "Django 5", 30)
    session = load(started).sessions[0]
    ok("edit", session.id, "--duration", "50m", "--note", "fixed")
    assert load(started).sessions[0].minutes == 50
    bad = nexus("edit", "django", "--status", "guru")
    assert bad.exit_code == 2 and "status" in bad.stderr
    wrong = nexus("edit", session.id, "--name", "x")
    assert wrong.exit_code == 2 and "session has no name" in wrong.stderr


def test_edit_refuses_a_parent_loop(ok, nexus, started):
    before = started.read_bytes()
    result = nexus("edit", "python", "--parent", "decorators")
    assert result.exit_code == 2 and "loop" in result.stderr
    assert started.read_bytes() == before


def test_edit_program(ok, started):
    ok("edit", "program", "--ends", "2027-03-01", "--description", "Backend, in depth")
    program = load(started).program
    assert program.end.isoformat() == "2027-03-01" and program.description == "Backend, in depth"


def write_editor(tmp_path, body):
    script = tmp_path / "fake editor.py"
    script.write_text(body)
    return f'{sys.executable} "{script}"'


def test_edit_in_editor_saves_a_valid_change(ok, started, tmp_path, monkeypatch):
    editor = write_editor(
        tmp_path,
        (
            "import sys, pathlib\n"
            "p = pathlib.Path(sys.argv[-1])\n"
            "p.write_text(p.read_text().replace('status = \"planned\"', 'status = \"confident\"'))\n"
        ),
    )
    monkeypatch.setenv("EDITOR", editor)
    ok("edit", "django")
    assert next(t for t in load(started).topics if t.id == "django").status.value == "confident"


@pytest.mark.parametrize(
    "body",
    [
        "import sys, pathlib\np = pathlib.Path(sys.argv[-1])\np.write_text(p.read_text() + 'bogus = 1\\n')\n",
        "import sys, pathlib\np = pathlib.Path(sys.argv[-1])\np.write_text('[[[ not toml')\n",
        "import sys\nsys.exit(3)\n",
    ],
)
def test_edit_in_editor_never_writes_an_invalid_entry(nexus, started, tmp_path, monkeypatch, body):
    monkeypatch.setenv("EDITOR", write_editor(tmp_path, body))
    before = started.read_bytes()
    result = nexus("edit", "django")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert started.read_bytes() == before


def test_rm_needs_yes_off_a_tty(ok, nexus, started):
    before = started.read_bytes()
    refused = nexus("rm", "python", "--with-sessions")
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    assert started.read_bytes() == before
    result = ok("rm", "python", "--yes", "--with-sessions")
    journal = load(started)
    assert "python" not in {t.id for t in journal.topics}
    assert all(s.topic != "python" for s in journal.sessions)
    assert next(t for t in journal.topics if t.id == "decorators").parent is None
    assert "1 sessions" in result.stderr or "1 session" in result.stderr


def test_list_formats(ok, started):
    table = ok("list", "topics").stdout
    assert "Python" in table and "Decorators" in table
    records = json.loads(ok("list", "sessions", "--format", "json").stdout)
    assert [r["topic"] for r in records] == ["decorators", "python"]
    csv_text = ok("list", "sessions", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "id,date,start,topic,minutes,note"


def test_list_filters_and_sort(ok, nexus, started):
    ok("add", "topic", "Docker", "--tag", "ops", "--status", "confident")
    ids = lambda *a: [r["id"] for r in json.loads(ok("list", *a, "--format", "json").stdout)]  # noqa: E731
    assert ids("topics", "--tag", "ops") == ["docker"]
    assert ids("topics", "--status", "confident") == ["docker"]
    assert ids("topics", "--category", "concept") == ["decorators"]
    assert [s for s in ids("sessions", "--topic", "python")] and len(
        ids("sessions", "--topic", "python")
    ) == 2
    assert len(ids("sessions", "--since", "today")) == 1
    assert len(ids("sessions", "--until", "yesterday")) == 1
    assert ids("topics", "--sort", "-name")[0] == "python"
    bad = nexus("list", "topics", "--sort", "colour")
    assert bad.exit_code == 2 and "sort topics by" in bad.stderr


def test_list_open_challenges(ok, started):
    ok("add", "challenge", "Open one")
    ok("add", "challenge", "Done one", "--solution", "fixed")
    records = json.loads(ok("list", "challenges", "--open", "--format", "json").stdout)
    assert [r["id"] for r in records] == ["open-one"]


def test_show_each_kind(ok, started):
    ok("add", "challenge", "Routing", "-t", "python", "--problem", "hard part")
    ok("add", "takeaway", "Test first", "-t", "python")
    topic = ok("show", "python").stdout
    assert "Decorators" in topic and "Routing" in topic and "Test first" in topic
    assert "hard part" in ok("show", "routing").stdout
    assert "Test first" in ok("show", "test-first").stdout
    session = load(started).sessions[0]
    assert "decorators" in ok("show", session.id).stdout
    assert json.loads(ok("show", "python", "--json").stdout)["id"] == "python"


def test_where_reports_the_source(ok, tmp_path, monkeypatch):
    assert "$NEXUS_JOURNAL" in ok("where").stdout
    assert "--journal" in ok("-j", str(tmp_path / "x.toml"), "where").stdout
    monkeypatch.delenv("NEXUS_JOURNAL")
    config = tmp_path / "home" / ".config" / "nexus" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('journal = "study/mine.toml"\n')
    paths = json.loads(ok("where", "--json").stdout)
    assert paths["journal"] == str(config.parent / "study" / "mine.toml")
    assert paths["journal_source"].startswith("config")
    config.unlink()
    paths = json.loads(ok("where", "--json").stdout)
    assert paths["journal"] == str(tmp_path / "home" / ".local" / "share" / "nexus" / "journal.toml")


def test_where_names_the_undo_history_and_the_lock(ok, started, journal_path):
    out = ok("where").stdout
    history = journal_path.with_name(f".{journal_path.name}.history")
    assert f"history  {history}" in out and f"lock     {journal_path.with_name('.journal.toml.lock')}" in out
    assert json.loads(ok("where", "--format", "json").stdout)["history"] == str(history)
    ok("log", "python", "20m")
    assert history.is_dir()  # the folder named is the one undo keeps


def test_env_beats_config_and_option_beats_env(ok, tmp_path, monkeypatch):
    config = tmp_path / "home" / ".config" / "nexus" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'journal = "{tmp_path / "from-config.toml"}"\n')
    assert json.loads(ok("where", "--json").stdout)["journal"] == str(tmp_path / "journal.toml")
    chosen = json.loads(ok("-j", str(tmp_path / "opt.toml"), "where", "--json").stdout)
    assert chosen["journal"] == str(tmp_path / "opt.toml")


def test_a_journal_with_unknown_keys_is_refused_not_dropped(nexus, journal_path):
    journal_path.write_text(
        'schema_version = 1\n\n[[topics]]\nid = "x"\nname = "X"\nmood = "great"\n'
        "created = 2026-01-01T00:00:00Z\nupdated = 2026-01-01T00:00:00Z\n"
    )
    before = journal_path.read_bytes()
    result = nexus("add", "topic", "Y")
    assert result.exit_code == 2 and "mood" in result.stderr
    assert journal_path.read_bytes() == before
    assert tomllib.loads(before.decode())["topics"][0]["mood"] == "great"


@pytest.mark.parametrize(
    "args",
    [("progress", "--html"), ("progress", "--svg"), ("schema", "-o"), ("export", "markdown", "-o")],
)
def test_output_files_never_replace_the_journal(nexus, started, args):
    before = started.read_bytes()
    result = nexus(*args, str(started))
    assert result.exit_code == 2
    assert "journal itself" in result.stderr
    assert started.read_bytes() == before


def test_challenge_status_is_checked_and_case_forgiving(ok, nexus, started):
    ok("add", "challenge", "Routing", "--problem", "p")
    before = started.read_bytes()
    bad = nexus("edit", "routing", "--status", "bogus")
    assert bad.exit_code == 2 and "unknown --status 'bogus'" in bad.stderr
    assert "unexpected" not in bad.stderr
    wrong_kind = nexus("edit", "routing", "--status", "learning")
    assert wrong_kind.exit_code == 2 and "not a challenge status" in wrong_kind.stderr
    assert started.read_bytes() == before
    ok("edit", "routing", "--status", "Resolved", "--solution", "fixed")
    ok("edit", "django", "--status", "Practicing")
    journal = load(started)
    assert journal.challenges[0].status.value == "resolved"
    assert next(t for t in journal.topics if t.id == "django").status.value == "practicing"
