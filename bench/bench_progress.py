"""Time `nexus progress` on a journal of 10,000 sessions (the budget is 0.5 s).

    python bench/bench_progress.py [--sessions 10000] [--runs 5]

Builds the journal (TOML) in a temporary folder, runs the installed `nexus` (the
one beside this Python) once to warm its parsed-journal cache, then times
`--runs` more runs as subprocesses and prints median, min and max.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nexus_cli.core.models import Challenge, Journal, Program, Session, Topic
from nexus_cli.core.store.codec import dumps_toml

NOW = dt.datetime(2026, 11, 28, 18, tzinfo=dt.UTC)
BUDGET = 0.5


def build(sessions: int, seed: int = 7) -> Journal:
    """Return a journal of 30 topics (some nested) and `sessions` sessions over three years."""
    rng = random.Random(seed)
    topics = []
    for number in range(30):
        parent = f"topic-{number % 6}" if number >= 6 else None
        topics.append(
            Topic(
                id=f"topic-{number}",
                name=f"Topic {number}",
                category=("technology", "concept", "practice")[number % 3],
                parent=parent,
                status=("planned", "learning", "practicing", "confident")[number % 4],
                target_hours=40 if parent is None else None,
                created=NOW,
                updated=NOW,
            )
        )
    first = NOW.date() - dt.timedelta(days=3 * 365)
    items = []
    for number in range(sessions):
        day = first + dt.timedelta(days=rng.randrange(3 * 365))
        items.append(
            Session(
                id=f"{day:%Y%m%d}-{number:06d}",
                topic=f"topic-{rng.randrange(30)}",
                date=day,
                minutes=rng.randrange(15, 180),
                note=f"session {number}",
            )
        )
    items.sort(key=lambda s: (s.date, s.id))
    challenges = [
        Challenge(id=f"challenge-{n}", title=f"Challenge {n}", topics=[f"topic-{n}"], opened=NOW)
        for n in range(10)
    ]
    return Journal(
        program=Program(name="Benchmark programme"), topics=topics, challenges=challenges, sessions=items
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    nexus = Path(sys.executable).with_name("nexus")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.toml"
        path.write_text(dumps_toml(build(args.sessions)), encoding="utf-8")
        env = {**os.environ, "NEXUS_NOW": NOW.isoformat(), "COLUMNS": "120", "NO_COLOR": "1"}
        env["XDG_CACHE_HOME"] = str(Path(folder) / "cache")
        command = [str(nexus), "-j", str(path), "progress"]
        subprocess.run(command, env=env, check=True, capture_output=True)  # the first run parses the TOML
        times, cpu = [], []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    median = statistics.median(times)
    print(f"nexus progress, {args.sessions} sessions, {args.runs} runs:")
    print(
        f"  wall  median {median:.3f} s  min {min(times):.3f} s  max {max(times):.3f} s  (budget {BUDGET} s)"
    )
    print(f"  cpu   median {statistics.median(cpu):.3f} s   (user + system; steadier on a busy machine)")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus")
    return 0 if median < BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
