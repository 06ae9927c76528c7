"""`nexus sync` and the merge driver with real git: two clones of one repository."""

from __future__ import annotations

import os
import re
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


def break_driver(clone: Path, env: dict[str, str]) -> None:
    """Point the clone's merge driver at a program that is not there, as when git's PATH lacks nexus."""
    missing = clone.parent / "no-such-dir" / "nexus"
    run(["git", "config", "merge.nexus.driver", f"{missing} merge-driver %O %A %B %P"], clone, env)


def sessions_of(clone: Path) -> set[tuple[str, int]]:
    journal = store.loads((clone / "journal.toml").read_text(encoding="utf-8"), "toml")
    return {(s.topic, s.minutes) for s in journal.sessions}


@pytest.mark.slow
def test_sync_merges_the_journal_itself_when_git_cannot_run_the_driver(
    clones: tuple[Path, Path], env: dict[str, str]
) -> None:
    laptop, desktop = clones
    nx(desktop, env, "sync")
    break_driver(desktop, env)
    nx(laptop, env, "log", "django", "50m")
    nx(laptop, env, "add", "topic", "Docker")
    nx(laptop, env, "sync")
    nx(desktop, env, "log", "python", "25m")
    done = nx(desktop, env, "sync")
    assert "merge driver did not run" in done.stderr
    assert "sync setup" in done.stderr
    assert {("django", 50), ("python", 25), ("python", 60)} <= sessions_of(desktop)
    assert "docker" in journal_ids(desktop)
    assert run(["git", "status", "--porcelain"], desktop, env).stdout == ""
    nx(laptop, env, "sync")
    assert (laptop / "journal.toml").read_bytes() == (desktop / "journal.toml").read_bytes()
    nx(laptop, env, "validate", str(laptop / "journal.toml"))


@pytest.mark.slow
def test_a_conflict_without_the_driver_gets_markers_and_the_other_side_survives(
    clones: tuple[Path, Path], env: dict[str, str]
) -> None:
    laptop, desktop = clones
    nx(desktop, env, "sync")
    break_driver(desktop, env)
    nx(laptop, env, "edit", "python", "--status", "confident")
    nx(laptop, env, "log", "django", "50m")
    nx(laptop, env, "sync")
    nx(desktop, env, "edit", "python", "--status", "practicing")
    failed = nx(desktop, env, "sync", code=1)
    assert "merge driver did not run" in failed.stderr
    text = (desktop / "journal.toml").read_text(encoding="utf-8")
    assert "<<<<<<< ours" in text and 'status = "confident"' in text and "django" in text
    # Following the hint without editing cannot push this side alone.
    run(["git", "add", "journal.toml"], desktop, env)
    nx(desktop, env, "sync", code=2)


def both_studied_without_the_driver(laptop: Path, desktop: Path, env: dict[str, str]) -> None:
    """The laptop logs and syncs; the desktop, whose git cannot run the driver, logs and commits."""
    nx(desktop, env, "sync")
    break_driver(desktop, env)
    nx(laptop, env, "log", "django", "50m")
    nx(laptop, env, "sync")
    nx(desktop, env, "log", "python", "25m")
    run(["git", "commit", "-q", "-am", "study"], desktop, env)


@pytest.mark.slow
def test_plain_git_pull_without_the_driver_then_git_add_does_not_drop_the_other_side(
    clones: tuple[Path, Path], env: dict[str, str]
) -> None:
    laptop, desktop = clones
    both_studied_without_the_driver(laptop, desktop, env)
    pulled = run(["git", "pull", "-q", "--no-rebase", "--no-edit"], desktop, env, code=None)
    assert pulled.returncode != 0
    assert ("django", 50) not in sessions_of(desktop)  # git left this side only, without markers
    run(["git", "add", "journal.toml"], desktop, env)  # the old hint
    done = nx(desktop, env, "sync")
    assert "merge driver did not run" in done.stderr
    nx(laptop, env, "sync")
    for clone in (laptop, desktop):
        assert {("django", 50), ("python", 25)} <= sessions_of(clone)


@pytest.mark.slow
def test_an_unmerged_journal_edited_after_a_failed_pull_still_gets_the_other_side(
    clones: tuple[Path, Path], env: dict[str, str]
) -> None:
    laptop, desktop = clones
    both_studied_without_the_driver(laptop, desktop, env)
    run(["git", "pull", "-q", "--no-rebase", "--no-edit"], desktop, env, code=None)
    nx(desktop, env, "log", "python", "10m")  # the file has no markers, so nexus reads it
    nx(desktop, env, "sync")
    nx(laptop, env, "sync")
    for clone in (laptop, desktop):
        assert {("django", 50), ("python", 25), ("python", 10)} <= sessions_of(clone)


def at(env: dict[str, str], when: str) -> dict[str, str]:
    return {**env, "NEXUS_NOW": f"2026-11-10T{when}:00+00:00"}


