"""A demo journal: a backend-programme learner twelve weeks in, dated relative to a day.

`build()` makes it in memory from a seeded generator, so `nexus demo` always
shows a live journal (hours this week, a streak that is still going, goals a
month from their end date) and the shipped example file can be checked
against `build(EXAMPLE_START)`.
"""

from __future__ import annotations

import datetime as dt
import random

from nexus_cli.core.models import (
    Challenge,
    ChallengeStatus,
    Journal,
    Program,
    Resource,
    Session,
    Status,
    Takeaway,
    Topic,
)

# The example journal (examples/prodev-backend.toml) starts here; the README's
# picture is taken on 2026-11-28.
EXAMPLE_START = dt.date(2026, 9, 7)
WEEKS = 12
# How far the programme has run on the day the demo is built: the twelfth week's
# sixth day, so the week's rest day (its seventh) is still ahead.
DAYS_IN = (WEEKS - 1) * 7 + 5
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"

# (id, name, category, parent, status, target hours, notes)
TOPICS = [
    (
        "python",
        "Python",
        "technology",
        None,
        "confident",
        40,
        "The language under everything else: decorators, generators, context managers, async code.",
    ),
    ("decorators", "Decorators", "concept", "python", "confident", None, "Functions that wrap functions."),
    ("generators", "Generators", "concept", "python", "confident", None, "Lazy sequences with yield."),
    (
        "context-managers",
        "Context managers",
        "concept",
        "python",
        "practicing",
        None,
        "with-blocks that always clean up.",
    ),
    ("asyncio", "asyncio", "concept", "python", "practicing", None, "async/await and the event loop."),
    (
        "django",
        "Django",
        "technology",
        None,
        "practicing",
        60,
        "The whole framework: models, serializers, views, permissions, middleware, the ORM, signals.",
    ),
    (
        "django-models",
        "Models and the ORM",
        "concept",
        "django",
        "practicing",
        None,
        "Schemas as classes, querysets, migrations.",
    ),
    ("django-serializers", "Serializers", "concept", "django", "practicing", None, "Model <-> JSON."),
    ("django-views", "Views", "concept", "django", "practicing", None, "Function and class-based views."),
    ("django-permissions", "Permissions", "concept", "django", "learning", None, "Who may do what."),
    ("django-middleware", "Middleware", "concept", "django", "learning", None, "Hooks around every request."),
    ("django-signals", "Signals", "concept", "django", "learning", None, "Decoupled reactions to events."),
    (
        "rest-apis",
        "REST APIs",
        "technology",
        None,
        "practicing",
        25,
        "Designing resource-oriented HTTP APIs and building them.",
    ),
    ("graphql", "GraphQL", "technology", None, "learning", 15, "A query language and runtime for APIs."),
    (
        "docker",
        "Docker",
        "technology",
        None,
        "practicing",
        20,
        "Containers so development and production run the same thing.",
    ),
    (
        "ci-cd",
        "CI/CD",
        "technology",
        None,
        "learning",
        15,
        "Pipelines that test and ship on every push, with Jenkins and GitHub Actions.",
    ),
    ("jenkins", "Jenkins", "technology", "ci-cd", "learning", None, "Declarative pipelines."),
    ("github-actions", "GitHub Actions", "technology", "ci-cd", "learning", None, "Workflows per push."),
    (
        "kubernetes",
        "Kubernetes",
        "technology",
        None,
        "learning",
        25,
        "Running containers at scale: pods, services, deployments.",
    ),
    (
        "rabbitmq",
        "RabbitMQ",
        "technology",
        None,
        "learning",
        12,
        "A message broker: exchanges, queues, routing.",
    ),
    ("celery", "Celery", "technology", None, "learning", 12, "Background jobs fed by a broker."),
    (
        "database-design",
        "Database Design",
        "concept",
        None,
        "practicing",
        20,
        "Schemas, normalization and the queries that use them well.",
    ),
    (
        "asynchronous-programming",
        "Asynchronous Programming",
        "concept",
        None,
        "learning",
        10,
        "Code that does not block while it waits; work done concurrently.",
    ),
    (
        "caching-strategies",
        "Caching Strategies",
        "concept",
        None,
        "learning",
        10,
        "Making things fast with Django's cache framework and leaner queries.",
    ),
]

