"""The journal models' own rules."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from nexus_cli.core.models import _no_number
from support import examples


def _refused_before(kind: str, value: object) -> bool:
    """The rule of models._no_number as first written, before its shortcut for ISO text."""
    if isinstance(value, int | float) or (
        isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit()
    ):
        return True
    return kind == "date" and isinstance(value, dt.datetime)


@settings(max_examples=examples(500), deadline=None)
@given(
    kind=st.sampled_from(["date", "time"]),
    value=st.one_of(
        st.text(alphabet="0123456789-+:. T\t", max_size=12),
        st.text(max_size=12),
        st.integers(),
        st.dates(),
        st.times(),
        st.datetimes(),
    ),
)
def test_the_shortcut_for_iso_text_refuses_what_the_rule_refused(kind, value):
    check = _no_number(kind).func
    try:
        check(value)
    except PydanticCustomError:
        refused = True
    else:
        refused = False
    assert refused == _refused_before(kind, value), value
