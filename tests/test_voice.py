"""Errors in nexus's voice: one line, a hint, and the value you probably meant."""

from __future__ import annotations

import pytest


def one_line_and_a_hint(stderr: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 2, stderr
    assert lines[0].startswith("error: ") and lines[1].startswith("hint: "), stderr


def test_an_unknown_kind_suggests_the_near_one(nexus, started):
    result = nexus("list", "sessoins")
    assert result.exit_code == 2
    assert "unknown kind 'sessoins'; did you mean sessions?" in result.stderr
    one_line_and_a_hint(result.stderr)


def test_an_unknown_status_is_an_error_not_an_empty_list(nexus, started):
    result = nexus("list", "topics", "--status", "confdent")
    assert result.exit_code == 2 and "did you mean confident?" in result.stderr
    one_line_and_a_hint(result.stderr)
    wrong_kind = nexus("list", "topics", "--status", "resolved")
    assert wrong_kind.exit_code == 2 and "not a status of topics" in wrong_kind.stderr
    one_line_and_a_hint(wrong_kind.stderr)
    no_status = nexus("list", "takeaways", "--status", "open")
    assert no_status.exit_code == 2 and "takeaways have no status" in no_status.stderr


def test_a_status_is_forgiving_about_case(ok, started):
    ok("edit", "django", "--status", "Learning")
    assert "django" in ok("list", "topics", "--status", "LEARNING").stdout


def test_an_unknown_id_names_the_nearest_ones(nexus, started):
    result = nexus("show", "djnago")
    assert result.exit_code == 1
    assert "did you mean django?" in result.stderr
    one_line_and_a_hint(result.stderr)


def test_nearest_ids_find_a_mistyped_prefix():
    from types import SimpleNamespace

    from nexus_cli.core.ids import nearest_ids

    pool = [SimpleNamespace(id=i) for i in ("django", "django-rest", "docker")]
    assert nearest_ids(pool, "djnago-r")[0] == "django-rest"  # type: ignore[arg-type]
    assert nearest_ids(pool, "zzz") == []  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["done", "planned"])
def test_the_programme_has_no_status(nexus, started, value):
    before = started.read_bytes()
    result = nexus("edit", "program", "--status", value)
    assert result.exit_code == 2
    assert "the programme has no status" in result.stderr
    one_line_and_a_hint(result.stderr)
    assert started.read_bytes() == before


def test_the_programme_names_a_flag_it_lacks(nexus, started):
    result = nexus("edit", "program", "--target", "3h")
    assert result.exit_code == 2 and "the programme has no --target" in result.stderr


def test_answering_no_is_not_an_error(nexus, started, monkeypatch):
    monkeypatch.setattr("nexus_cli.ui.is_interactive", lambda: True)
    before = started.read_bytes()
    result = nexus("rm", "django", input="n\n")
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.stderr
    assert started.read_bytes() == before


def test_sync_without_a_git_identity_says_to_set_user_email(nexus, tmp_path, monkeypatch):
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "empty-gitconfig"))
    (tmp_path / "empty-gitconfig").write_text("[user]\n\tuseConfigOnly = true\n")
    journal = repo / "journal.toml"
    assert nexus("-j", str(journal), "init", "--program", "P").exit_code == 0
    result = nexus("-j", str(journal), "sync")
    assert result.exit_code == 2, result.output
    assert "user.email" in result.stderr
    errors = [line for line in result.stderr.splitlines() if not line.startswith("warning")]
    one_line_and_a_hint("\n".join(errors))


def test_messages_wrap_at_words_on_a_narrow_terminal(monkeypatch, capsys):
    from nexus_cli import ui

    monkeypatch.setattr(ui, "terminal_columns", lambda: 40)
    ui.success("logged 1h30m of python on 2026-11-30 (20261130-8m98)")
    ui.error("unknown kind 'sessoins'; did you mean sessions?", "kind is one of: topics, challenges")
    lines = capsys.readouterr().err.splitlines()
    assert all(len(line) <= 40 for line in lines), lines
    assert lines[:2] == ["✓ logged 1h30m of python on 2026-11-30", "  (20261130-8m98)"]
    assert lines[2].startswith("error: ") and lines[3].startswith("       ")


def test_messages_off_a_terminal_stay_on_one_line(monkeypatch, capsys):
    from nexus_cli import ui

    monkeypatch.setattr(ui, "terminal_columns", lambda: None)
    ui.success("x " * 60)
    assert len(capsys.readouterr().err.splitlines()) == 1
