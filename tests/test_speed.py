"""The console script's shortcuts: a fast exit, and TAB completion of ids without the framework."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from nexus_cli import __version__

# Run main() as the console script does, with an atexit callback of our own registered first.
EXIT_PROBE = """
import atexit, sys
atexit.register(lambda: print("atexit ran", flush=False))
sys.argv = ["nexus", *ARGS]
from nexus_cli.cli import main
main()
print("main returned")
"""


def run_main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    code = EXIT_PROBE.replace("ARGS", json.dumps(list(args)))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env or dict(os.environ)
    )


def test_a_finished_command_leaves_with_its_code_after_flushing_and_atexit(started: Path) -> None:
    done = run_main("list", "topics")
    assert done.returncode == 0, done.stderr
    assert "python" in done.stdout and done.stdout.rstrip().endswith("atexit ran")
    assert "main returned" not in done.stdout  # it left from inside main()

    failed = run_main("show", "no-such-entry")
    assert failed.returncode == 1
    assert "no entry matches" in failed.stderr and "atexit ran" in failed.stdout

    usage = run_main("log", "python")
    assert usage.returncode == 2
    assert usage.stdout.strip() == "atexit ran"

    version = run_main("--version")
    assert version.returncode == 0 and version.stdout.splitlines() == [f"nexus {__version__}", "atexit ran"]
