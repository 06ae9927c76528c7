"""`nexus report`: a row per journal, the cohort's shared challenges, invalid files listed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from nexus_cli.core import report as core
from nexus_cli.core import store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "prodev-backend.toml"
TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def cohort(tmp_path: Path, ok, journal_path: Path) -> Path:
    """Three learners (the demo twice, one small journal), a broken file and a hidden one."""
    folder = tmp_path / "cohort"
    (folder / "group-b").mkdir(parents=True)
    shutil.copyfile(EXAMPLE, folder / "amina.toml")
    shutil.copyfile(EXAMPLE, folder / "group-b" / "bo.toml")
    ok("init", "--program", "ProDev Backend")
    ok("add", "topic", "Python")
    ok("add", "challenge", "Kubernetes complexity", "--problem", "too many objects")
    ok("log", "python", "2h", "--date", "-10d")
    (folder / "chen.json").write_text(
        store.dumps_json(store.loads(journal_path.read_text(encoding="utf-8"), "toml")), encoding="utf-8"
    )
    (folder / "broken.toml").write_text('schema_version = 1\n[[topics]]\nid = "x"\n', encoding="utf-8")
    (folder / ".hidden.toml").write_text("not a journal", encoding="utf-8")
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    return folder


def expected_minutes(path: Path, since: dt.date | None = None) -> int:
    journal = store.loads(path.read_text(encoding="utf-8"), store.format_for(path))
    return sum(s.minutes for s in journal.sessions if since is None or since <= s.date <= TODAY)


def test_json_rows_hold_each_journals_numbers(nexus, cohort: Path) -> None:
    result = nexus("report", str(cohort), "--format", "json")
    assert result.exit_code == 1  # one journal is invalid
    data = json.loads(result.stdout)
    rows = {row["name"]: row for row in data["journals"]}
    assert set(rows) == {"amina", "bo", "chen", "broken"}
    amina = rows["amina"]
    demo = store.loads(EXAMPLE.read_text(encoding="utf-8"), "toml")
    assert amina["programme"] == demo.program.name
    assert amina["hours"] == round(expected_minutes(EXAMPLE) / 60, 2)
    assert amina["hours_7d"] == round(expected_minutes(EXAMPLE, TODAY - dt.timedelta(days=6)) / 60, 2)
    assert amina["hours_28d"] == round(expected_minutes(EXAMPLE, TODAY - dt.timedelta(days=27)) / 60, 2)
    assert amina["last_day"] == max(s.date for s in demo.sessions).isoformat()
    assert sum(amina[s] for s in ("planned", "learning", "practicing", "confident")) == len(demo.topics)
    assert amina["open_challenges"] + amina["resolved_challenges"] == len(demo.challenges)
    chen = rows["chen"]
    assert (chen["hours"], chen["hours_7d"], chen["hours_28d"]) == (2.0, 0.0, 2.0)
    assert chen["open_challenges"] == 1 and chen["last_day"] == "2026-11-18"
    assert rows["broken"]["error"] and "topics[0]" in rows["broken"]["error"]
    assert data["invalid"] == 1
    common = {c["key"]: c for c in data["common_challenges"]}
    assert common["kubernetes-complexity"]["journals"] == 3  # two demos and chen, grouped by title
    assert data["quiet_topics"][0]["hours"] <= data["quiet_topics"][-1]["hours"]


def test_table_lists_invalid_journals_and_warns(nexus, cohort: Path) -> None:
    result = nexus("report", str(cohort))
    assert result.exit_code == 1
    assert "invalid" in result.stdout and "broken" in result.stdout
    assert "Most common challenges" in result.stdout and "Topics with the fewest hours" in result.stdout
    assert "1 of 4 journals are invalid" in result.stderr


def test_all_valid_exits_0_and_sorts(nexus, cohort: Path) -> None:
    (cohort / "broken.toml").unlink()
    result = nexus("report", str(cohort), "--sort", "hours", "--format", "json")
    assert result.exit_code == 0, result.output
    names = [row["name"] for row in json.loads(result.stdout)["journals"]]
    assert names[-1] == "chen"
    by_name = nexus("report", str(cohort), "--sort", "-name", "--format", "json")
    assert [row["name"] for row in json.loads(by_name.stdout)["journals"]] == ["chen", "bo", "amina"]


def test_csv_and_markdown(nexus, cohort: Path) -> None:
    table = list(csv.reader(io.StringIO(nexus("report", str(cohort), "--format", "csv").stdout)))
    assert table[0] == list(core.COLUMNS)
    assert len(table) == 5
    markdown = nexus("report", str(cohort), "--format", "markdown").stdout
    assert markdown.startswith("| learner |") and "**Most common challenges**" in markdown
    assert "| broken | invalid:" in markdown


def test_files_named_directly_and_errors(nexus, cohort: Path) -> None:
    result = nexus("report", str(cohort / "amina.toml"), "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["journals"]) == 1
    missing = nexus("report", str(cohort / "nobody.toml"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    bad_sort = nexus("report", str(cohort), "--sort", "shoe-size")
    assert bad_sort.exit_code == 2 and "cannot sort" in bad_sort.stderr


def test_user_text_is_data(nexus, tmp_path: Path) -> None:
    journal = store.loads(EXAMPLE.read_text(encoding="utf-8"), "toml")
    journal.program.name = "=cmd|[bold]\x1b[31m"
    (tmp_path / "j.toml").write_text(store.dumps_toml(journal), encoding="utf-8")
    table = nexus("report", str(tmp_path / "j.toml"), env={"COLUMNS": "200"}).stdout
    assert "[bold]" in table and "\x1b" not in table
    rows = list(csv.reader(io.StringIO(nexus("report", str(tmp_path / "j.toml"), "--format", "csv").stdout)))
    assert rows[1][2].startswith("'=")  # defused for spreadsheets
    assert "\\|" in nexus("report", str(tmp_path / "j.toml"), "--format", "markdown").stdout


def test_parallel_reading_gives_the_same_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(12):
        shutil.copyfile(EXAMPLE, tmp_path / f"learner-{n:02d}.toml")
    (tmp_path / "bad.toml").write_text("= nope", encoding="utf-8")
    files = core.find_journals([tmp_path])
    sequential = core.summarize_files(files, TODAY, workers=1)
    monkeypatch.setattr(core, "PARALLEL_FROM", 2)
    parallel = core.summarize_files(files, TODAY, workers=2)
    assert parallel == sequential
    assert [row.valid for row in parallel].count(False) == 1


def test_without_a_process_pool_the_files_are_read_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(4):
        shutil.copyfile(EXAMPLE, tmp_path / f"learner-{n}.toml")
    files = core.find_journals([tmp_path])
    sequential = core.summarize_files(files, TODAY, workers=1)

    def no_semaphores(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")  # what a sandbox without /dev/shm says

    monkeypatch.setattr(core, "ProcessPoolExecutor", no_semaphores)
    monkeypatch.setattr(core, "PARALLEL_FROM", 2)
    assert core.summarize_files(files, TODAY, workers=2) == sequential


def test_markdown_report_defuses_control_characters_and_html(ok, tmp_path):
    from nexus_cli.core.models import Journal, Program

    path = tmp_path / "cohort" / "evil.toml"
    path.parent.mkdir()
    store.create(path, Journal(program=Program(name="A \x1b]0;pwned\x07 <img src=x onerror=y>")))
    out = ok("report", str(path.parent), "--format", "markdown").stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "\\<img" in out
    assert "<img" not in out.replace("\\<img", "")  # every tag is escaped


def test_an_out_of_range_timestamp_is_one_invalid_row_not_a_crash(ok, nexus, tmp_path):
    from nexus_cli.core.models import Journal, Program

    folder = tmp_path / "cohort"
    folder.mkdir()
    store.create(folder / "good.toml", Journal(program=Program(name="Good")))
    (folder / "odd.toml").write_text(
        'schema_version = 1\n\n[[takeaways]]\nid = "x"\ntitle = "X"\ncreated = 0001-01-01T00:00:00+05:00\n'
    )
    result = nexus("report", str(folder), "--format", "json")
    assert result.exit_code == 1
    assert "unexpected" not in result.stderr
    assert "Good" in result.stdout and "odd" in result.stdout
