"""Piped output (`nexus progress | less`) is laid out for the terminal that is still attached."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from nexus_cli import output

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def _widest_line(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def _run_with_terminal_on_stderr(args: list[str], columns: int, env: dict[str, str]) -> str:
    """Run the installed nexus with stdout on a pipe and stderr on a terminal `columns` wide."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    try:
        done = subprocess.run(
            [str(Path(sys.executable).parent / "nexus"), *args],
            stdout=subprocess.PIPE,
            stderr=follower,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=60,
            check=True,
        )
    finally:
        os.close(follower)
        os.close(leader)
    return done.stdout.decode()


@pytest.mark.parametrize("columns", [60, 160])
def test_progress_piped_takes_the_terminal_width(demo, columns):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    out = _run_with_terminal_on_stderr(["progress"], columns, env)
    assert _widest_line(out) <= columns
    assert _widest_line(out) > columns - 20  # it fills the terminal, not a fixed 100


def test_with_no_terminal_at_all_the_width_is_fixed(monkeypatch):
    monkeypatch.setattr(sys, "stderr", open(os.devnull, "w"))  # noqa: SIM115
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115
    assert output.pipe_width() == output.PIPE_WIDTH


def test_help_piped_takes_the_terminal_width(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    out = _run_with_terminal_on_stderr(["edit", "--help"], 40, env)
    assert _widest_line(out) <= 40, out
