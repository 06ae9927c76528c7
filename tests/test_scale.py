"""Large journals: no path grows faster than the journal (long lists stream, deep trees stay linear)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from nexus_cli.core import store
from nexus_cli.core.models import Journal, Program, Session, Topic
from nexus_cli.core.queries import topic_order
from nexus_cli.render.rows import STREAM_ROWS, depths

STAMP = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)


def _topic(topic_id: str, parent: str | None = None) -> Topic:
    return Topic(id=topic_id, name=topic_id.title(), parent=parent, created=STAMP, updated=STAMP)


def _write(path: Path, journal: Journal) -> None:
    path.write_text(store.dumps(journal, store.format_for(path)), encoding="utf-8")


def test_a_long_session_list_prints_every_row_within_the_width(ok, journal_path: Path) -> None:
    n = STREAM_ROWS + 100
    day = dt.date(2026, 11, 28)
    sessions = [
        Session(
            id=f"{day - dt.timedelta(days=i):%Y%m%d}-s{i:03d}",
            topic="python",
            date=day - dt.timedelta(days=i),
            minutes=30 + i % 60,
            note=("a long note about generators and closures " * (i % 4)).strip(),
        )
        for i in reversed(range(n))
    ]
    _write(journal_path, Journal(program=Program(name="P"), topics=[_topic("python")], sessions=sessions))
    lines = ok("list", "sessions").stdout.splitlines()
    assert lines[0].split() == ["id", "date", "topic", "time", "note"]
    assert set(lines[1]) == {"─"}
    assert all(len(line) <= 80 for line in lines)  # COLUMNS=80: the note column wraps
    ids = [line.split()[0] for line in lines[2:] if not line.startswith(" ")]
    assert ids == [s.id for s in sessions]  # every row, oldest first, nothing cut
    wrapped = " ".join(line.strip() for line in lines[2:] if line.startswith(" "))
    assert "generators and closures" in wrapped
    # the same rows as the table a short list gets
    last = ok("list", "sessions", "--limit", "1").stdout.splitlines()[2].split()
    assert lines[-1].split()[:4] == last[:4]


def test_a_long_topic_list_is_indented_by_depth(ok, journal_path: Path) -> None:
    topics = [_topic("root")] + [_topic(f"child-{i}", "root") for i in range(STREAM_ROWS)]
    topics.append(_topic("grandchild", "child-0"))
    _write(journal_path, Journal(program=Program(name="P"), topics=topics))
    lines = ok("list", "topics").stdout.splitlines()
    assert len(lines) == 2 + len(topics)
    by_id = {line.split()[0]: line for line in lines[2:]}
    name_at = lines[0].index("name")
    assert by_id["root"][name_at:].startswith("Root")
    assert by_id["child-0"][name_at:].startswith("  Child-0")
    assert by_id["grandchild"][name_at:].startswith("    Grandchild")
    assert [line.split()[0] for line in lines[2:5]] == ["root", "child-0", "grandchild"]


def test_a_deep_chain_of_subtopics_is_ordered_without_recursion() -> None:
    n = 20_000  # far deeper than Python's recursion limit
    topics = [_topic("t0")] + [_topic(f"t{i}", f"t{i - 1}") for i in range(1, n)]
    journal = Journal.model_construct(topics=list(reversed(topics)))
    assert [t.id for t in topic_order(journal)] == [t.id for t in topics]
    found = depths(journal)
    assert found["t0"] == 0 and found[f"t{n - 1}"] == n - 1


def test_depths_of_a_loop_of_parents_end() -> None:
    journal = Journal.model_construct(topics=[_topic("a", "b"), _topic("b", "a"), _topic("c", "a")])
    found = depths(journal)
    assert set(found) == {"a", "b", "c"}
    assert found["c"] == found["a"] + 1


def test_a_long_import_plan_lists_every_change(ok, journal_path: Path, tmp_path: Path) -> None:
    ok("init", "--program", "P")
    other = tmp_path / "other.toml"
    topics = [_topic(f"topic-{i}") for i in range(STREAM_ROWS + 10)]
    _write(other, Journal(program=Program(name="P"), topics=topics))
    result = ok("import", str(other), "--dry-run")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["action", "kind", "id", "name", "detail"]
    assert [line.split()[2] for line in lines[2:]] == [t.id for t in topics]
    assert f"{len(topics)} added" in result.stderr


def test_a_long_list_read_in_part_ends_quietly_and_needs_no_rich(journal_path: Path) -> None:
    import os
    import subprocess
    import sys

    topics = [_topic(f"topic-{i}") for i in range(STREAM_ROWS * 4)]
    _write(journal_path, Journal(program=Program(name="P"), topics=topics))
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('rich' if 'rich' in sys.modules else ''))\n"
        "sys.argv = ['nexus', 'list', 'topics']\n"
        "from nexus_cli.cli import main\n"
        "main()\n"
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ)
    )
    assert reader.stdout is not None and reader.stderr is not None
    first = [reader.stdout.readline() for _ in range(3)]
    reader.stdout.close()  # like `| head -3`
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 0
    assert first[2].split()[0] == b"topic-0"
    assert err == ""  # no traceback, no "Exception ignored", and Rich was never imported


@given(st.text())
def test_the_printable_shortcut_of_neutralize_changes_nothing(text: str) -> None:
    from nexus_cli.core import text as text_module

    slow = text_module._CONTROL.sub(text_module._visible, text)
    assert text_module.neutralize(text) == slow
    assert text_module.neutralize(text, keep_newlines=False) == slow.replace("\n", " ").replace("\t", " ")
