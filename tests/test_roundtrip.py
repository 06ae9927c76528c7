import pytest
from hypothesis import HealthCheck, given, settings

from nexus_cli.core import store
from strategies import journals
from support import examples

pytestmark = pytest.mark.slow  # Hypothesis-heavy

SETTINGS = settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(journals())
def test_model_toml_model(journal):
    text = store.dumps_toml(journal)
    assert store.loads(text, "toml") == journal
    assert store.dumps_toml(store.loads(text, "toml")) == text


@SETTINGS
@given(journals())
def test_model_json_model(journal):
    text = store.dumps_json(journal)
    assert store.loads(text, "json") == journal
    assert store.dumps_json(store.loads(text, "json")) == text


@SETTINGS
@given(journals())
def test_toml_and_json_hold_the_same_journal(journal):
    via_json = store.loads(store.dumps_json(journal), "json")
    assert store.dumps_toml(via_json) == store.dumps_toml(journal)
