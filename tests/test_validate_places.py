"""Where `validate` places a problem: line and column, deep in large files and in hand-edited ones.

The expected places are found here by searching the text for what the problem
is about (a unique value, a key), never by asking the source map, so a map that
puts a problem on a neighbouring entry, line or column fails these tests. The
map only records the places of the problems it is asked about; the property
tests at the end hold that partial map to the full one, key by key.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nexus_cli.core import store
from nexus_cli.core.check import check_bytes
from nexus_cli.core.check.sourcemap import SourceMap, json_map, toml_map
from strategies import journals
from support import examples

TODAY = dt.date(2026, 11, 28)
STAMP = "2026-09-07T09:00:00Z"
N = 3000  # sessions in the large journals: the problems sit near the end


def place(text: str, needle: str, *, after: str = "", first: bool = False) -> tuple[int, int]:
    """Return the 1-based line and column of `needle` (the first after `after`), by plain search.

    Unless `first`, `needle` must occur once after `after`, so that it names one place.
    """
    begin = text.index(after) if after else 0
    index = text.index(needle, begin)
    assert first or text.count(needle, begin) == 1, f"{needle!r} is not unique after {after!r}"
    line_start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def found(text: str, fmt: str) -> list[tuple[str, int | None, int | None, str]]:
    problems = check_bytes(text.encode(), f"j.{fmt}", fmt, today=TODAY)
    return [(p.code, p.line, p.column, p.path) for p in problems]


def session_day(n: int) -> str:
    return (dt.date(2016, 1, 1) + dt.timedelta(days=n)).isoformat()


def large_data() -> dict:
    """A journal of N sessions with problems deep inside it (and one near the top)."""
    topics = [
        {"id": "python", "name": "Python", "created": STAMP, "updated": STAMP},
        {"id": "django", "name": "Django", "parent": "python", "created": STAMP, "updated": STAMP},
    ]
    challenges = [
        {"id": f"c{n}", "title": f"Challenge {n}", "topics": ["python", "django"], "opened": STAMP}
        for n in range(40)
    ]
    challenges[31]["topics"] = ["python", "ghost-array"]  # NX203 on the second element
    sessions = [
        {"id": f"s{n}", "topic": "python", "date": session_day(n), "minutes": 30, "note": f"note {n}"}
        for n in range(N)
    ]
    sessions[2] |= {"topic": "ghost-early"}  # NX203 near the top
    sessions[2777] |= {"topic": "ghost-deep"}  # NX203 deep inside
    sessions[2901]["mood"] = "tired"  # NX101 unknown key
    del sessions[2950]["minutes"]  # NX102: placed on the entry itself
    sessions[2990] |= {"date": "2027-02-01"}  # NX209: a date in the future
    return {
        "schema_version": 1,
        "program": {"name": "Backend"},
        "topics": topics,
        "challenges": challenges,
        "sessions": sessions,
    }


def toml_text(data: dict) -> str:
    """Write `data` the way a person would, one `key = value` a line (not through nexus)."""

    def value(v: object) -> str:
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[:4].isdigit():
            return v  # a date
        if isinstance(v, str) and v.endswith("Z") and "T" in v:
            return v  # a timestamp
        return json.dumps(v)

    out = [f"schema_version = {data['schema_version']}", "", "[program]"]
    out += [f"{k} = {value(v)}" for k, v in data["program"].items()]
    for section in ("topics", "challenges", "sessions"):
        for entry in data[section]:
            out += ["", f"[[{section}]]"] + [f"{k} = {value(v)}" for k, v in entry.items()]
    return "\n".join(out) + "\n"


def expected_large(text: str, fmt: str) -> list[tuple[str, int, int, str]]:
    """The problems of `large_data()`, placed by searching `text`."""
    q = '"' if fmt == "json" else ""
    eq = ": " if fmt == "json" else " = "
    key = (lambda k: f'"{k}"') if fmt == "json" else (lambda k: k)
    header = "{" if fmt == "json" else "[[sessions]]"
    missing_at = place(text, header, after=f'{key("note")}{eq}"note 2949"', first=True)
    return [
        ("NX203", *place(text, f'{key("topic")}{eq}"ghost-early"'), "sessions[2].topic"),
        ("NX203", *place(text, '"ghost-array"'), "challenges[31].topics[1]"),
        ("NX203", *place(text, f'{key("topic")}{eq}"ghost-deep"'), "sessions[2777].topic"),
        ("NX101", *place(text, f"{key('mood')}{eq}"), "sessions[2901].mood"),
        ("NX102", *missing_at, "sessions[2950].minutes"),
        ("NX209", *place(text, f"{key('date')}{eq}{q}2027-02-01"), "sessions[2990].date"),
    ]


def ordered(problems: list) -> list:
    return sorted(problems, key=lambda p: (p[1], p[2], p[0]))


# --- large files -------------------------------------------------------------------


def test_problems_deep_in_a_large_toml_file_are_on_their_key():
    text = toml_text(large_data())
    assert found(text, "toml") == ordered(expected_large(text, "toml"))


@pytest.mark.parametrize("indent", [2, 4, None], ids=["indent2", "indent4", "minified"])
def test_problems_deep_in_a_large_json_file_are_on_their_key(indent):
    text = json.dumps(large_data(), indent=indent)
    problems = found(text, "json")
    assert problems == ordered(expected_large(text, "json"))
    if indent is None:  # one line: the columns alone tell the problems apart
        assert {line for _, line, _, _ in problems} == {1}
        assert len({column for _, _, column, _ in problems}) == len(problems)


def test_the_journal_nexus_writes_places_a_deep_problem_on_its_key():
    # The store's own TOML and JSON, as `validate` meets them after `log` and `add`.
    data = large_data()
    for session in data["sessions"]:
        session["topic"] = "python"
        session.setdefault("minutes", 30)
        session.pop("mood", None)
        session["date"] = min(session["date"], "2026-11-01")
    for challenge in data["challenges"]:
        challenge["topics"] = ["python"]
    data["sessions"][2777]["topic"] = "ghost-deep"  # kept by the models, refused by validate
    journal = store.loads(json.dumps(data), "json")
    for fmt, text in (("toml", store.dumps_toml(journal)), ("json", store.dumps_json(journal))):
        key = '"topic": ' if fmt == "json" else "topic = "
        assert found(text, fmt) == [
            ("NX203", *place(text, f'{key}"ghost-deep"'), "sessions[2777].topic"),
        ], fmt


def test_crlf_line_endings_place_problems_the_same():
    toml = toml_text(large_data()).replace("\n", "\r\n")
    assert found(toml, "toml") == ordered(expected_large(toml, "toml"))
    js = json.dumps(large_data(), indent=2).replace("\n", "\r\n")
    assert found(js, "json") == ordered(expected_large(js, "json"))


# --- hand-edited TOML ----------------------------------------------------------------


HAND_EDITED = """\
# A journal kept by hand.
schema_version = 1
program.name = "Backend"     # a dotted key at the top
program.start = 2026-09-07
program.end = 2026-09-01     # <- NX210: ends before it starts

