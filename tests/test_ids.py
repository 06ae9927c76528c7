import datetime as dt
import re

import pytest

from nexus_cli.core import ops
from nexus_cli.core.errors import InputError, NotFoundError
from nexus_cli.core.idgen import new_session_id
from nexus_cli.core.ids import resolve, slugify, unique_slug
from nexus_cli.core.models import Journal


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Kubernetes Complexity", "kubernetes-complexity"),
        ("CI/CD", "ci-cd"),
        ("REST APIs", "rest-apis"),
        ("  Café  crème ", "cafe-creme"),
        ("???", "entry"),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_unique_slug_adds_a_number():
    assert unique_slug("Python", {"python"}) == "python-2"
    assert unique_slug("Python", {"python", "python-2"}) == "python-3"


def test_session_ids_carry_the_date_and_avoid_taken_ones():
    day = dt.date(2026, 11, 28)
    taken = {new_session_id(day, ()) for _ in range(50)}
    fresh = new_session_id(day, taken)
    assert re.fullmatch(r"20261128-[a-z2-9]{4}", fresh)
    assert fresh not in taken


@pytest.fixture
def journal():
    j = Journal()
    for name in ("Python", "Django", "Docker", "Django Signals"):
        ops.add_topic(j, name)
    ops.add_challenge(j, "Kubernetes Complexity")
    return j


def test_exact_id_wins_over_longer_prefix_matches(journal):
    assert resolve(journal, "django").id == "django"


def test_unique_prefix_and_names_resolve(journal):
    assert resolve(journal, "kube").id == "kubernetes-complexity"
    assert resolve(journal, "Django Signals").id == "django-signals"
    assert resolve(journal, "doc", ["topic"]).id == "docker"


def test_ambiguous_prefix_lists_candidates(journal):
    with pytest.raises(InputError) as info:
        resolve(journal, "d")
    assert "django" in info.value.message and "docker" in info.value.message


def test_unknown_id_is_not_found_with_hint(journal):
    with pytest.raises(NotFoundError) as info:
        resolve(journal, "graphql", ["topic"])
    assert "nexus list topics" in info.value.hint


def test_kinds_restrict_resolution(journal):
    with pytest.raises(NotFoundError):
        resolve(journal, "kube", ["topic"])
