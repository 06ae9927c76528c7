"""Time `nexus report` over a generated cohort: 1,000 journals of ~200 entries.

Usage: python bench/bench_report.py [JOURNALS] [ENTRIES]
Prints the median wall time of 5 runs of the installed `nexus report`.
"""

from __future__ import annotations

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

from nexus_cli.core import store
from nexus_cli.core.models import Challenge, Journal, Program, Session, Status, Takeaway, Topic

TOPICS = ["Python", "Django", "REST APIs", "GraphQL", "Docker", "CI/CD", "Kubernetes", "RabbitMQ", "Celery"]
CHALLENGES = ["Kubernetes complexity", "RabbitMQ routing", "Celery retries", "Docker networking"]


def make_journal(rng: random.Random, entries: int) -> Journal:
    """Return a plausible journal with about `entries` entries, mostly sessions."""
    start = dt.datetime(2026, 9, 7, 9, tzinfo=dt.UTC)
    topics = [
        Topic(id=codec_slug(name), name=name, status=rng.choice(list(Status)), created=start, updated=start)
        for name in TOPICS
    ]
    challenges = [
        Challenge(id=codec_slug(title), title=title, problem="it was hard", opened=start)
        for title in rng.sample(CHALLENGES, 3)
    ]
    takeaways = [
        Takeaway(id=f"practice-{i}", title=f"Practice {i}", text="do it", created=start) for i in range(5)
    ]
    sessions = []
    for i in range(entries - len(topics) - len(challenges) - len(takeaways)):
        day = dt.date(2026, 9, 7) + dt.timedelta(days=rng.randrange(82))
        sessions.append(
            Session(
                id=f"{day:%Y%m%d}-{i:04d}",
                topic=rng.choice(topics).id,
                date=day,
                minutes=rng.randrange(15, 180),
            )
        )
    sessions.sort(key=lambda s: (s.date, s.id))
    return Journal(
        program=Program(name="ProDev Backend"),
        topics=topics,
        challenges=challenges,
        takeaways=takeaways,
        sessions=sessions,
    )


def codec_slug(text: str) -> str:
    from nexus_cli.core.ids import slugify

    return slugify(text)


def _children_cpu() -> float:
    # CPU time says what the work costs even when other programs share the cores.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    entries = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    nexus = Path(sys.executable).with_name("nexus")
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cohort"
        folder.mkdir()
        for n in range(count):
            text = store.dumps_toml(make_journal(rng, entries))
            (folder / f"learner-{n:04d}.toml").write_text(text, encoding="utf-8")
        env = {**os.environ, "NEXUS_NOW": "2026-11-28T18:00:00+00:00"}
        times, cpu = [], []
        for _ in range(5):
            used = _children_cpu()
            began = time.perf_counter()
            subprocess.run(
                [str(nexus), "report", str(folder), "--format", "json"],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - began)
            cpu.append(_children_cpu() - used)
        print(
            f"nexus report: {count} journals x {entries} entries on {os.cpu_count()} cores: "
            f"median {statistics.median(times):.2f}s of 5 runs (min {min(times):.2f}s); "
            f"CPU time per run {statistics.median(cpu):.2f}s; load average {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
