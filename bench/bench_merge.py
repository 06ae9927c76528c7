"""Time the merge driver on two 10,000-entry journals that both grew from one base.

Usage: python bench/bench_merge.py [ENTRIES]
Prints the median wall and CPU time of 5 runs of the installed `nexus merge-driver`.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nexus_cli.core import store
from nexus_cli.core.models import Journal, Session, Status, Topic

START = dt.datetime(2026, 9, 7, 9, tzinfo=dt.UTC)


def grow(journal: Journal, rng: random.Random, side: str, count: int) -> Journal:
    """Return a copy of the journal with `count` new sessions and a few edited topics."""
    copy = journal.model_copy(deep=True)
    for i in range(count):
        day = dt.date(2026, 11, 1) + dt.timedelta(days=rng.randrange(27))
        copy.sessions.append(
            Session(id=f"{day:%Y%m%d}-{side}{i:03d}", topic=rng.choice(copy.topics).id, date=day, minutes=30)
        )
    copy.sessions.sort(key=lambda s: (s.date, s.start or dt.time.min, s.id))
    for topic in rng.sample(copy.topics, 5):
        if side == "a":
            topic.status = Status.confident
        else:
            topic.notes = f"notes from {side}"
    return copy


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(11)
    topics = [Topic(id=f"topic-{i}", name=f"Topic {i}", created=START, updated=START) for i in range(100)]
    sessions = []
    for i in range(entries - len(topics)):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=i % 300)
        sessions.append(Session(id=f"{day:%Y%m%d}-{i:05d}", topic=topics[i % 100].id, date=day, minutes=45))
    sessions.sort(key=lambda s: (s.date, s.id))
    base = Journal(topics=topics, sessions=sessions)
    ours, theirs = grow(base, rng, "a", 200), grow(base, rng, "b", 200)
    nexus = Path(sys.executable).with_name("nexus")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, journal in (("base", base), ("ours", ours), ("theirs", theirs)):
            (folder / f"{name}.toml").write_text(store.dumps_toml(journal), encoding="utf-8")
        times, cpu = [], []
        for _ in range(5):
            shutil.copyfile(folder / "ours.toml", folder / "result.toml")
            used = _children_cpu()
            began = time.perf_counter()
            args = [str(folder / n) for n in ("base.toml", "result.toml", "theirs.toml")]
            subprocess.run([str(nexus), "merge-driver", *args, "journal.toml"], check=True)
            times.append(time.perf_counter() - began)
            cpu.append(_children_cpu() - used)
        merged = store.loads((folder / "result.toml").read_text(encoding="utf-8"), "toml")
        assert len(merged.sessions) == len(sessions) + 400, "the merge lost sessions"
        print(
            f"nexus merge-driver: two {entries}-entry journals (+200 sessions and 5 edits each): "
            f"median {statistics.median(times):.2f}s of 5 runs (min {min(times):.2f}s); "
            f"CPU time per run {statistics.median(cpu):.2f}s; load average {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