@pytest.mark.slow
def test_a_timer_synced_between_machines_and_stopped_on_both_is_logged_once(
    clones: tuple[Path, Path], env: dict[str, str]
) -> None:
    laptop, desktop = clones
    nx(desktop, env, "sync")
    nx(laptop, at(env, "09:00"), "start", "django")
    journal = laptop / "journal.toml"
    text = journal.read_text(encoding="utf-8")
    assert "host = " in text and 'id = "t-' in text
    # Pretend the timer was started on a machine called "laptop-a".
    journal.write_text(re.sub(r'host = ".*"', 'host = "laptop-a"', text), encoding="utf-8")
    nx(laptop, env, "sync")
    nx(desktop, env, "sync")
    refused = nx(desktop, at(env, "09:30"), "start", "python", code=2)
    assert "started on laptop-a" in refused.stderr
    stop_b = nx(desktop, at(env, "10:00"), "stop")
    assert "started on laptop-a" in stop_b.stderr
    nx(laptop, at(env, "10:30"), "stop")
    nx(desktop, env, "sync")
    nx(laptop, env, "sync")
    nx(desktop, env, "sync")
    for clone in (laptop, desktop):
        django = [
            (s.minutes, s.start)
            for s in store.loads((clone / "journal.toml").read_text(), "toml").sessions
            if s.topic == "django"
        ]
        assert [minutes for minutes, _ in django] == [60], django
    assert (laptop / "journal.toml").read_bytes() == (desktop / "journal.toml").read_bytes()


@pytest.mark.slow
def test_sync_holds_the_journal_lock_so_a_write_never_races_a_pull(
    clones: tuple[Path, Path], env: dict[str, str]
) -> None:
    laptop, _desktop = clones
    nx(laptop, env, "log", "django", "30m")
    before = (laptop / "journal.toml").read_bytes()
    head = run(["git", "rev-parse", "HEAD"], laptop, env).stdout
    with store.locked(laptop / "journal.toml"):  # another nexus is writing
        busy = nx(laptop, {**env, "NEXUS_LOCK_TIMEOUT": "0.3"}, "sync", code=2)
    assert "busy" in busy.stderr
    assert (laptop / "journal.toml").read_bytes() == before
    assert run(["git", "rev-parse", "HEAD"], laptop, env).stdout == head  # nothing committed
    nx(laptop, env, "sync")


def test_the_journal_keeps_its_private_mode_after_a_pull(
    clones: tuple[Path, Path], env: dict[str, str]
) -> None:
    laptop, desktop = clones
    journal = desktop / "journal.toml"
    nx(desktop, env, "sync")
    os.chmod(journal, 0o600)
    nx(laptop, env, "log", "django", "50m")
    nx(laptop, env, "sync")
    nx(desktop, env, "log", "python", "25m")
    nx(desktop, env, "sync")  # a merge: git writes the merged file
    assert ("django", 50) in sessions_of(desktop)
    assert journal.stat().st_mode & 0o777 == 0o600
    os.chmod(journal, 0o640)
    nx(laptop, env, "log", "django", "10m")
    nx(laptop, env, "sync")
    nx(desktop, env, "sync")  # a fast-forward: git rewrites the file
    assert ("django", 10) in sessions_of(desktop)
    assert journal.stat().st_mode & 0o777 == 0o640


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["my notes", "notes [2026]", "tab\there", 'say "hi"'])
def test_setup_writes_an_attribute_git_reads_for_a_path_with_spaces(
    tmp_path: Path, env: dict[str, str], folder: str
) -> None:
    repo = tmp_path / "repo"
    run(["git", "init", "-q", str(repo)], tmp_path, env)
    (repo / folder).mkdir()
    journal = repo / folder / "my journal.toml"
    run([str(NEXUS), "-j", str(journal), "init"], repo, env)
    run([str(NEXUS), "-j", str(journal), "sync", "setup"], repo, env)
    rel = f"{folder}/my journal.toml"
    done = run(["git", "check-attr", "merge", "--", rel], repo, env)
    assert done.stdout.strip().endswith("merge: nexus"), done.stdout
    assert "not a valid attribute" not in done.stderr
    other = run(["git", "check-attr", "merge", "--", f"{folder}/my journalXtoml"], repo, env)
    assert other.stdout.strip().endswith("unspecified")
    (repo / folder / ".my journal.toml.bak").write_text("x", encoding="utf-8")
    ignored = run(["git", "check-ignore", "--", f"{folder}/.my journal.toml.bak"], repo, env, code=None)
    assert ignored.returncode == 0, ignored.stderr
    again = run([str(NEXUS), "-j", str(journal), "sync", "setup"], repo, env)
    assert "already set up" in again.stderr


@pytest.mark.slow
def test_setup_replaces_the_attribute_line_older_versions_wrote_for_a_space(
    tmp_path: Path, env: dict[str, str]
) -> None:
    repo = tmp_path / "repo"
    run(["git", "init", "-q", str(repo)], tmp_path, env)
    (repo / "my notes").mkdir()
    journal = repo / "my notes" / "journal.toml"
    run([str(NEXUS), "-j", str(journal), "init"], repo, env)
    (repo / ".gitattributes").write_text(
        "*.md text\n/my[ ]notes/journal.toml merge=nexus\n", encoding="utf-8"
    )
    run([str(NEXUS), "-j", str(journal), "sync", "setup"], repo, env)
    text = (repo / ".gitattributes").read_text(encoding="utf-8")
    assert text == '*.md text\n"/my notes/journal.toml" merge=nexus\n'
    done = run(["git", "check-attr", "merge", "--", "my notes/journal.toml"], repo, env)
    assert done.stdout.strip().endswith("merge: nexus") and not done.stderr
