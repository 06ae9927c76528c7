"""`validate`, the commands and the JSON Schema agree on every file.

A file that `validate` passes must load in every command, and one the commands
refuse must be an error in `validate`; the JSON Schema printed by `nexus schema`
must say the same of the data. Each case below broke that agreement once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from pathlib import Path

import pytest

from nexus_cli.core import check

jsonschema = pytest.importorskip("jsonschema")

BASE = """\
schema_version = 1

[program]
name = "Backend"
start = 2026-09-07

[[topics]]
id = "python"
name = "Python"
target_hours = 40
created = 2026-09-07T09:00:00Z
updated = 2026-09-07T09:00:00Z

[[topics.resources]]
url = "https://docs.python.org/3/"
done = false

[[sessions]]
id = "s1"
topic = "python"
date = 2026-09-08
start = 10:00:00
minutes = 60
"""

# (name, text): a TOML journal, from BASE with one line changed.
TOML_CASES = [
    ("valid", BASE),
    ("empty", ""),
    ("blank", "\n  \n"),
    ("minutes-true", BASE.replace("minutes = 60", "minutes = true")),
    ("minutes-text", BASE.replace("minutes = 60", 'minutes = "60"')),
    ("minutes-float", BASE.replace("minutes = 60", "minutes = 60.5")),
    ("minutes-zero", BASE.replace("minutes = 60", "minutes = 0")),
    ("date-unix", BASE.replace("date = 2026-09-08", "date = 1764460800")),
    ("date-unix-text", BASE.replace("date = 2026-09-08", 'date = "1764460800"')),
    ("date-datetime", BASE.replace("date = 2026-09-08", "date = 2026-09-08T10:00:00Z")),
    ("start-seconds", BASE.replace("start = 10:00:00", "start = 36000")),
    ("created-unix", BASE.replace("created = 2026-09-07T09:00:00Z", "created = 1764460800")),
    ("program-start-unix", BASE.replace("start = 2026-09-07", "start = 1764460800")),
    ("done-yes", BASE.replace("done = false", 'done = "yes"')),
    ("done-one", BASE.replace("done = false", "done = 1")),
    ("target-text", BASE.replace("target_hours = 40", 'target_hours = "40"')),
    ("target-true", BASE.replace("target_hours = 40", "target_hours = true")),
    ("version-zero", BASE.replace("schema_version = 1", "schema_version = 0")),
    ("version-text", BASE.replace("schema_version = 1", 'schema_version = "1"')),
    ("version-true", BASE.replace("schema_version = 1", "schema_version = true")),
    ("unknown-key", BASE.replace("minutes = 60", "minutes = 60\nmood = 3")),
    ("id-number", BASE.replace('id = "s1"', "id = 1")),
]


def _as_json(data: object) -> object:
    """Return TOML data as JSON gives it (dates and times as ISO text), as checkers see it."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat()))


JSON_CASES = [
    (f"{name}.json", json.dumps(_as_json(tomllib.loads(text))) if text.strip() else text)
    for name, text in TOML_CASES
    if name not in ("date-datetime",)  # JSON has no date-time type: the text is a string like any other
]
CASES = [(f"{name}.toml", text) for name, text in TOML_CASES] + JSON_CASES


def validate_errors(path: Path) -> list[str]:
    [result] = check.run([str(path)])
    return [f"{p.code} {p.message}" for p in result.problems if p.severity == "error"]


def schema_errors(path: Path, text: str) -> list[str] | None:
    """Return the JSON Schema's complaints about the file's data (None: no data to judge)."""
    if not text.strip():
        return None  # an empty text has no data; the schema judges data, not text
    from nexus_cli.core.schema import journal_schema

    data = json.loads(text) if path.suffix == ".json" else _as_json(tomllib.loads(text))
    cls = jsonschema.Draft202012Validator
    validator = cls(journal_schema(), format_checker=cls.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


@pytest.mark.parametrize(("name", "text"), CASES, ids=[name for name, _ in CASES])
def test_validate_the_commands_and_the_schema_agree(nexus, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    found = validate_errors(path)
    loaded = nexus("export", "json", env={"NEXUS_JOURNAL": str(path)})
    schema = schema_errors(path, text)

    valid = name.startswith("valid.")
    assert (found == []) is valid, found
    assert (loaded.exit_code == 0) is valid, loaded.output
    if not valid:
        assert loaded.exit_code == 2 and "Traceback" not in loaded.output
    if schema is not None:
        assert (schema == []) is valid, schema


def test_a_true_minute_count_is_never_stored_as_one_minute(nexus, tmp_path):
    path = tmp_path / "journal.toml"
    path.write_text(BASE.replace("minutes = 60", "minutes = true"), encoding="utf-8")
    before = path.read_bytes()
    result = nexus("log", "python", "30m", env={"NEXUS_JOURNAL": str(path)})
    assert result.exit_code == 2
    assert path.read_bytes() == before


def test_an_unreadable_folder_is_a_problem_not_silence(nexus, tmp_path, monkeypatch):
    # Simulated, since a test run as root can read any folder: listing `locked` fails.
    root = tmp_path / "journals"
    (root / "locked").mkdir(parents=True)
    (root / "ana.toml").write_text(BASE, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = nexus("validate", "--format", "json", str(root))
    problems = json.loads(result.stdout)
    assert result.exit_code == 2
    assert [(p["code"], Path(p["file"]).name) for p in problems] == [("NX001", "locked")]
    assert "permission denied" in problems[0]["message"]
    text = nexus("validate", str(root))
    assert text.exit_code == 2
    assert "no problems" not in text.output and "1 path could not be read" in text.output


def test_a_folder_with_only_unreadable_subfolders_is_not_called_empty(tmp_path, monkeypatch):
    root = tmp_path / "journals"
    (root / "locked").mkdir(parents=True)
    real_scandir = os.scandir
    monkeypatch.setattr(
        os,
        "scandir",
        lambda path=".": (
            (_ for _ in ()).throw(PermissionError(13, "Permission denied", str(path)))
            if Path(path).name == "locked"
            else real_scandir(path)
        ),
    )
    codes = [p.code for r in check.run([str(root)]) for p in r.problems]
    assert codes == ["NX001"]


def test_dates_and_times_still_read_from_text_and_from_toml():
    from nexus_cli.core.models import Session

    for date, start in ((dt.date(2026, 9, 8), dt.time(10)), ("2026-09-08", "10:00:00")):
        raw = {"id": "s", "topic": "t", "date": date, "start": start, "minutes": 5}
        session = Session.model_validate(raw)
        assert (session.date, session.start) == (dt.date(2026, 9, 8), dt.time(10))
