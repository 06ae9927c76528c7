"""The benchmark scripts still run against the installed nexus (tiny sizes: nothing is timed here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "nexus"
pytestmark = [
    pytest.mark.slow,  # runs the benchmark scripts
    pytest.mark.skipif(not BIN.exists(), reason="nexus is not installed beside this python"),
]


def run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_benchmark_runs_every_command_and_checks_the_targets():
    report = run(
        "bench/run.py", "--sizes", "200", "--runs", "1", "--formats", "toml",
        "--no-others", "--no-write", "--nexus", str(BIN), "--scale", "0.005",
    )  # fmt: skip
    for row in ("| log |", "| add challenge |", "| progress |", "| validate |", "| log (no cache) |"):
        assert row in report
    assert "fails" not in report  # no command failed
    assert "--help under 200 ms" in report and "minimal Typer app" in report
    for case in ("list topics, first screen (50 / 500 topics)", "import --dry-run README (5 / 50 bullets)"):
        assert case in report  # the growth cases, at 1x and 10x


def test_the_stage_timer_splits_a_progress_run():
    report = run("bench/stages.py", "200", "--runs", "1")
    for stage in ("| Typer |", "| journal models |", "| load (cache hit) |", "| printing the dashboard |"):
        assert stage in report


def test_the_readme_benchmark_prints_its_figures():
    report = run("bench/bench_readme.py", "--bullets", "200", "--runs", "1", "--nexus", str(BIN))
    for row in ("| 200 technology bullets |", "| 200 challenges |", "| 3,000-level list |"):
        assert row in report