[[topics]]
  id = "python"              # indented
  name = "Python"
  notes = \"\"\"
Lines that look like entries, inside a string:
[[sessions]]
topic = "ghost-in-a-string"
[[sessions]]
\"\"\"
  tags = [
    "lang",                  # an array over several lines, with comments
    "core",
  ]
  resources = [ { url = "https://example.org/a", title = "A" }, { url = "https://example.org/b" } ]
  created = 2026-09-07T09:00:00Z
  updated = 2026-09-07T09:00:00Z

[[topics]]
"id" = 'django'
'name' = "Django"
parent = "python"
created = 2026-09-07 09:00:00Z
updated = 2026-09-07T09:00:00Z

  [[topics.reviews]]
  date = 2026-09-10
  grade = 9                  # <- NX: grade out of range

[[challenges]]
id = "c1"
title = 'Routing'
topics = [ "python" , "ghost-array" ]
opened = 2026-09-10T09:00:00Z
"""


def hand_edited_sessions(n: int) -> str:
    parts = []
    for i in range(n):
        day = session_day(i)
        header, ident, topic, extra = "[[sessions]]", f'id = "s{i}"', 'topic = "python"', ""
        if i == n - 40:
            topic = '"topic" = "ghost-quoted"'
        elif i == n - 30:
            header, ident, topic = "[[ sessions ]]", f"id = 's{i}'", "'topic' = 'ghost-literal'  # ?"
        elif i == n - 20:
            extra = "note.x = 1\n"
        elif i == n - 10:
            extra = "minutes = 30000\n"
        elif i % 97 == 0:  # now and then a note over several lines, after a blank line
            extra = '\nnote = """\nfirst line\n[[sessions]]\n"""\n'
        minutes = "" if extra.startswith("minutes") else "minutes = 30\n"
        parts.append(f"{header}\n{ident}\n{topic}\ndate = {day}\n{minutes}{extra}")
    return "\n".join(parts)


def test_hand_edited_toml_places_every_problem_on_its_key():
    n = 1200
    text = HAND_EDITED + "\n" + hand_edited_sessions(n)
    tomllib.loads(text)  # it is valid TOML
    problems = found(text, "toml")
    by_path = {path: (code, line, column) for code, line, column, path in problems}
    assert by_path["program.end"] == ("NX210", *place(text, "program.end ="))
    assert by_path["topics[1].reviews[0].grade"][1:] == place(text, "grade = 9")
    assert by_path["challenges[0].topics[1]"] == ("NX203", *place(text, '"ghost-array"'))
    assert by_path[f"sessions[{n - 40}].topic"] == ("NX203", *place(text, '"topic" = "ghost-quoted"'))
    assert by_path[f"sessions[{n - 30}].topic"] == ("NX203", *place(text, "'topic' = 'ghost-literal'"))
    # A dotted key makes `note` a table: the map holds `note.x`, not `note`, so the
    # problem is placed on the entry, as a missing key is: its `[[sessions]]` line.
    id_line, _ = place(text, f'id = "s{n - 20}"')
    assert by_path[f"sessions[{n - 20}].note"][1:] == (id_line - 1, 1)
    assert text.splitlines()[id_line - 2] == "[[sessions]]"
    assert by_path[f"sessions[{n - 10}].minutes"][1:] == place(text, "minutes = 30000")
    # No problem is placed inside the multi-line strings that look like entries.
    assert "ghost-in-a-string" not in json.dumps(problems)
    assert len(problems) == 7, problems


def test_inline_tables_deep_in_an_array_are_placed_inside_the_table():
    rows = [
        f'  {{ id = "s{i}", topic = "{"ghost-inline" if i == 1777 else "python"}", '
        f"date = {session_day(i)}, minutes = 30 }},"
        for i in range(2000)
    ]
    text = (
        "schema_version = 1\n"
        "sessions = [\n" + "\n".join(rows) + "\n]\n\n"
        f'[[topics]]\nid = "python"\nname = "Python"\ncreated = {STAMP}\nupdated = {STAMP}\n'
    )
    tomllib.loads(text)
    assert found(text, "toml") == [
        ("NX203", *place(text, 'topic = "ghost-inline"'), "sessions[1777].topic"),
    ]


def test_a_quoted_key_with_an_escape_is_read_as_the_key_it_names():
    text = toml_text(large_data()).replace('topic = "ghost-deep"', '"t\\u006fpic" = "ghost-deep"')
    tomllib.loads(text)
    problems = found(text, "toml")
    assert ("NX203", *place(text, '"t\\u006fpic" = "ghost-deep"'), "sessions[2777].topic") in problems


# --- hand-edited JSON ----------------------------------------------------------------


def test_hand_edited_json_places_every_problem_on_its_key():
    data = large_data()
    text = json.dumps(data, indent=1)
    # A key written with an escape, and a value that holds JSON-looking text.
    text = text.replace('"topic": "ghost-deep"', '"t\\u006fpic": "ghost-deep"')
    text = text.replace('"note": "note 5"', '"note": "{\\"topic\\": \\"ghost-deep\\"}, [1, 2]"')
    problems = found(text, "json")
    assert ("NX203", *place(text, '"t\\u006fpic": "ghost-deep"'), "sessions[2777].topic") in problems
    assert ("NX101", *place(text, '"mood": '), "sessions[2901].mood") in problems
    assert len(problems) == 6


def test_a_repeated_key_deep_in_a_large_json_file_is_placed_with_the_rest():
    text = json.dumps(large_data(), indent=2)
    twice = '"minutes": 30,\n      "minutes": 30,'
    text = text.replace('"minutes": 30,', twice, 2800).replace(twice, '"minutes": 30,', 2799)
    problems = found(text, "json")
    at = place(text, twice)
    assert ("NX006", at[0] + 1, at[1], "sessions[2799].minutes") in problems
    assert ("NX203", *place(text, '"topic": "ghost-deep"'), "sessions[2777].topic") in problems


# --- the partial map against the full map --------------------------------------------


def edits(text: str, seed: int) -> str:
    """Hand-edit TOML the way people do: indentation, comments, blank lines, spaces around `=`."""
    import random

    rng = random.Random(seed)
    out = []
    in_string = False
    for line in text.split("\n"):
        if line.count('"""') % 2 or line.count("'''") % 2:
            in_string = not in_string
        if in_string or not line or line.startswith('"""'):
            out.append(line)
            continue
        roll = rng.random()
        if roll < 0.15:
            line = "  " + line
        elif roll < 0.25 and " = " in line:
            line = line.replace(" = ", "=", 1)
        elif roll < 0.35:
            line += "   # a comment"
        elif roll < 0.45:
            out.append("# a line of comment")
        out.append(line)
    return "\n".join(out)


