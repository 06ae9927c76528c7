"""Tools for attacking the installed `nexus` the way the world will.

Every test here runs the real console script in a subprocess (unless it fuzzes the
loader in-process), with the environment tests/conftest.py sets up: a journal in
the test's own folder, a fixed clock, no colour.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from nexus_cli.core import ops, store
from nexus_cli.core.models import Journal, Session

BIN = Path(sys.executable).parent / "nexus"
# Subprocesses run a few at a time: enough to use two cores, not so many that
# a slow CI machine starts timing out.
PARALLEL = 4
# No nexus command may take this long, even on a busy CI machine; a run that does is a hang.
HANG = 120.0

NOW = "2026-11-28T18:00:00+00:00"
# What must never reach a terminal raw: ESC, BEL, backspace, CR, DEL, C1 and the bidi controls.
RAW = re.compile(r"[\x07\x08\x0d\x1b\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")
TEMP_NAME = re.compile(r"^\..+\.(?:[A-Za-z0-9_]{8}|bak)\.tmp$")


@dataclass
class Run:
    """What one `nexus` run did."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        shown = " ".join(arg[:200] for arg in self.args)
        return f"nexus {shown!r} -> {self.returncode}\nout: {self.stdout[:2000]}\nerr: {self.stderr[:2000]}"


def nexus(
    *args: str,
    env: dict[str, str] | None = None,
    input: bytes | None = None,
    timeout: float = HANG,
    preexec_fn: Callable[[], None] | None = None,
    cwd: Path | None = None,
) -> Run:
    """Run the installed nexus and return what it did."""
    environment = os.environ.copy()
    environment.update(env or {})
    done = subprocess.run(
        [str(BIN), *args],
        input=input,
        capture_output=True,
        env=environment,
        timeout=timeout,
        preexec_fn=preexec_fn,
        cwd=cwd,
    )
    return Run(
        tuple(args),
        done.returncode,
        done.stdout.decode("utf-8", "backslashreplace"),
        done.stderr.decode("utf-8", "backslashreplace"),
    )


def in_process(invoke: Callable[..., Any], *args: str, env: dict[str, str] | None = None) -> Run:
    """Run nexus in this process with the `nexus` fixture of tests/conftest.py; return a Run."""
    result = invoke(*args, env=env)
    return Run(tuple(args), result.exit_code, result.stdout, result.stderr)


def run_many(calls: Iterable[tuple[tuple[str, ...], dict[str, Any]]], workers: int = PARALLEL) -> list[Run]:
    """Run many nexus commands, a few at a time; results in the order given."""
    calls = list(calls)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda call: nexus(*call[0], **call[1]), calls))


@functools.cache
def commands() -> frozenset[str]:
    """Return the installed nexus's command names (some arrive with other issues)."""
    listing = nexus("--help").stdout
    section = listing.split("Commands:", 1)[-1]
    return frozenset(
        line.split()[0] for line in section.splitlines() if line.startswith("  ") and line.split()
    )


def has_command(name: str) -> bool:
    """Return whether the installed nexus has a command."""
    return name in commands()


def assert_clean_error(run: Run, *, code: int = 2, names: str | Path | None = None) -> str:
    """Assert a run failed with one `error:` line (and maybe a hint), no traceback; return the line."""
    assert run.returncode == code, str(run)
    assert "Traceback" not in run.stderr, str(run)
    lines = run.stderr.splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, str(run)
    others = [line for line in lines if line and not line.startswith(("error:", "hint:"))]
    assert not others, str(run)
    assert len(errors[0]) <= 1100, str(run)
    if names is not None:
        assert str(names) in errors[0], str(run)
    return errors[0]


def temp_files(folder: Path) -> list[str]:
    """Return the temp files nexus-style writers left in a folder."""
    return sorted(name for name in os.listdir(folder) if TEMP_NAME.match(name))


def build_journal(sessions: int = 40) -> Journal:
    """Return a realistic journal: a programme, topics, challenges, takeaways, sessions."""
    saved = os.environ.get("NEXUS_NOW")
    os.environ["NEXUS_NOW"] = NOW  # the same bytes whenever it is built
    try:
        return _build_journal(sessions)
    finally:
        if saved is None:
            del os.environ["NEXUS_NOW"]
        else:
            os.environ["NEXUS_NOW"] = saved


def _build_journal(sessions: int) -> Journal:
    journal = Journal()
    ops.set_program(journal, name="ProDev Backend", description="Twelve weeks of backend work.")
    for name in ("Python", "Django", "Docker", "PostgreSQL", "RabbitMQ"):
        ops.add_topic(journal, name, target_hours=40)
    ops.add_topic(journal, "Decorators", parent="python", category="concept", notes="functions that wrap")
    for index in range(6):
        ops.add_challenge(journal, f"Challenge {index}", topics=["python"], problem=f"problem {index}")
    ops.add_takeaway(journal, "Test first", text="write the test before the code", topics=["python"])
    start = dt.date(2026, 1, 1)
    topics = [t.id for t in journal.topics]
    for index in range(sessions):
        journal.sessions.append(
            Session(
                id=f"{(start + dt.timedelta(days=index // 3)):%Y%m%d}-s{index:03d}",
                topic=topics[index % len(topics)],
                date=start + dt.timedelta(days=index // 3),
                minutes=30 + index % 90,
                note=f"session {index}: read the docs, wrote a small example",
            )
        )
    return journal


def write_journal(path: Path, journal: Journal) -> bytes:
    """Write a journal with nexus's own storage and return its bytes."""
    store.create(path, journal)
    return path.read_bytes()


@contextlib.contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """Make paths immutable with chattr +i (even root cannot change them); skip if impossible."""
    done: list[Path] = []
    try:
        for path in paths:
            result = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
            if result.returncode != 0:
                pytest.skip(f"chattr +i does not work here: {result.stderr.decode().strip()}")
            done.append(path)
        yield
    finally:
        for path in done:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def mount(*args: str) -> bool:
    """Run mount as given; return whether it worked (needs root and a permissive sandbox)."""
    if os.geteuid() != 0:
        return False
    try:
        return subprocess.run(["mount", *args], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def unmount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=10)


def canonical(path: Path) -> bool:
    """Return whether a journal file is exactly what nexus writes for its content (not cut short)."""
    text = path.read_text(encoding="utf-8")
    return store.dumps(store.loads(text, store.format_for(path)), store.format_for(path)) == text


def isolated_env(folder: Path) -> dict[str, str]:
    """Return the environment tests/conftest.py gives a test, for runs set up outside one."""
    home = folder / "home"
    home.mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "NEXUS_JOURNAL": str(folder / "journal.toml"),
        "NEXUS_NOW": NOW,
        "NO_COLOR": "1",
        "COLUMNS": "80",
        "NEXUS_LOCK_TIMEOUT": "5",
    }