RESOURCES = {
    "python": [("https://docs.python.org/3/tutorial/", "The Python tutorial", True)],
    "django": [("https://docs.djangoproject.com/en/stable/", "Django documentation", True)],
    "rest-apis": [("https://www.django-rest-framework.org/tutorial/quickstart/", "DRF quickstart", True)],
    "graphql": [("https://graphql.org/learn/", "Learn GraphQL", False)],
    "docker": [("https://docs.docker.com/get-started/", "Docker: get started", True)],
    "kubernetes": [
        ("https://kubernetes.io/docs/tutorials/kubernetes-basics/", "Kubernetes basics", True),
        ("https://minikube.sigs.k8s.io/docs/start/", "minikube start", True),
    ],
    "rabbitmq": [("https://www.rabbitmq.com/tutorials", "RabbitMQ tutorials 1-6", True)],
    "celery": [("https://docs.celeryq.dev/en/stable/getting-started/", "Celery: first steps", False)],
}

CHALLENGES = [
    (
        "kubernetes-complexity",
        "Kubernetes Complexity",
        ["kubernetes"],
        10,
        "Orchestration was a lot at once: networking between pods, how services find each other, "
        "and what keeps pods alive all arrived together and none of it stuck.",
        "Took one component at a time, ran the smallest possible deployment for each on a local "
        "cluster, and only then combined them into bigger configurations.",
    ),
    (
        "rabbitmq-message-broker",
        "RabbitMQ Message Broker",
        ["rabbitmq"],
        11,
        "Queues, exchanges and routing keys blurred together; I could not predict where a message "
        "would end up.",
        "Went through several tutorials end to end and drew the path of each message until the "
        "routing rules were predictable.",
    ),
    (
        "celery-background-tasks",
        "Celery Background Tasks",
        ["celery", "rabbitmq"],
        11,
        "Wiring Celery to RabbitMQ, then routing tasks, retrying them and watching them, was hard; "
        "failed tasks were difficult to debug and errors went missing.",
        "Practised on small tasks, read the documentation closely, and added explicit retries and "
        "error logging until background jobs ran reliably.",
    ),
]

TAKEAWAYS = [
    (
        "Test-Driven Development",
        "Write thorough tests before anything goes to production.",
        ["python", "django"],
    ),
    (
        "Security-First Design",
        "Treat security as part of the system's foundation, not an add-on.",
        ["django"],
    ),
    ("Scalable Architecture", "Plan for horizontal scaling from day one.", ["kubernetes", "docker"]),
    ("Code Documentation", "Document every API endpoint clearly.", ["rest-apis", "graphql"]),
    ("Version Control", "Work in a Git-flow style: feature branches, reviews, tidy history.", ["ci-cd"]),
    ("Performance Monitoring", "Measure regularly and optimise before users notice.", ["caching-strategies"]),
    ("Error Handling", "Log thoroughly and handle errors in one consistent way.", ["celery"]),
]

# Week by week: the topics studied, most-studied first.
PLAN = [
    ["python", "decorators", "generators"],
    ["context-managers", "asyncio", "python", "database-design"],
    ["django", "django-models", "database-design"],
    ["django-views", "django-serializers", "django-models"],
    ["django-permissions", "django-middleware", "django-signals", "rest-apis"],
    ["rest-apis", "django-serializers", "database-design"],
    ["graphql", "rest-apis", "asynchronous-programming"],
    ["docker", "asynchronous-programming", "caching-strategies"],
    ["ci-cd", "github-actions", "jenkins", "docker"],
    ["kubernetes", "docker"],
    ["rabbitmq", "celery", "kubernetes"],
    ["celery", "caching-strategies", "kubernetes", "rabbitmq"],
]

NOTES = {
    "python": ["type hints everywhere", "standard library tour", "packaging a small tool"],
    "decorators": ["wrote a timing decorator", "decorators with arguments", "functools.wraps"],
    "generators": ["yield and lazy pipelines", "generator expressions vs lists"],
    "context-managers": ["contextlib.contextmanager", "a temp-dir context manager"],
    "asyncio": ["event loop basics", "gather and timeouts"],
    "django": ["project layout and settings", "admin site", "deployment checklist"],
    "django-models": ["relations and migrations", "select_related vs prefetch_related"],
    "django-serializers": ["nested serializers", "validation in serializers"],
    "django-views": ["class-based views", "generic views", "viewsets and routers"],
    "django-permissions": ["object-level permissions", "custom permission classes"],
    "django-middleware": ["a request-timing middleware"],
    "django-signals": ["post_save handlers", "when not to use signals"],
    "rest-apis": ["resource naming and status codes", "pagination and filtering", "API versioning"],
    "graphql": ["schema and resolvers", "queries vs mutations", "graphene with Django"],
    "docker": ["Dockerfile for the API", "docker compose with Postgres", "smaller images"],
    "ci-cd": ["pipeline stages", "caching dependencies in CI"],
    "jenkins": ["Jenkinsfile basics"],
    "github-actions": ["test workflow on push", "matrix builds"],
    "kubernetes": ["pods and deployments", "services and DNS", "ingress on minikube", "config maps"],
    "rabbitmq": ["direct and topic exchanges", "routing keys by hand", "acks and durability"],
    "celery": ["first task with RabbitMQ", "retries with backoff", "monitoring with flower"],
    "database-design": ["normal forms", "indexes and EXPLAIN", "modelling many-to-many"],
    "asynchronous-programming": ["blocking vs non-blocking I/O", "async views"],
    "caching-strategies": ["per-view caching", "low-level cache API", "query optimisation"],
}


