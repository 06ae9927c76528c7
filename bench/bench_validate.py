"""Time `nexus validate` on 1,000 journals against check-jsonschema on the same files.

    python bench/bench_validate.py [--journals 1000] [--entries 200] [--runs 3] [--format toml]

Both tools get the same folder of generated journals; check-jsonschema gets the
schema printed by `nexus schema`. nexus does its semantic checks as well (ids,
references, cycles, overlaps, dates), which the schema cannot express. The
figures are medians of --runs runs of each tool. check-jsonschema is optional:
without it the comparison is skipped with a message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nexus_cli.core import store
from nexus_cli.core.models import Journal

TOPICS = ["python", "django", "rest", "graphql", "docker", "ci-cd", "kubernetes", "rabbitmq", "celery"]


def make_journal(seed: int, entries: int) -> Journal:
    """Return a valid journal of about `entries` entries (topics, challenges, takeaways, sessions)."""
    rng = random.Random(seed)
    start = dt.date(2026, 9, 7)
    stamp = "2026-09-07T09:00:00Z"
    n_topics, n_challenges, n_takeaways = entries // 10, entries // 10, entries // 20
    topics = []
    for i in range(n_topics):
        base = TOPICS[i % len(TOPICS)]
        topic = {
            "id": f"{base}-{i}",
            "name": f"{base.title()} part {i}",
            "category": "technology" if i % 3 else "concept",
            "status": rng.choice(["planned", "learning", "practicing", "confident"]),
            "notes": "What was learnt, in a sentence or two. " * rng.randint(1, 3),
            "tags": rng.sample(["orm", "async", "infra", "api", "testing"], 2),
            "target_hours": float(rng.randint(5, 60)),
            "created": stamp,
            "updated": stamp,
        }
        if i >= len(TOPICS):
            topic["parent"] = f"{TOPICS[i % len(TOPICS)]}-{i % len(TOPICS)}"
        topics.append(topic)
    ids = [t["id"] for t in topics]
    challenges = [
        {
            "id": f"challenge-{i}",
            "title": f"Hard thing number {i}",
            "topics": rng.sample(ids, 2),
            "problem": "It did not work the way the tutorial said.",
            "solution": "Read the source and worked through several tutorials.",
            "status": "resolved",
            "opened": "2026-09-10T09:00:00Z",
            "resolved": "2026-09-12T17:00:00Z",
        }
        for i in range(n_challenges)
    ]
    takeaways = [
        {
            "id": f"takeaway-{i}",
            "title": f"Practice {i}",
            "text": "Write tests first; keep functions small.",
            "topics": rng.sample(ids, 1),
            "created": "2026-10-01T09:00:00Z",
        }
        for i in range(n_takeaways)
    ]
    n_sessions = entries - n_topics - n_challenges - n_takeaways
    sessions = []
    for i in range(n_sessions):
        day = start + dt.timedelta(days=i // 3)
        sessions.append(
            {
                "id": f"{day:%Y%m%d}-s{i}",
                "topic": rng.choice(ids),
                "date": day.isoformat(),
                "start": f"{8 + (i % 3) * 4:02d}:00:00",
                "minutes": rng.choice([30, 45, 60, 90, 120]),
                "note": "worked through the exercises",
            }
        )
    data = {
        "schema_version": 1,
        "program": {"name": f"Learner {seed}", "start": "2026-09-07", "end": "2026-12-28"},
        "topics": topics,
        "challenges": challenges,
        "takeaways": takeaways,
        "sessions": sessions,
    }
    return Journal.model_validate(data)


def generate(folder: Path, count: int, entries: int, fmt: store.Format) -> list[Path]:
    paths = []
    for n in range(count):
        path = folder / f"learner-{n:04d}.{fmt}"
        path.write_text(store.dumps(make_journal(n, entries), fmt), encoding="utf-8")
        paths.append(path)
    return paths


def timed(command: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - began, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journals", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", choices=["toml", "json"], default="toml")
    args = parser.parse_args()

    bindir = Path(sys.executable).parent
    nexus = shutil.which("nexus", path=str(bindir)) or shutil.which("nexus")
    checker = shutil.which("check-jsonschema", path=str(bindir)) or shutil.which("check-jsonschema")
    if nexus is None:
        print("nexus is not installed in this environment", file=sys.stderr)
        return 2
    env = {**os.environ, "NEXUS_NOW": "2026-11-28T18:00:00+00:00", "NO_COLOR": "1"}

    with tempfile.TemporaryDirectory(prefix="nexus-bench-") as tmp:
        folder = Path(tmp) / "journals"
        folder.mkdir()
        began = time.perf_counter()
        paths = generate(folder, args.journals, args.entries, args.format)
        size = sum(p.stat().st_size for p in paths)
        print(
            f"generated {len(paths)} {args.format.upper()} journals of {args.entries} entries "
            f"({size / 1e6:.1f} MB) in {time.perf_counter() - began:.1f}s; {os.cpu_count()} cores"
        )
        schema = Path(tmp) / "journal.schema.json"
        schema.write_text(
            subprocess.run([nexus, "schema"], capture_output=True, text=True, check=True).stdout
        )

        nexus_times = []
        for _ in range(args.runs):
            seconds, done = timed([nexus, "validate", str(folder)], env)
            if done.returncode != 0:
                print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
                return 1
            nexus_times.append(seconds)
        nexus_median = statistics.median(nexus_times)
        print(f"nexus validate DIR        median {nexus_median:6.2f}s  runs {_runs(nexus_times)}")

        if checker is None:
            print("check-jsonschema is not installed: comparison skipped (pip install check-jsonschema)")
            return 0
        other_times = []
        command = [checker, "--schemafile", str(schema), *map(str, paths)]
        for _ in range(args.runs):
            seconds, done = timed(command, env)
            if done.returncode != 0:
                print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
                return 1
            other_times.append(seconds)
        other_median = statistics.median(other_times)
        print(f"check-jsonschema FILES... median {other_median:6.2f}s  runs {_runs(other_times)}")
        ratio = other_median / nexus_median
        print(f"nexus is {ratio:.1f}x faster (needs >= 2x)")
        return 0 if ratio >= 2 else 1


def _runs(times: list[float]) -> str:
    return " ".join(f"{t:.2f}" for t in times)


if __name__ == "__main__":
    sys.exit(main())