def agree(full: SourceMap, partial: SourceMap, wanted: list[tuple]) -> None:
    for loc in wanted:
        assert partial.find(loc) == full.find(loc), loc
        offset = full.find(loc)
        if offset is not None:
            partial.learn([offset])
            fresh = SourceMap(full.text)
            assert partial.line_col(offset) == fresh.line_col(offset)
            line = fresh.line_col(offset)[0]
            assert partial.line_text(line) == fresh.line_text(line)


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journals(), st.randoms(use_true_random=False), st.integers(0, 2**16), st.booleans())
def test_the_partial_toml_map_places_what_the_full_map_places(journal, rnd, seed, crlf):
    text = edits(store.dumps_toml(journal), seed)
    if crlf:
        text = text.replace("\n", "\r\n")
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assume(False)
    full = toml_map(text)
    keys = sorted(full.offsets, key=repr)
    wanted = rnd.sample(keys, min(len(keys), rnd.randint(0, 6)))
    wanted += [(*loc, "not-a-key") for loc in wanted[:2]] + [("sessions", 10_000, "topic")]
    agree(full, toml_map(text, wanted), wanted)


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journals(), st.randoms(use_true_random=False), st.sampled_from([None, 0, 2]))
def test_the_partial_json_map_places_what_the_full_map_places(journal, rnd, indent):
    text = json.dumps(json.loads(store.dumps_json(journal)), indent=indent)
    full = json_map(text)
    keys = sorted(full.offsets, key=repr)
    wanted = rnd.sample(keys, min(len(keys), rnd.randint(0, 6)))
    wanted += [(*loc, "not-a-key") for loc in wanted[:2]] + [("sessions", 10_000, "topic")]
    agree(full, json_map(text, wanted), wanted)


