"""`list topics` from the cache's plain copy of the journal prints what the path through the models prints.

A cached journal is listed without validating every topic (commands/list_.py,
`_topics_from_cache`); these tests hold its output to the byte against the full
path (NEXUS_NO_CACHE=1), on journals with what a hand edit or a merge can leave:
ids twice, loops of parents, parents that are not topics, control characters
and wide characters in names.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexus_cli.commands import list_
from nexus_cli.core import store
from nexus_cli.core.models import Journal, Program, Session, Status, Topic
from nexus_cli.core.queries import depths_of, tree_order, tree_order_and_depths
from nexus_cli.render.rows import plain_topic_table
from support import examples

POOL = ["a", "b", "c", "d", "e", "f", "g"]
pool_ids = st.sampled_from(POOL)
# plain letters, spaces, wide and accented letters, control characters, a bidi override
characters = st.sampled_from(["x", "Y", " ", "é", "日", "\x1b", "\u202e", "\x7f", "-", "=", "0", "\t"])
names = st.text(characters, min_size=1, max_size=12)
stamps = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1), timezones=st.just(dt.UTC)
).map(lambda d: d.replace(microsecond=0))


@st.composite
def varied_journals(draw: st.DrawFn) -> Journal:
    topics = [
        Topic(
            id=draw(pool_ids),
            name=draw(names),
            category=draw(st.sampled_from(["technology", "concept", "ops", "日本"])),
            parent=draw(st.none() | pool_ids | st.just("not-a-topic")),
            status=draw(st.sampled_from(list(Status))),
            notes=draw(st.sampled_from(["", "a note", "=1+1"])),
            tags=draw(st.lists(st.sampled_from(["web", "db", "-x"]), max_size=2, unique=True)),
            target_hours=draw(st.none() | st.sampled_from([0.5, 1.0, 12.25, 10_000.0])),
            created=draw(stamps),
            updated=draw(stamps),
        )
        for _ in range(draw(st.integers(0, 9)))
    ]
    sessions = [
        Session(
            id=f"s-{n}",
            topic=draw(pool_ids),
            date=dt.date(2026, 11, 1) + dt.timedelta(days=n),
            minutes=draw(st.integers(1, 600)),
        )
        for n in range(draw(st.integers(0, 6)))
    ]
    return Journal(program=Program(name="P"), topics=topics, sessions=sessions)


OPTIONS = [
    [],
    ["--sort", "-hours"],
    ["--sort", "name"],
    ["--sort", "-created"],
    ["--sort", "updated"],
    ["--sort", "status"],
    ["--sort", "-category"],
    ["--sort", "id"],
    ["--sort", "bogus"],
    ["--status", "learning"],
    ["--status", "resolved"],
    ["--category", "ops"],
    ["--tag", "web"],
    ["--tag", "web", "--tag", "db"],
    ["--limit", "3"],
    ["--sort", "-hours", "--limit", "2", "--status", "planned"],
]
FORMATS = [[], ["--format", "json"], ["--format", "csv"]]


@settings(
    max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    journal=varied_journals(),
    options=st.sampled_from(OPTIONS),
    fmt=st.sampled_from(FORMATS),
    streamed=st.booleans(),
    columns=st.sampled_from(["80", "30", "200"]),
)
def test_the_plain_listing_prints_what_the_full_one_prints(
    nexus, journal_path: Path, monkeypatch: pytest.MonkeyPatch, journal, options, fmt, streamed, columns
) -> None:
    journal_path.write_text(store.dumps(journal, "toml"), encoding="utf-8")
    args = ["list", "topics", *options, *fmt]
    with monkeypatch.context() as patch:
        if streamed:  # the long-list layout, on a small journal
            patch.setattr(list_, "STREAM_ROWS", 1)
        patch.setenv("COLUMNS", columns)
        full = nexus(*args, env={"NEXUS_NO_CACHE": "1"})
        nexus("list", "challenges")  # reads the journal: now it is in the cache
        assert store.cached_state(journal_path) is not None

        def refuse(*_args: object) -> None:
            raise AssertionError("the listing took the path through the models")

        if "--status" not in options or options[options.index("--status") + 1] != "resolved":
            patch.setattr(list_, "read_journal", refuse)
        plain = nexus(*args)
    assert (plain.exit_code, plain.stdout, plain.stderr) == (full.exit_code, full.stdout, full.stderr)


def test_a_filter_the_plain_copy_cannot_apply_takes_the_full_path(ok, journal_path: Path) -> None:
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    topics = [
        Topic(id="web", name="Web", created=stamp, updated=stamp),
        Topic(id="django", name="Django", parent="web", created=stamp, updated=stamp),
        Topic(id="sql", name="SQL", created=stamp, updated=stamp),
    ]
    journal_path.write_text(store.dumps(Journal(program=Program(name="P"), topics=topics), "toml"))
    ok("list", "topics")  # cached
    lines = ok("list", "topics", "--topic", "web").stdout.splitlines()
    assert [line.split()[0] for line in lines[2:]] == ["web", "django"]
    assert ok("list", "topics", "--since", "2025-12-01").stdout.count("\n") == 5


@given(varied_journals())
def test_the_widths_known_before_the_rows_are_the_widths_of_the_rows(journal: Journal) -> None:
    from nexus_cli.output import widest

    data = store.plain(journal.model_dump(mode="json"))  # any shape: the cache keeps every field
    topics = [Topic.model_validate(t).model_dump(mode="json") for t in data.get("topics", [])]
    level = depths_of({t["id"]: t["parent"] for t in topics})
    minutes = {"a": 61, "b": 1440 * 3, "c": 0}
    widths, rows = plain_topic_table(topics, level, minutes)
    table = list(rows)
    assert widths == [widest({row[index][0] for row in table}) for index in range(6)]


# --- the tree, against the plain algorithms it replaced ------------------------------------------


def reference_order(ids: list[str], parents: list[str | None]) -> list[int]:
    """topic_order as it was: a visited set, always."""
    known = set(ids)
    children: dict[str | None, list[int]] = defaultdict(list)
    roots: list[int] = []
    for index, parent in enumerate(parents):
        (children[parent] if parent in known else roots).append(index)
    ordered: list[int] = []
    seen: set[str] = set()
    stack = roots[::-1]
    while stack:
        index = stack.pop()
        if ids[index] in seen:
            continue
        seen.add(ids[index])
        ordered.append(index)
        stack.extend(reversed(children.get(ids[index], [])))
    ordered.extend(index for index, topic_id in enumerate(ids) if topic_id not in seen)
    return ordered


def reference_depths(parents: dict[str, str | None]) -> dict[str, int]:
    """depths as it was: every topic walked up to a known one."""
    found: dict[str, int] = {}
    for topic_id in parents:
        path, current, on_path = [topic_id], parents.get(topic_id), {topic_id}
        while current and current in parents and current not in found and current not in on_path:
            path.append(current)
            on_path.add(current)
            current = parents[current]
        depth = found[current] + 1 if current and current in found else 0
        for node in reversed(path):
            found[node] = depth
            depth += 1
    return found


trees = st.lists(st.tuples(pool_ids, st.none() | pool_ids | st.just("zz")), max_size=12)


@given(trees)
def test_the_tree_order_is_the_order_it_always_was(pairs: list[tuple[str, str | None]]) -> None:
    ids, parents = [i for i, _ in pairs], [p for _, p in pairs]
    assert tree_order(ids, parents) == reference_order(ids, parents)
    assert tree_order_and_depths(ids, parents) == (
        reference_order(ids, parents),
        reference_depths(dict(zip(ids, parents, strict=True))),
    )


@given(st.dictionaries(pool_ids, st.none() | pool_ids | st.just("zz")))
def test_the_depths_are_the_depths_they_always_were(parents: dict[str, str | None]) -> None:
    assert depths_of(parents) == reference_depths(parents)


# --- JSON lists, indented without the json module's Python encoder -------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=8)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=4), inner, max_size=3)
        | st.tuples(inner)  # json.dumps writes a tuple as a list: left to it
        | st.dictionaries(st.integers(), inner, max_size=2)
    ),  # keys it turns into text: left to it
    max_leaves=12,
)


@given(json_values)
def test_json_lists_are_written_as_json_dumps_writes_them(data: object) -> None:
    from nexus_cli.core.convert import tabular
    from nexus_cli.core.text import json_text

    assert tabular.json_list_text(data) == json_text(data)


@given(
    st.recursive(
        json_scalars.filter(lambda v: v == v and v not in (float("inf"), float("-inf"))),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
        max_leaves=12,
    )
)
def test_plain_json_data_is_indented_without_the_json_module(data: object) -> None:
    import json

    from nexus_cli.core.convert import tabular

    assert tabular.indented_json(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_a_deep_chain_is_walked_once_with_its_depths() -> None:
    n = 20_000
    ids = [f"t{i}" for i in reversed(range(n))]
    parents = [f"t{i - 1}" if i else None for i in reversed(range(n))]
    order, level = tree_order_and_depths(ids, parents)
    assert [ids[index] for index in order] == [f"t{i}" for i in range(n)]
    assert level["t0"] == 0 and level[f"t{n - 1}"] == n - 1


def test_a_cached_long_list_read_in_part_ends_quietly_and_needs_no_rich(journal_path: Path) -> None:
    import os
    import subprocess
    import sys

    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    topics = [Topic(id=f"topic-{i}", name=f"Topic {i}", created=stamp, updated=stamp) for i in range(2000)]
    journal_path.write_text(store.dumps(Journal(program=Program(name="P"), topics=topics), "toml"))
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('rich' if 'rich' in sys.modules else ''))\n"
        "sys.argv = ['nexus', *sys.argv[1:]]\n"
        "from nexus_cli.cli import main\n"
        "main()\n"
    )
    subprocess.run([sys.executable, "-c", code, "list", "challenges"], check=True, env=dict(os.environ))
    assert store.cached_state(journal_path) is not None
    reader = subprocess.Popen(
        [sys.executable, "-c", code, "list", "topics"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    )
    assert reader.stdout is not None and reader.stderr is not None
    first = [reader.stdout.readline() for _ in range(3)]
    reader.stdout.close()  # like `| head -3`
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 0
    assert first[2].split()[0] == b"topic-0"
    assert err == ""


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no named pipes here")
def test_a_pipe_at_the_journal_path_is_not_read_for_a_plain_copy(nexus, journal_path: Path) -> None:
    import os

    os.mkfifo(journal_path)
    assert store.cached_state(journal_path) is None  # at once: the pipe is never read
    result = nexus("list", "topics")
    assert result.exit_code == 2 and "not a plain file" in result.stderr
