"""The real installed `nexus` in subprocesses: entry point, -m, parallel writers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nexus_cli import __version__

BIN = Path(sys.executable).parent / "nexus"
pytestmark = [
    pytest.mark.slow,  # runs the installed nexus
    pytest.mark.skipif(not BIN.exists(), reason="nexus is not installed beside this python"),
]


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


@pytest.mark.parametrize(
    "args",
    [["--version"], ["progress"], ["show", "python"], ["list", "topics"], ["stats", "--format", "json"]],
)
def test_a_closed_stdout_is_no_crash(started: Path, args: list[str]):
    # `nexus ... >&-`: Python gives None for the stream; printing or flushing it raised a traceback.
    done = subprocess.run(
        ["sh", "-c", '"$0" "$@" >&-', str(BIN), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_a_closed_stdout_still_logs(started: Path):
    before = started.read_bytes()
    done = subprocess.run(
        ["sh", "-c", '"$0" log python 1h 2>&1 >&-', str(BIN)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.startswith("✓ logged 1h of python"), done.stdout
    assert started.read_bytes() != before


@pytest.mark.parametrize("args", [["progress"], ["show", "python"], ["log", "python", "5m"]])
def test_an_ascii_stream_is_no_crash(started: Path, args: list[str]):
    # It was exit 70, "unexpected UnicodeEncodeError", for the dashboard's box lines.
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = run(*args, env=env)
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr


def test_usage_errors_exit_2():
    result = run("frobnicate")
    assert result.returncode == 2
    assert "No such command" in result.stderr
