"""`nexus validate` and `nexus schema`: every problem, with its line, in every format."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from nexus_cli.core import store
from nexus_cli.core.check import CODES, check_bytes, check_many
from strategies import journals
from support import examples

DATA = Path(__file__).parent / "data" / "validate"
DOCS = Path(__file__).resolve().parent.parent / "docs"
MARKER = re.compile(r"# <- (NX\d{3})")

# JSON has no comments (and an empty file has no room for one): the expected code and
# line of these fixtures are listed here.
JSON_EXPECTED = {
    "nx010-empty.toml": ("NX010", 1),
    "nx005-json-syntax.json": ("NX005", 12),
    "nx006-duplicate-key.json": ("NX006", 13),
    "nx007-top-level.json": ("NX007", 1),
    "nx101-unknown-key.json": ("NX101", 17),
    "nx203-missing-topic.json": ("NX203", 15),
}
# Codes that are about paths, not file contents: tested below without a fixture file.
PATH_CODES = {"NX001", "NX009"}


def expected(path: Path) -> tuple[str, int]:
    """Return the code and line a fixture expects: a `# <- NXnnn` marker, or the JSON table."""
    if path.name in JSON_EXPECTED:
        return JSON_EXPECTED[path.name]
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    marked = [(m[1], n) for n, line in enumerate(lines, 1) if (m := MARKER.search(line))]
    assert len(marked) == 1, f"{path.name} needs exactly one `# <- NXnnn` marker"
    return marked[0]


FIXTURES = sorted(p for p in DATA.iterdir() if p.name.startswith("nx"))


def run_json(nexus, *args: str, **kwargs):
    result = nexus("validate", "--format", "json", *args, **kwargs)
    return result, json.loads(result.stdout)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_reports_its_code_on_its_line(nexus, fixture):
    code, line = expected(fixture)
    result, problems = run_json(nexus, str(fixture))
    assert [(p["code"], p["line"]) for p in problems] == [(code, line)], result.stdout
    problem = problems[0]
    assert problem["file"] == str(fixture)
    assert problem["severity"] == CODES[code].severity
    assert problem["message"] and problem["hint"]
    assert isinstance(problem["column"], int) and problem["column"] >= 1
    assert result.exit_code == (1 if CODES[code].severity == "error" else 0)


def test_every_code_has_a_fixture_and_documentation():
    covered = {expected(p)[0] for p in FIXTURES} | PATH_CODES
    assert covered == set(CODES)
    docs = (DOCS / "validation.md").read_text(encoding="utf-8")
    for code, info in CODES.items():
        assert f"### {code}" in docs, f"{code} is not documented"
        section = docs.split(f"### {code}", 1)[1].split("\n### ", 1)[0]
        assert "Fix:" in section, f"{code} has no fix in docs/validation.md"
        assert info.severity in section


def test_schema_problems_carry_the_entry_path_and_the_key_column(nexus):
    _, problems = run_json(nexus, str(DATA / "nx203-missing-topic.json"))
    (problem,) = problems
    assert problem["path"] == "challenges[0].topics[1]"
    assert problem["column"] == 28  # the `"rabbitmq"` element, not the start of the line
    _, problems = run_json(nexus, str(DATA / "nx101-unknown-key.json"))
    assert problems[0]["path"] == "sessions[0].mood"
    assert problems[0]["column"] == 7


def test_all_problems_of_one_file_in_one_run(nexus, tmp_path):
    bad = tmp_path / "bad.toml"
    text = (DATA / "valid.toml").read_text()
    text = text.replace('name = "Django"', 'name = "Django"\nstauts = "learning"')
    text = text.replace('topic = "python"', 'topic = "pyhton"')
    text = text.replace("minutes = 60", 'minutes = "1h"')
    bad.write_text(text)
    result, problems = run_json(nexus, str(bad))
    assert result.exit_code == 1
    assert [p["code"] for p in problems] == ["NX101", "NX203", "NX103"]
    lines = [p["line"] for p in problems]
    assert lines == sorted(lines)
    assert "did you mean 'status'?" in problems[0]["hint"]
    assert "did you mean 'python'?" in problems[1]["hint"]


def test_multi_file_run_with_good_and_bad_files(nexus, tmp_path):
    folder = tmp_path / "journals"
    (folder / "cohort").mkdir(parents=True)
    shutil.copy(DATA / "valid.toml", folder / "ana.toml")
    shutil.copy(DATA / "valid.json", folder / "cohort" / "ben.json")
    shutil.copy(DATA / "nx203-missing-topic.toml", folder / "cohort" / "cy.toml")
    shutil.copy(DATA / "nx301-open-with-resolved.toml", folder / "dee.toml")
    # Hidden files and folders are nexus's backups and tool state: never checked.
    (folder / ".ana.toml.bak").write_text("not = [valid")
    (folder / ".venv").mkdir()
    (folder / ".venv" / "x.json").write_text("{")
    (folder / "notes.md").write_text("# not a journal")
    result, problems = run_json(nexus, str(folder))
    assert result.exit_code == 1
    assert [(Path(p["file"]).name, p["code"]) for p in problems] == [
        ("cy.toml", "NX203"),
        ("dee.toml", "NX301"),
    ]
    text = nexus("validate", str(folder))
    assert text.stdout.strip().splitlines()[-1] == "1 error, 1 warning in 2 of 4 files"


def test_text_format_shows_the_line_a_caret_and_a_hint(nexus):
    fixture = DATA / "nx203-missing-topic.json"
    result = nexus("validate", str(fixture))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{fixture}:15:28: NX203 error: topic 'rabbitmq' is not a topic in this journal "
        "(challenges[0].topics[1])"
    )
    assert lines[1] == "   |"
    assert lines[2] == '15 |       "topics": ["python", "rabbitmq"],'
    caret = lines[3]
    assert caret.startswith("   | ") and caret.endswith("^")
    assert lines[2].index('"rabbitmq"') == caret.index("^")
    assert lines[4].startswith("   = hint: ")
    assert lines[-1] == "1 error, 0 warnings in 1 of 1 file"
    assert "\x1b[" not in result.stdout


def test_text_format_is_coloured_only_when_forced(nexus):
    fixture = str(DATA / "nx203-missing-topic.toml")
    plain = nexus("validate", fixture)
    assert "\x1b[" not in plain.stdout
    coloured = nexus("validate", fixture, env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in coloured.stdout
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.stdout) == plain.stdout


def test_clean_run_says_so(nexus):
    result = nexus("validate", str(DATA / "valid.toml"), str(DATA / "valid.json"))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.strip() == "no problems in 2 files"


def test_json_format_field_names_and_exit_codes(nexus, tmp_path):
    result, problems = run_json(nexus, str(DATA / "valid.toml"))
    assert (result.exit_code, problems) == (0, [])
    result, problems = run_json(nexus, str(DATA / "nx208-overlap.toml"), str(tmp_path / "missing.toml"))
    assert result.exit_code == 2
    assert [list(p) for p in problems] == [
        ["file", "line", "column", "path", "code", "severity", "message", "hint"]
    ] * 2
    assert problems[1]["code"] == "NX001" and problems[1]["line"] is None


def test_github_format_line_by_line(nexus, tmp_path):
    weird = tmp_path / "a,b:c%d.toml"
    shutil.copy(DATA / "nx209-future-date.toml", weird)
    result = nexus(
        "validate",
        "--format",
        "github",
        str(DATA / "nx304-duplicate-tag.toml"),
        str(weird),
        str(DATA / "valid.toml"),
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"::warning file={DATA / 'nx304-duplicate-tag.toml'},line=24,col=18,title=NX304::"
        "takeaways[0].tags[1]: 'style' appears twice in tags%0Ahint: remove the second one",
        f"::error file={tmp_path!s}/a%2Cb%3Ac%25d.toml,line=24,col=1,title=NX209::"
        "sessions[0].date: date 2026-12-02 is in the future (today is 2026-11-28)"
        "%0Ahint: log sessions after they happen; fix the date",
    ]
    assert "1 error, 1 warning in 2 of 3 files" in result.stderr


def test_github_escapes_newlines_and_percent_in_messages():
    from nexus_cli.core.check import FileResult, Problem
    from nexus_cli.render.validate import render_github

    problem = Problem("j.toml", 3, 2, "x", "NX203", "error", "50% done\r\nnext \x1b[31m", "")
    assert render_github([FileResult("j.toml", [problem])]) == (
        "::error file=j.toml,line=3,col=2,title=NX203::x: 50%25 done%0D%0Anext ␛[31m\n"
    )


def test_strict_turns_warnings_into_failure(nexus):
    fixture = str(DATA / "nx305-outside-programme.toml")
    assert nexus("validate", fixture).exit_code == 0
    assert nexus("validate", "--strict", fixture).exit_code == 1
    assert nexus("validate", "--strict", "--format", "json", fixture).exit_code == 1


def test_unreadable_paths_exit_2_and_the_rest_is_still_checked(nexus, tmp_path):
    dangling = tmp_path / "gone.toml"
    dangling.symlink_to(tmp_path / "nowhere.toml")
    result, problems = run_json(
        nexus, str(tmp_path / "missing.json"), str(DATA / "nx203-missing-topic.toml"), str(dangling)
    )
    assert result.exit_code == 2
    assert [p["code"] for p in problems] == ["NX001", "NX203", "NX001"]
    assert "symbolic link" in problems[2]["message"] and "does not exist" in problems[2]["message"]


def test_empty_folder_is_a_warning(nexus, tmp_path):
    (tmp_path / "empty").mkdir()
    result, problems = run_json(nexus, str(tmp_path / "empty"))
    assert [p["code"] for p in problems] == ["NX009"]
    assert result.exit_code == 0
    assert nexus("validate", "--strict", str(tmp_path / "empty")).exit_code == 1


def test_usage_errors_exit_2(nexus):
    assert nexus("validate", "--format", "xml").exit_code == 2
    assert nexus("validate", "--stdin-format", "yaml", "-").exit_code == 2


def test_no_path_checks_the_current_journal(nexus, started, journal_path):
    assert nexus("validate").exit_code == 0
    text = journal_path.read_text().replace('id = "django"', 'id = "python"')
    journal_path.write_text(text)
    result, problems = run_json(nexus)
    assert result.exit_code == 1
    assert {p["code"] for p in problems} == {"NX202"}
    assert problems[0]["file"] == str(journal_path)


def test_no_journal_yet_exits_2(nexus):
    result = nexus("validate")
    assert result.exit_code == 2
    assert "NX001" in result.stdout


@pytest.mark.parametrize(
    ("source", "flag"), [("valid.json", None), ("valid.toml", None), ("valid.json", "json")]
)
def test_stdin(nexus, source, flag):
    args = ["--stdin-format", flag] if flag else []
    text = (DATA / source).read_text()
    assert nexus("validate", *args, "-", input=text).exit_code == 0
    broken = text.replace('"python"', '"pyhton"', 1)
    result, problems = run_json(nexus, *args, "-", input=broken)
    assert result.exit_code == 1
    assert problems[0]["file"] == "<stdin>"
    assert {p["code"] for p in problems} == {"NX203"}


def test_stdin_format_flag_overrides_sniffing(nexus):
    text = (DATA / "valid.json").read_text()
    result, problems = run_json(nexus, "--stdin-format", "toml", "-", input=text)
    assert [p["code"] for p in problems] == ["NX004"]
    assert result.exit_code == 1


def test_validate_never_writes(nexus, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    for name in ("valid.toml", "nx203-missing-topic.toml", "nx005-json-syntax.json"):
        shutil.copy(DATA / name, folder / name)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    nexus("validate", str(folder))
    nexus("validate", "--format", "json", *map(str, folder.iterdir()))
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert after == before  # no lock file, no backup, nothing touched


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbfschema_version = 1\n",
        b"\xff\xfe\x00\x00",
        b"a = " + b"[" * 50_000,
        b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"topics": [{"id": 1e999999, "name": -1e400}]}',
        b'{"program": {"name": "\\ud800"}}',
        b"",
        b"   ",
        b"{}",
        b"[",
        b"schema_version = 18446744073709551616000\n",
        b'{"sessions": [{"id": "s", "topic": "t", "date": "9999-12-31", "start": "23:59", "minutes": 1440}]}',
    ],
)
def test_hostile_input_never_tracebacks(raw):
    for fmt in ("toml", "json"):
        problems = check_bytes(raw, "x", fmt)
        assert all(p.code in CODES for p in problems)


def test_bom_is_tolerated_and_columns_count_characters():
    raw = "\ufeff".encode() + (DATA / "nx203-missing-topic.toml").read_bytes()
    problems = check_bytes(raw, "x", "toml")
    assert [(p.code, p.line) for p in problems] == [("NX203", 23)]


def test_parallel_results_match_sequential(tmp_path):
    files = []
    for n, fixture in enumerate(FIXTURES[:12]):
        target = tmp_path / f"{n:02d}-{fixture.name}"
        shutil.copy(fixture, target)
        files.append(str(target))
    assert check_many(files, jobs=2) == check_many(files, jobs=1)


# --- nexus schema -----------------------------------------------------------------


def test_schema_is_2020_12_and_stable(ok, tmp_path):
    first = ok("schema").stdout
    schema = json.loads(first)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("urn:nexus-cli:journal:schema:")
    assert schema["title"] == "nexus journal"
    assert schema["additionalProperties"] is False
    assert ok("schema").stdout == first
    ok("schema", "--output", str(tmp_path / "s.json"))
    assert (tmp_path / "s.json").read_text() == first


def test_schema_output_to_an_unwritable_place_exits_2(nexus, tmp_path):
    result = nexus("schema", "--output", str(tmp_path / "no" / "such" / "dir" / "s.json"))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


def _schema_validator():
    # jsonschema is a test-time tool (the `test` extra); nexus itself never needs it.
    jsonschema = pytest.importorskip("jsonschema")
    from nexus_cli.core.schema import journal_schema

    cls = jsonschema.Draft202012Validator
    cls.check_schema(journal_schema())
    return cls(journal_schema(), format_checker=cls.FORMAT_CHECKER)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journals())
def test_schema_validates_every_exported_journal(journal):
    validator = _schema_validator()
    data = json.loads(store.dumps_json(journal))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_schema_rejects_what_validate_rejects_in_the_schema_range():
    validator = _schema_validator()
    data = json.loads((DATA / "nx101-unknown-key.json").read_text())
    assert not validator.is_valid(data)
    data["sessions"][0].pop("mood")
    assert validator.is_valid(data)
    data["sessions"][0]["start"] = "25:00"
    assert not validator.is_valid(data)


# --- the installed command ----------------------------------------------------------


@pytest.mark.slow
def test_installed_nexus_validate_in_a_subprocess(tmp_path):
    exe = Path(sys.executable).with_name("nexus")
    if not exe.exists():
        pytest.skip("nexus is not installed beside this python")
    folder = tmp_path / "j"
    folder.mkdir()
    for n in range(10):  # more than the parallel threshold
        shutil.copy(DATA / ("valid.toml" if n % 2 else "nx208-overlap.toml"), folder / f"{n}.toml")
    env = {**os.environ, "NEXUS_NOW": "2026-11-28T18:00:00+00:00"}
    done = subprocess.run(
        [str(exe), "validate", "--format", "github", str(folder)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.count("::error ") == 5
    assert "5 errors, 0 warnings in 5 of 10 files" in done.stderr


# --- pre-commit ---------------------------------------------------------------------


def test_pre_commit_hook_checks_journals_only():
    text = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text()
    assert "- id: nexus-validate" in text
    assert "entry: nexus validate\n" in text
    assert "language: python" in text
    pattern = re.compile(re.search(r"^  files: (.+)$", text, re.M)[1])
    journals_ = ["journals/ana.toml", "cohort/journals/ben.json", "journal.toml", "ana-journal.json"]
    others = ["pyproject.toml", "package.json", ".taplo.toml", "docs/journalist.toml"]
    assert all(pattern.search(name) for name in journals_)
    assert not any(pattern.search(name) for name in others)


def test_minified_json_shows_a_window_of_the_long_line(nexus, tmp_path):
    data = json.loads((DATA / "valid.json").read_text())
    data["topics"] += [
        {"id": f"t{n}", "name": f"T{n}", "created": "2026-09-07T09:00:00Z", "updated": "2026-09-07T09:00:00Z"}
        for n in range(40)
    ]
    data["sessions"][0]["topic"] = "missing-topic"
    path = tmp_path / "min.json"
    path.write_text(json.dumps(data, separators=(",", ":")))
    result = nexus("validate", str(path))
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{path}:1:")
    shown, caret = lines[2], lines[3]
    assert len(shown) < 120 and shown.startswith("1 | …")
    assert shown[caret.index("^") :].startswith('"topic":"missing-topic"')


def test_a_dotted_key_of_thousands_of_parts_is_refused_quickly(nexus, tmp_path):
    path = tmp_path / "chain.toml"
    path.write_text("a" + ".a" * 50_000 + " = 1\n")
    result = nexus("validate", "--format", "json", str(path))
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert [(p["code"], p["line"]) for p in problems] == [("NX004", 1)]


def test_each_copy_of_a_repeated_json_key_is_reported_on_its_own_line():
    text = "{\n" + ",\n".join(['  "schema_version": 1'] * 4) + "\n}\n"
    problems = [p for p in check_bytes(text.encode(), "j.json", "json") if p.code == "NX006"]
    assert [p.line for p in problems] == [3, 4, 5]


def test_a_bug_in_the_fast_reader_is_not_hidden_by_a_fallback(monkeypatch):
    # Only the fast reader's own "unsupported" sends a file on to tomllib; any other
    # error is a bug in it and must surface, not be masked by the slower parser.
    from nexus_cli.core.store import fasttoml

    def broken(text):
        raise KeyError("a bug")

    monkeypatch.setattr(fasttoml, "loads", broken)
    with pytest.raises(KeyError):
        check_bytes(b"schema_version = 1\n", "j.toml", "toml")
