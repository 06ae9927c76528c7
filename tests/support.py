"""Paths and constants the tests share (imported by name: `conftest` is ambiguous)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "prodev-backend.toml"
# The real learner's README lives beside the project, not in it: tests that need it skip without it.
FIXTURE_README = ROOT.parent / "shared" / "fixtures" / "prodev-backend-readme.md"
NOW = "2026-11-28T18:00:00+00:00"

# The topics of the learner's README, in its order, with the category each is filed under.
FIXTURE_TOPICS = {
    "Python": "technology",
    "Django": "technology",
    "REST APIs": "technology",
    "GraphQL": "technology",
    "Docker": "technology",
    "CI/CD": "technology",
    "Database Design": "concept",
    "Asynchronous Programming": "concept",
    "Caching Strategies": "concept",
}
# The programme's other technologies, which the README names in its overview.
MORE_TECHNOLOGIES = ["Kubernetes", "RabbitMQ", "Celery"]

# Hypothesis: few examples on a developer's machine, the full counts in CI (CI=true).
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
DEV_SHARE = 10  # a local run tries a tenth of the CI count


def examples(ci: int) -> int:
    """Return how many examples a property test tries: `ci` in CI, a tenth (at least 10) locally."""
    return ci if IN_CI else max(10, ci // DEV_SHARE)


def seeded_letters(seed: int):
    """Return a stand-in for `idgen.letters` that draws the same letters for the same seed."""
    import random

    from nexus_cli.core.idgen import ALPHABET

    rng = random.Random(seed)
    return lambda count: "".join(rng.choice(ALPHABET) for _ in range(count))
