"""Every test runs in its own folder, with a fixed "today" and no colour."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from nexus_cli.cli import app
from support import EXAMPLE, IN_CI, NOW, examples

pytest_plugins = ["golden_plugin"]

# Tests with their own @settings(max_examples=examples(N)) scale the same way.
settings.register_profile("ci", max_examples=100)
settings.register_profile("dev", max_examples=examples(100))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev"))


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point journal, config and data folders at tmp_path; fix the clock."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    # Parsed journals are cached here: never in (or evicting from) the developer's own cache.
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("NEXUS_JOURNAL", str(tmp_path / "journal.toml"))
    monkeypatch.setenv("NEXUS_NOW", NOW)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NEXUS_LOCK_TIMEOUT", "5")
    for name in ("FORCE_COLOR", "NEXUS_DEBUG", "VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.toml"


Run = Callable[..., Result]


@pytest.fixture
def nexus() -> Run:
    """Run nexus in-process: nexus("log", "python", "1h") -> Result."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return run


@pytest.fixture
def ok(nexus: Run) -> Run:
    """Like `nexus`, but the command must succeed."""

    def run(*args: str, **kwargs: object) -> Result:
        result = nexus(*args, **kwargs)
        assert result.exit_code == 0, result.output
        return result

    return run


@pytest.fixture
def demo(journal_path: Path) -> Path:
    """The shipped example journal, copied to the test's journal path."""
    shutil.copyfile(EXAMPLE, journal_path)
    return journal_path


@pytest.fixture
def started(ok: Run, journal_path: Path) -> Path:
    """A small journal: a programme, Python with a subtopic, Django, one session each."""
    ok("init", "--program", "ProDev Backend")
    ok("add", "topic", "Python", "--target", "40h")
    ok("add", "topic", "Decorators", "--parent", "python", "--category", "concept")
    ok("add", "topic", "Django")
    ok("log", "python", "1h30m", "--note", "generators")
    ok("log", "decorators", "45m", "--date", "yesterday")
    return journal_path