def test_a_few_problems_in_a_large_file_map_only_a_few_keys():
    # What makes `validate` fast on a large journal: not every key is mapped.
    text = toml_text(large_data())
    wanted = [("sessions", 2777, "topic"), ("challenges", 31, "topics", 1)]
    full, partial = toml_map(text), toml_map(text, wanted)
    assert len(partial.offsets) < len(full.offsets) / 4
    agree(full, partial, wanted)
    js = json.dumps(large_data(), indent=2)
    full, partial = json_map(js), json_map(js, wanted)
    assert len(partial.offsets) < len(full.offsets) / 4
    agree(full, partial, wanted)


def test_a_key_the_map_cannot_read_stops_the_partial_map_where_it_stops_the_full_one():
    # `\U` is a TOML escape JSON lacks: the scanner stops at that key, and every later
    # problem falls back to the nearest place found before it, with or without `wanted`.
    text = toml_text(large_data()).replace('note = "note 100"', 'note = "note 100"\n"n\\U0001F600te" = 1')
    tomllib.loads(text)
    wanted = [("sessions", 2777, "topic"), ("sessions", 100, "n\U0001f600te"), ("sessions", 50, "note")]
    full = toml_map(text)
    assert full.find(("sessions", 2777, "topic")) == full.offsets[("sessions",)]
    agree(full, toml_map(text, wanted), wanted)
