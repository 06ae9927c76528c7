from hypothesis import HealthCheck, given, settings

from nexus_cli.core import codec
from strategies import journals

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(journals())
def test_model_toml_model(journal):
    text = codec.dumps_toml(journal)
    assert codec.loads(text, "toml") == journal
    assert codec.dumps_toml(codec.loads(text, "toml")) == text


@SETTINGS
@given(journals())
def test_model_json_model(journal):
    text = codec.dumps_json(journal)
    assert codec.loads(text, "json") == journal
    assert codec.dumps_json(codec.loads(text, "json")) == text


@SETTINGS
@given(journals())
def test_toml_and_json_hold_the_same_journal(journal):
    via_json = codec.loads(codec.dumps_json(journal), "json")
    assert codec.dumps_toml(via_json) == codec.dumps_toml(journal)
