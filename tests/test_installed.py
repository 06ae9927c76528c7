"""The real installed `nexus` in subprocesses: entry point, -m, parallel writers."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from nexus_cli import __version__
from nexus_cli.core import store

BIN = Path(sys.executable).parent / "nexus"
pytestmark = pytest.mark.skipif(not BIN.exists(), reason="nexus is not installed beside this python")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=env or os.environ.copy(), timeout=60
    )


def test_console_script_and_module_agree():
    assert run("--version").stdout.strip() == f"nexus {__version__}"
    module = subprocess.run([sys.executable, "-m", "nexus_cli", "--version"], capture_output=True, text=True)
    assert module.stdout.strip() == f"nexus {__version__}"


def test_errors_are_one_line_without_traceback(journal_path):
    result = run("log", "python", "1h")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: no journal at")


def test_usage_errors_exit_2():
    result = run("frobnicate")
    assert result.returncode == 2
    assert "No such command" in result.stderr


def test_parallel_logs_all_land(journal_path):
    assert run("init").returncode == 0
    assert run("add", "topic", "Python").returncode == 0
    writers = 24
    with ThreadPoolExecutor(max_workers=writers) as pool:
        results = list(
            pool.map(lambda n: run("log", "python", f"{n + 1}m", "--note", f"w{n}"), range(writers))
        )
    assert [r.returncode for r in results] == [0] * writers, [r.stderr for r in results if r.returncode]
    sessions = store.load_journal(journal_path).sessions
    assert sorted(s.note for s in sessions) == sorted(f"w{n}" for n in range(writers))
    assert len({s.id for s in sessions}) == writers
