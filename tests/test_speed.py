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


COMPLETE_PROBE = """
import atexit, sys
HEAVY = {"typer", "pydantic", "rich"}
atexit.register(lambda: print("\\nMODULES " + " ".join(sorted(HEAVY & set(sys.modules)))))
sys.argv = ["nexus"]
from nexus_cli.cli import main
main()
"""
CASES = [
    "nexus log ",
    "nexus log d",
    "nexus log D",
    "nexus start py",
    "nexus show ",
    "nexus rm 2026",
    "nexus solve ",
    "nexus review ",
    "nexus add resource dj",
    "nexus add challenge Title -t ",
    "nexus add topic Name --parent py",
    "nexus list sessions --topic ",
    "nexus edit python --parent d",
    "nexus --no-color -j JOURNAL show dec",
    "nexus log nothing-starts-so",
]


def complete(shell: str, line: str, *, cache: bool, action: str = "get-args") -> tuple[str, str, int]:
    """Return (completions, heavy modules loaded, exit code) for a command line typed up to the cursor."""
    env = dict(os.environ, _NEXUS_COMPLETE=f"complete_{shell}")
    if shell == "bash":
        words = line.split()
        env.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - (0 if line.endswith(" ") else 1)))
    else:
        env.update(_TYPER_COMPLETE_ARGS=line, _TYPER_COMPLETE_FISH_ACTION=action)
    if not cache:
        env["NEXUS_NO_CACHE"] = "1"
    done = subprocess.run([sys.executable, "-c", COMPLETE_PROBE], capture_output=True, text=True, env=env)
    out, _, modules = done.stdout.rpartition("\nMODULES ")
    return out, modules.strip(), done.returncode


def test_completion_of_ids_answers_like_typer_without_loading_it(
    ok, started: Path, journal_path: Path
) -> None:
    ok("add", "challenge", "Decorator order", "-t", "python")
    ok("list", "topics")  # the cache now holds the journal's bytes
    for shell in ("bash", "zsh", "fish"):
        for line in CASES if shell == "bash" else CASES[1::3]:  # zsh, fish: a sample
            line = line.replace("JOURNAL", str(journal_path))
            fast, fast_modules, fast_code = complete(shell, line, cache=True)
            full, _full_modules, full_code = complete(shell, line, cache=False)
            assert (fast, fast_code) == (full, full_code), (shell, line)
            assert fast_modules == "", (shell, line)  # neither Typer, Pydantic nor Rich
    assert complete("bash", "nexus log d", cache=True)[0].split() == ["decorators", "django"]
    assert "python" in complete("bash", "nexus show ", cache=True)[0].split()
    for line in ("nexus log ", "nexus log zzz"):  # fish asks first whether to offer ids at all
        assert (
            complete("fish", line, cache=True, action="is-args")[2]
            == complete("fish", line, cache=False, action="is-args")[2]
        )


def test_other_completions_are_left_to_typer(started: Path) -> None:
    for line in ("nexus lo", "nexus log python --n", "nexus list ", "nexus review --grade "):
        _out, modules, _code = complete("bash", line, cache=True)
        assert "typer" in modules, line
