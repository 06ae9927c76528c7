"""Split one `nexus progress` into its stages: the stack's imports, nexus's, loading, printing.

Run with the interpreter of the nexus under test:

    python bench/stages.py 10000            # median of 5 runs, each a fresh process

Each run is a new process that imports what `nexus progress` imports, in the
same order, and times each step (Python's own start, ~20 ms, is not included).
The journal is generated once (bench/generate.py) and cached by a first run, so
the load is the cache hit every later command gets.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

STAGES = r"""
import gc, io, json, sys, time
marks = [("start", time.perf_counter())]
def mark(name): marks.append((name, time.perf_counter()))
gc.disable()  # as the nexus console script does
from nexus_cli.cli import _without_pydantic_plugins
_without_pydantic_plugins()
import typer, typer.main; mark("Typer")
import pydantic, typer._adapters; mark("Pydantic, Typer's adapters")
from nexus_cli.core import models; mark("journal models")
import nexus_cli.root
from nexus_cli.commands import _common
from nexus_cli.core import clock, stats, store; mark("nexus modules")
from pathlib import Path
journal = store.load_journal(Path(sys.argv[1])); mark("load (cache hit)")
from rich.console import Console
from rich.table import Table; mark("Rich")
from nexus_cli.render import progress; mark("renderers")
numbers = stats.compute(journal, clock.today()); mark("the numbers")
console = Console(file=io.StringIO(), width=100, highlight=False, markup=False, color_system=None)
console.print(progress.render_progress(journal, numbers)); mark("printing the dashboard")
print(json.dumps([[b, y - x] for (_, x), (b, y) in zip(marks, marks[1:])]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, nargs="?", default=10_000, help="journal entries")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nexus-stages-") as tmp:
        env = dict(os.environ, XDG_CACHE_HOME=str(Path(tmp) / "cache"), NEXUS_NOW="2026-11-28T18:00:00+00:00")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(args.size), tmp, "--today", "2026-11-28"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        journal = str(Path(tmp) / f"journal-{args.size}.toml")
        runs = []
        for _ in range(args.runs + 1):  # the first run fills the cache and the bytecode
            out = subprocess.run(
                [sys.executable, "-c", STAGES, journal], check=True, env=env, capture_output=True, text=True
            )
            runs.append(json.loads(out.stdout))
    names = [name for name, _ in runs[1]]
    print(f"nexus progress on {args.size:,} entries, median of {args.runs} runs:\n")
    print("| stage | ms |\n|---|---|")
    total = 0.0
    for index, name in enumerate(names):
        median = statistics.median(run[index][1] for run in runs[1:])
        total += median
        print(f"| {name} | {median * 1000:.0f} |")
    print(f"| total (without Python's own start) | {total * 1000:.0f} |")


if __name__ == "__main__":
    main()