def _stamp(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def build_live(now: dt.datetime) -> Journal:
    """Return the demo journal as it stands at `now` (local time): studied today and the days before."""
    return build(now.date() - dt.timedelta(days=DAYS_IN), now=now.replace(tzinfo=None))


def build(start: dt.date = EXAMPLE_START, *, now: dt.datetime | None = None) -> Journal:
    """Return the demo journal of a programme that began on `start`.

    With `now` (naive local time), the last days before it are study days and
    nothing is dated after it, so the streak is alive and the journal is valid today.
    """
    rng = random.Random(20260907)
    first_week = {topic_id: n for n, week in reversed(list(enumerate(PLAN))) for topic_id in week}
    topics = []
    for topic_id, name, category, parent, status, target, notes in TOPICS:
        created = _stamp(start + dt.timedelta(weeks=first_week.get(topic_id, 0)))
        resources = [Resource(url=u, title=t, done=d) for u, t, d in RESOURCES.get(topic_id, [])]
        topics.append(
            Topic(
                id=topic_id,
                name=name,
                category=category,
                parent=parent,
                status=Status(status),
                target_hours=target,
                notes=notes,
                resources=resources,
                created=created,
                updated=_stamp(start + dt.timedelta(weeks=WEEKS, days=-3)),
            )
        )
    challenges = [
        Challenge(
            id=cid,
            title=title,
            topics=refs,
            problem=problem,
            solution=solution,
            status=ChallengeStatus.resolved,
            opened=_stamp(start + dt.timedelta(weeks=week - 1, days=1)),
            resolved=_stamp(start + dt.timedelta(weeks=week, days=2), 17),
        )
        for cid, title, refs, week, problem, solution in CHALLENGES
    ]
    takeaways = [
        Takeaway(
            id=title.lower().replace(" ", "-"),
            title=title,
            text=text,
            topics=refs,
            created=_stamp(start + dt.timedelta(weeks=WEEKS - 1, days=n - 2)),
        )
        for n, (title, text, refs) in enumerate(TAKEAWAYS)
    ]
    sessions = []
    for week, plan in enumerate(PLAN):
        for weekday in range(7):
            day = start + dt.timedelta(weeks=week, days=weekday)
            rest = weekday == 6 or rng.random() < 0.12
            recent = now is not None and (now.date() - day).days in (0, 1, 2)
            if rest and not (recent and weekday != 6):
                continue  # rest days; a live demo's last three days are study days
            hour = 8 if weekday < 5 else 10
            if now is not None and day == now.date():
                hour = min(hour, max(0, now.hour - 2))  # an early riser: today has hours by breakfast
            for _ in range(rng.choice([2, 3, 3, 4])):
                weights = [len(plan) - i for i in range(len(plan))]
                topic_id = rng.choices(plan, weights=weights)[0]
                minutes = rng.choice([30, 45, 45, 60, 60, 75, 90, 90, 120])
                suffix = "".join(rng.choice(ALPHABET) for _ in range(4))
                begins = dt.datetime.combine(day, dt.time(hour))
                hour += minutes // 60 + 1
                if now is not None and begins + dt.timedelta(minutes=minutes) > now:
                    continue  # not studied yet
                sessions.append(
                    Session(
                        id=f"{day:%Y%m%d}-{suffix}",
                        topic=topic_id,
                        date=day,
                        start=begins.time(),
                        minutes=minutes,
                        note=rng.choice(NOTES[topic_id]),
                    )
                )
    program = Program(
        name="ProDev Backend Engineering",
        description=(
            "An intensive programme in backend development: production-ready systems, modern "
            "backend technologies, system architecture and industry practice, learned through "
            "hands-on projects and milestones."
        ),
        start=start,
        end=start + dt.timedelta(weeks=16),
    )
    return Journal(
        program=program, topics=topics, challenges=challenges, takeaways=takeaways, sessions=sessions
    )
