"""kill -9 at random moments: the journal always holds the old or the new content, never less."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from attack import (
    BIN,
    HANG,
    TEMP_NAME,
    build_journal,
    canonical,
    has_command,
    nexus,
    temp_files,
    write_journal,
)

from nexus_cli.core import store

SEED = 20261128
KILLS = 30


def _command(i: int, rng: random.Random) -> tuple[str, ...]:
    """A write whose result carries the marker `kill-NNN`."""
    marker = f"kill-{i:03d}"
    return rng.choice(
        [
            ("log", rng.choice(["python", "django", "docker"]), f"{rng.randint(5, 240)}m", "--note", marker),
            ("add", "topic", f"Topic {marker}", "--notes", marker),
            ("add", "challenge", f"Challenge {marker}", "-t", "python", "--problem", marker),
            ("edit", "python", "--notes", marker),
            ("solve", f"challenge-{rng.randint(0, 5)}", "--solution", marker),
        ]
    )


def _spawn(args: tuple[str, ...], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **env}
    )


def _kill_while_writing(proc: subprocess.Popen[bytes], folder: Path, rng: random.Random) -> bool:
    """Kill the process a moment after its temp file appears; return whether it did."""
    deadline = time.monotonic() + HANG
    while proc.poll() is None and time.monotonic() < deadline:
        if any(TEMP_NAME.match(name) for name in os.listdir(folder)):
            time.sleep(rng.uniform(0, 0.015))
            proc.send_signal(signal.SIGKILL)
            return True
    return False


def _check_old_or_new(path: Path, before: bytes, marker: str) -> str:
    """Assert the journal is exactly the old file, or a complete new one; return which."""
    after = path.read_bytes()  # never missing
    if after == before:
        return "old"
    store.load(path)  # parses and validates
    assert canonical(path), "the journal is not a complete file nexus wrote"
    assert marker.encode() in after, "the journal changed but does not hold the new entry"
    backup = store.backup_path(path)
    staged = backup.with_name(backup.name + ".tmp")  # killed between the two renames
    kept = [backup.read_bytes(), staged.read_bytes() if staged.exists() else None]
    assert before in kept, "the previous version was not kept as the backup"
    return "new"


@pytest.mark.slow
def test_kill_9_at_random_moments_leaves_the_old_or_the_new_journal(journal_path):
    write_journal(journal_path, build_journal(300))
    folder = journal_path.parent
    rng = random.Random(SEED)
    env = {"NEXUS_LOCK_TIMEOUT": "3"}

    assert nexus("log", "python", "1m", "--note", "warm-up").returncode == 0  # fills the cache
    started = time.monotonic()  # a run as the runs below go: `log` on a cached journal is quick
    assert nexus("log", "python", "1m", "--note", "timed").returncode == 0
    full_run = time.monotonic() - started

    outcomes: dict[str, int] = {"old": 0, "new": 0, "killed": 0, "killed writing": 0, "finished": 0}
    for i in range(KILLS):
        before = journal_path.read_bytes()
        marker = f"kill-{i:03d}"
        proc = _spawn(_command(i, rng), env)
        if i % 2:
            if _kill_while_writing(proc, folder, rng):
                outcomes["killed writing"] += 1
        else:
            try:
                proc.wait(timeout=rng.uniform(0.2, 1.3) * full_run)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
        _, stderr = proc.communicate(timeout=HANG)
        if proc.returncode == -signal.SIGKILL:
            outcomes["killed"] += 1
        else:
            # Not killed: it must have succeeded, so nothing a killed writer left blocked it.
            assert proc.returncode == 0, stderr.decode()
            outcomes["finished"] += 1
        outcomes[_check_old_or_new(journal_path, before, marker)] += 1
        assert not (folder / f".{journal_path.name}.lock").is_symlink()

    assert outcomes["killed"] >= KILLS // 3, outcomes
    assert outcomes["killed writing"] >= 1, outcomes
    assert outcomes["new"] >= 1, outcomes
    print(f"kill -9 outcomes: {outcomes}")

    # Whatever the kills left behind, the next run works and sees everything.
    leftovers = temp_files(folder)
    old = time.time() - 3600
    for name in leftovers:
        os.utime(folder / name, (old, old))
    done = nexus("log", "python", "1h", "--note", "after the storm", env={"NEXUS_LOCK_TIMEOUT": "2"})
    assert done.returncode == 0, str(done)
    assert not temp_files(folder), "temp files of killed writers were not cleaned up"
    assert "after the storm" in {s.note for s in store.load_journal(journal_path).sessions}
    if has_command("validate"):
        check = nexus("validate", str(journal_path))
        assert check.returncode == 0, str(check)


@pytest.mark.slow
def test_kill_9_during_init_leaves_no_journal_or_a_whole_one(tmp_path):
    rng = random.Random(SEED + 1)
    for i in range(4):
        path = tmp_path / f"new{i}" / "journal.toml"
        proc = _spawn(("-j", str(path), "init", "--program", f"Program {i}"), {})
        if i % 2:
            # the folder appears just before the journal is written
            deadline = time.monotonic() + HANG
            while proc.poll() is None and not path.parent.exists() and time.monotonic() < deadline:
                pass
            if path.parent.exists():
                _kill_while_writing(proc, path.parent, rng)
        else:
            time.sleep(rng.uniform(0.1, 0.5))
            proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=HANG)
        if path.exists():
            assert store.load_journal(path).program.name == f"Program {i}"
            assert canonical(path)
        else:
            again = nexus("-j", str(path), "init", "--program", f"Program {i}")
            assert again.returncode == 0, str(again)
            assert store.load_journal(path).program.name == f"Program {i}"
