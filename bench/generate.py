"""Write realistic journals of N entries for the benchmark, in TOML and JSON.

Run with the interpreter of the nexus under test, so the files are written by
that nexus's own codec (the form nexus itself leaves on disk):

    python bench/generate.py 10000 OUTDIR --today 2026-11-28

A journal of N entries is mostly sessions: about 2% topics (a tree of
technologies with concept subtopics), 6% challenges, 4% takeaways and 88%
sessions spread over the days before `--today`, one to three a day. Seeded, so
every run of the benchmark measures the same files.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import random
from pathlib import Path

from nexus_cli.core.models import Challenge, Journal, Program, Session, Takeaway, Topic
from nexus_cli.core.store.codec import dumps_json, dumps_toml

ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
WORDS = [
    "models",
    "views",
    "serializers",
    "queries",
    "indexes",
    "joins",
    "migrations",
    "caching",
    "queues",
    "exchanges",
    "routing",
    "containers",
    "images",
    "volumes",
    "networks",
    "pods",
    "services",
    "deployments",
    "tests",
    "fixtures",
    "mocks",
    "coverage",
    "decorators",
    "generators",
    "iterators",
    "closures",
    "async",
    "await",
    "tasks",
    "locks",
    "retries",
    "timeouts",
    "logging",
    "metrics",
    "tracing",
    "auth",
    "tokens",
    "sessions",
    "cookies",
    "forms",
    "templates",
    "signals",
    "middleware",
    "pagination",
    "filters",
    "permissions",
    "throttling",
    "schemas",
    "validation",
    "transactions",
    "isolation",
    "replicas",
    "shards",
]
TECHNOLOGIES = [
    "Python",
    "Django",
    "PostgreSQL",
    "Redis",
    "RabbitMQ",
    "Celery",
    "Docker",
    "Kubernetes",
    "GraphQL",
    "REST",
    "Git",
    "Linux",
    "Nginx",
    "Kafka",
    "MongoDB",
    "Terraform",
    "Ansible",
    "FastAPI",
    "Flask",
    "SQLAlchemy",
    "pytest",
    "GitHub-Actions",
    "AWS",
    "Elasticsearch",
]
STATUSES = ("learning", "practicing", "confident", "planned")

# The topic the benchmark logs into and shows: always present, always "learning".
BENCH_TOPIC = "django"


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def build(n: int, today: dt.date, seed: int = 7) -> Journal:
    """Return a journal of about `n` entries ending on `today`."""
    rng = random.Random(seed)
    n_topics = max(4, n * 2 // 100)
    n_challenges = n * 6 // 100
    n_takeaways = n * 4 // 100
    n_sessions = n - n_topics - n_challenges - n_takeaways
    stamp = dt.datetime.combine(
        today - dt.timedelta(days=min(n_sessions // 2, 4000) + 30), dt.time(9), dt.UTC
    )

    topics: list[Topic] = []
    parents: list[str] = []
    for i in range(n_topics):
        if i < len(TECHNOLOGIES) or not parents:
            name = TECHNOLOGIES[i % len(TECHNOLOGIES)] + ("" if i < len(TECHNOLOGIES) else f" {i}")
            parent, category = None, "technology"
        else:
            parent = rng.choice(parents[: len(TECHNOLOGIES)])
            name = f"{rng.choice(WORDS).capitalize()} {i}"
            category = "concept"
        topic_id = name.lower().replace(" ", "-")
        status = "learning" if topic_id == BENCH_TOPIC else rng.choice(STATUSES)
        topics.append(
            Topic(
                id=topic_id,
                name=name,
                category=category,
                parent=parent,
                status=status,
                notes=_words(rng, 4, 14) if rng.random() < 0.7 else "",
                tags=rng.sample(WORDS, rng.randint(0, 3)),
                target_hours=rng.choice((None, 10, 20, 40, 60)),
                created=stamp,
                updated=stamp,
            )
        )
        if parent is None:
            parents.append(topic_id)
    topic_ids = [t.id for t in topics]

    challenges = []
    for i in range(n_challenges):
        opened = stamp + dt.timedelta(hours=i * 7)
        solved = rng.random() < 0.7
        challenges.append(
            Challenge(
                id=f"challenge-{i + 1}-{rng.choice(WORDS)}",
                title=f"{_words(rng, 2, 6).capitalize()}",
                topics=rng.sample(topic_ids, rng.randint(1, 2)),
                problem=_words(rng, 10, 40),
                solution=_words(rng, 8, 30) if solved else "",
                status="resolved" if solved else "open",
                tags=rng.sample(WORDS, rng.randint(0, 2)),
                opened=opened,
                resolved=opened + dt.timedelta(days=1) if solved else None,
            )
        )
    takeaways = [
        Takeaway(
            id=f"takeaway-{i + 1}-{rng.choice(WORDS)}",
            title=_words(rng, 2, 5).capitalize(),
            text=_words(rng, 8, 30),
            topics=rng.sample(topic_ids, rng.randint(0, 2)),
            tags=rng.sample(WORDS, rng.randint(0, 2)),
            created=stamp + dt.timedelta(hours=i * 11),
        )
        for i in range(n_takeaways)
    ]

    # One to three sessions a day (more in a large, many-learner journal), walking
    # back from today; ids unique per day.
    per_day = max(1, n_sessions // 7000)
    days: list[dt.date] = []
    day = today
    while len(days) < n_sessions:
        days.extend([day] * min(rng.randint(1, 3) * per_day, n_sessions - len(days)))
        day -= dt.timedelta(days=1)
    sessions = []
    used: set[str] = set()
    for day in sorted(days):
        while True:
            sid = f"{day:%Y%m%d}-" + "".join(rng.choice(ALPHABET) for _ in range(4))
            if sid not in used:
                used.add(sid)
                break
        start = dt.time(rng.randint(7, 21), rng.choice((0, 15, 30, 45))) if rng.random() < 0.3 else None
        topic = BENCH_TOPIC if rng.random() < 0.15 else rng.choice(topic_ids)
        sessions.append((day, start or dt.time.min, sid, topic, start))
    sessions.sort(key=lambda s: s[:3])
    # A day holds at most 24 hours (validate, and every write, hold a journal to it), with
    # two hours to spare for the sessions the benchmark logs today: a crowded day's
    # sessions are shorter.
    per_date = collections.Counter(day for day, *_ in sessions)
    lengths = {
        count: tuple(m for m in (15, 25, 30, 45, 60, 75, 90, 120) if m * count <= 22 * 60) or (15,)
        for count in set(per_date.values())
    }
    session_models = [
        Session(
            id=sid,
            topic=topic,
            date=day,
            start=start,
            minutes=rng.choice(lengths[per_date[day]]),
            note=_words(rng, 3, 16) if rng.random() < 0.8 else "",
        )
        for day, _, sid, topic, start in sessions
    ]
    return Journal(
        program=Program(name="ProDev Backend", description="A year of backend engineering."),
        topics=topics,
        challenges=challenges,
        takeaways=takeaways,
        sessions=session_models,
    )


def build_topics(n: int, today: dt.date, seed: int = 7) -> Journal:
    """Return a journal of `n` topics (a wide tree, three levels deep) and a few sessions."""
    rng = random.Random(seed)
    stamp = dt.datetime.combine(today - dt.timedelta(days=400), dt.time(9), dt.UTC)
    topics: list[Topic] = []
    roots: list[str] = []
    middles: list[str] = []
    for i in range(n):
        if i < len(TECHNOLOGIES):
            name, parent, category = TECHNOLOGIES[i], None, "technology"
        elif i % 10 == 0 or not middles:
            name, parent, category = f"{rng.choice(WORDS).capitalize()} {i}", rng.choice(roots), "concept"
        else:
            name, parent, category = f"{rng.choice(WORDS).capitalize()} {i}", rng.choice(middles), "concept"
        topic_id = name.lower().replace(" ", "-")
        status = "learning" if topic_id == BENCH_TOPIC else rng.choice(STATUSES)
        topics.append(
            Topic(
                id=topic_id,
                name=name,
                category=category,
                parent=parent,
                status=status,
                notes=_words(rng, 2, 8) if rng.random() < 0.3 else "",
                created=stamp,
                updated=stamp,
            )
        )
        if parent is None:
            roots.append(topic_id)
        elif i % 10 == 0:
            middles.append(topic_id)
    sessions = [
        Session(
            id=f"{today - dt.timedelta(days=i):%Y%m%d}-bnch",
            topic=rng.choice(topics).id,
            date=today - dt.timedelta(days=i),
            minutes=rng.choice((30, 45, 60)),
        )
        for i in reversed(range(min(n, 200)))
    ]
    return Journal(program=Program(name="Many topics"), topics=topics, sessions=sessions)


def readme(n: int, seed: int = 7) -> str:
    """Return a portfolio README with `n` bullets under a few headings, for `import --dry-run`."""
    rng = random.Random(seed)
    lines = ["# Study portfolio", "", "## Overview", "", "A long list of what was learned.", ""]
    sections = ("Key Technologies Covered", "Important Backend Development Concepts", "Best Practices")
    per = max(1, n // len(sections))
    done = 0
    for title in sections:
        lines += [f"## {title}" if title == sections[0] else f"### {title}", ""]
        for _ in range(per if title != sections[-1] else n - done):
            done += 1
            lines.append(f"- **{rng.choice(WORDS).capitalize()} {done}**: {_words(rng, 4, 12)}")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 28))
    parser.add_argument(
        "--shape",
        choices=("mixed", "topics", "readme"),
        default="mixed",
        help="mixed: mostly sessions; topics: N topics; readme: a README of N bullets",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.shape == "readme":
        (args.out / f"readme-{args.n}.md").write_text(readme(args.n), encoding="utf-8")
        return
    journal = build(args.n, args.today) if args.shape == "mixed" else build_topics(args.n, args.today)
    stem = "journal" if args.shape == "mixed" else "topics"
    (args.out / f"{stem}-{args.n}.toml").write_text(dumps_toml(journal), encoding="utf-8")
    (args.out / f"{stem}-{args.n}.json").write_text(dumps_json(journal), encoding="utf-8")


if __name__ == "__main__":
    main()
