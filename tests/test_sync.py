"""`nexus sync` and the merge driver with real git: two clones of one repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nexus_cli.core import store

NEXUS = Path(sys.executable).with_name("nexus")
pytestmark = [
    pytest.mark.slow,  # runs git in subprocesses
    pytest.mark.skipif(
        shutil.which("git") is None or not NEXUS.exists(), reason="needs git and the installed nexus"
    ),
]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A git identity, no system config, and the installed nexus on PATH (as git needs it)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    values = {
        **os.environ,
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Learner",
        "GIT_AUTHOR_EMAIL": "learner@example.com",
        "GIT_COMMITTER_NAME": "Learner",
        "GIT_COMMITTER_EMAIL": "learner@example.com",
        "PATH": f"{NEXUS.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    values.pop("NEXUS_JOURNAL", None)
    return values


def run(
    args: list[str], cwd: Path, env: dict[str, str], code: int | None = 0
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if code is not None:
        assert done.returncode == code, f"{args}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def nx(
    clone: Path, env: dict[str, str], *args: str, code: int | None = 0
) -> subprocess.CompletedProcess[str]:
    return run([str(NEXUS), "-j", str(clone / "journal.toml"), *args], clone, env, code)


@pytest.fixture
def clones(tmp_path: Path, env: dict[str, str]) -> tuple[Path, Path]:
    """A bare origin; a laptop that starts the journal and syncs; a desktop cloned after."""
    origin, laptop, desktop = tmp_path / "origin.git", tmp_path / "laptop", tmp_path / "desktop"
    run(["git", "init", "-q", "--bare", str(origin)], tmp_path, env)
    run(["git", "clone", "-q", str(origin), str(laptop)], tmp_path, env)
    nx(laptop, env, "init", "--program", "ProDev Backend")
    nx(laptop, env, "add", "topic", "Python")
    nx(laptop, env, "add", "topic", "Django")
    nx(laptop, env, "add", "challenge", "RabbitMQ routing", "--problem", "exchanges")
    nx(laptop, env, "log", "python", "1h")
    nx(laptop, env, "sync", "setup")
    nx(laptop, env, "sync")
    run(["git", "clone", "-q", str(origin), str(desktop)], tmp_path, env)
    nx(desktop, env, "sync", "setup")
    return laptop, desktop


def journal_ids(clone: Path) -> set[str]:
    journal = store.loads((clone / "journal.toml").read_text(encoding="utf-8"), "toml")
    return {e.id for name in store.SECTIONS for e in getattr(journal, name)}


def test_two_clones_merge_each_others_work_entry_by_entry(
    clones: tuple[Path, Path], env: dict[str, str]
) -> None:
    laptop, desktop = clones
    nx(laptop, env, "add", "topic", "Docker")
    nx(laptop, env, "log", "python", "45m", "--note", "generators")
    nx(laptop, env, "edit", "python", "--status", "practicing")
    nx(desktop, env, "add", "topic", "Kubernetes")
    nx(desktop, env, "log", "django", "2h", "--date", "yesterday")
    nx(desktop, env, "edit", "python", "--notes", "the language under everything")
    nx(desktop, env, "solve", "rabbit", "--solution", "drew each message's path")
    laptop_ids, desktop_ids = journal_ids(laptop), journal_ids(desktop)

    nx(laptop, env, "sync")
    merged = nx(desktop, env, "sync")
    assert "pulled and merged" in merged.stderr
    nx(laptop, env, "sync")

    assert (laptop / "journal.toml").read_bytes() == (desktop / "journal.toml").read_bytes()
    assert laptop_ids | desktop_ids <= journal_ids(laptop)
    journal = store.loads((laptop / "journal.toml").read_text(encoding="utf-8"), "toml")
    python = next(t for t in journal.topics if t.id == "python")
    assert (python.status.value, python.notes) == ("practicing", "the language under everything")
    assert next(c for c in journal.challenges if c.id.startswith("rabbit")).status.value == "resolved"
    assert len(journal.sessions) == 3
    nx(laptop, env, "validate", str(laptop / "journal.toml"))
    assert run(["git", "status", "--porcelain"], laptop, env).stdout == ""


def test_plain_git_pull_uses_the_driver_too(clones: tuple[Path, Path], env: dict[str, str]) -> None:
    laptop, desktop = clones
    nx(desktop, env, "sync")
    nx(laptop, env, "add", "topic", "Docker")
    nx(desktop, env, "add", "topic", "Celery")
    for clone in (laptop, desktop):
        run(["git", "commit", "-q", "-am", "study"], clone, env)
    run(["git", "push", "-q"], laptop, env)
    run(["git", "pull", "-q", "--no-rebase", "--no-edit"], desktop, env)
    assert {"docker", "celery"} <= journal_ids(desktop)


def test_a_conflict_leaves_git_conflicted_with_both_versions(
    clones: tuple[Path, Path], env: dict[str, str]
) -> None:
    laptop, desktop = clones
    nx(desktop, env, "sync")
    nx(laptop, env, "edit", "python", "--status", "confident")
    nx(desktop, env, "edit", "python", "--status", "practicing")
    nx(desktop, env, "add", "topic", "Celery")
    nx(laptop, env, "sync")
    failed = nx(desktop, env, "sync", code=1)
    assert "merge conflict in journal.toml" in failed.stderr
    assert run(["git", "diff", "--name-only", "--diff-filter=U"], desktop, env).stdout.split() == [
        "journal.toml"
    ]
    text = (desktop / "journal.toml").read_text(encoding="utf-8")
    assert 'status = "practicing"' in text and 'status = "confident"' in text and "<<<<<<< ours" in text
    assert 'status = "practicing"' in run(["git", "show", ":2:journal.toml"], desktop, env).stdout
    assert 'status = "confident"' in run(["git", "show", ":3:journal.toml"], desktop, env).stdout
    nx(desktop, env, "list", "topics", code=2)  # nexus will not read a file with markers

    run(["git", "add", "journal.toml"], desktop, env)
    refused = nx(desktop, env, "sync", code=2)  # added with its markers: not committed
    assert "still has conflict markers" in refused.stderr
    assert run(["git", "rev-parse", "-q", "--verify", "MERGE_HEAD"], desktop, env).returncode == 0

    # Resolve: keep "confident" by deleting the other side's lines, then sync again.
    lines = text.splitlines(keepends=True)
    start = lines.index("<<<<<<< ours\n")
    middle = lines.index("=======\n", start)
    end = lines.index(">>>>>>> theirs\n", middle)
    (desktop / "journal.toml").write_text("".join(lines[:start] + lines[middle + 1 : end] + lines[end + 1 :]))
    run(["git", "add", "journal.toml"], desktop, env)
    nx(desktop, env, "sync")
    nx(laptop, env, "sync")
    assert {"celery", "python"} <= journal_ids(laptop)
    assert 'status = "confident"' in (laptop / "journal.toml").read_text(encoding="utf-8")


def test_setup_is_idempotent_and_writes_the_attribute_and_config(tmp_path: Path, env: dict[str, str]) -> None:
    repo = tmp_path / "notes"
    run(["git", "init", "-q", str(repo)], tmp_path, env)
    nx(repo, env, "init")
    first = nx(repo, env, "sync", "setup")
    assert "merge.nexus.driver" in first.stderr
    attributes = (repo / ".gitattributes").read_bytes()
    config = (repo / ".git" / "config").read_bytes()
    assert attributes == b"/journal.toml merge=nexus\n"
    driver = run(["git", "config", "merge.nexus.driver"], repo, env).stdout.strip()
    assert driver == "nexus merge-driver %O %A %B %P"
    again = nx(repo, env, "sync", "setup")
    assert "already set up" in again.stderr
    assert (repo / ".gitattributes").read_bytes() == attributes
    assert (repo / ".git" / "config").read_bytes() == config


def test_sync_without_a_remote_commits_and_says_so(tmp_path: Path, env: dict[str, str]) -> None:
    repo = tmp_path / "notes"
    run(["git", "init", "-q", str(repo)], tmp_path, env)
    nx(repo, env, "init")
    done = nx(repo, env, "sync")
    assert "committed journal.toml" in done.stderr and "no remote" in done.stderr
    assert run(["git", "log", "--format=%s"], repo, env).stdout.strip() == "nexus: journal update"
    again = nx(repo, env, "sync")
    assert "no local changes" in again.stderr


def test_outside_a_repository_sync_fails_with_one_line_and_a_hint(
    tmp_path: Path, env: dict[str, str]
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    nx(folder, env, "init")
    done = nx(folder, env, "sync", code=2)
    assert done.stderr.startswith("error: ") and "not in a git repository" in done.stderr
    assert "hint: run `git init`" in done.stderr
    assert "Traceback" not in done.stderr


def test_setup_writes_the_full_path_when_nexus_is_not_on_path(tmp_path: Path, env: dict[str, str]) -> None:
    repo = tmp_path / "notes"
    git_dir = str(Path(shutil.which("git") or "/usr/bin/git").parent)
    bare = {**env, "PATH": git_dir}
    run(["git", "init", "-q", str(repo)], tmp_path, bare)
    nx(repo, bare, "init")
    nx(repo, bare, "sync", "setup")
    driver = run(["git", "config", "merge.nexus.driver"], repo, bare).stdout.strip()
    assert driver == f"{NEXUS.resolve()} merge-driver %O %A %B %P"
