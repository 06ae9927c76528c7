"""A hand-edited TOML journal keeps its comments and layout through every command.

The property: take a journal nexus wrote, sprinkle comments through it (whole
lines and ends of lines, a `#:schema` line on top), then run the same commands
on it and on the plain file. After each command the commented file must load to
exactly the journal the plain one holds, and every comment must still be there,
except those inside an entry the command removed.
"""

from __future__ import annotations

import itertools
import re
import tempfile
from pathlib import Path

from attack import nexus as run_installed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nexus_cli.cli import app
from nexus_cli.core import idgen, store
from nexus_cli.core.store import layout
from support import seeded_letters

COMMANDS: list[tuple[str, ...]] = [
    ("log", "python", "45m", "--note", "after the comments"),
    ("add", "topic", "Docker", "--parent", "python"),
    ("edit", "django", "--status", "practicing"),
    ("solve", "routing", "--solution", "bind the queue to the exchange"),
    ("rm", "s-two", "--yes"),
    ("add", "takeaway", "Small commits", "--text", "one change, one commit"),
]
REMOVED = {"rm": "s-two"}

BASE = """schema_version = 1

[program]
name = "Backend track"
description = "Twelve weeks of backend work"

[[topics]]
id = "python"
name = "Python"
category = "technology"
status = "learning"
tags = ["lang", "core"]
created = 2026-11-01T09:00:00Z
updated = 2026-11-01T09:00:00Z

[[topics]]
id = "django"
name = "Django"
category = "technology"
parent = "python"
status = "planned"
created = 2026-11-02T09:00:00Z
updated = 2026-11-02T09:00:00Z

[[challenges]]
id = "routing"
title = "Routing keys"
topics = ["django"]
problem = "Messages went nowhere"
status = "open"
opened = 2026-11-03T09:00:00Z

[[sessions]]
id = "s-one"
topic = "python"
date = 2026-11-20
minutes = 60

[[sessions]]
id = "s-two"
topic = "django"
date = 2026-11-21
minutes = 30
note = "models"

[[sessions]]
id = "s-three"
topic = "python"
date = 2026-11-22
minutes = 90
"""


def _entry_ranges(text: str) -> dict[str, tuple[int, int]]:
    """Return id -> (first line, line after the last) of each [[...]] block."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("[")] + [len(lines)]
    ranges = {}
    for start, end in itertools.pairwise(starts):
        for line in lines[start:end]:
            match = re.match(r'id = "([^"]+)"', line)
            if match:
                ranges[match.group(1)] = (start, end)
    return ranges


@st.composite
def commented(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    """Return BASE with comments added, and comment -> the entry id it sits inside ("" if none)."""
    lines = BASE.splitlines()
    ranges = _entry_ranges(BASE)
    owner = {}
    for line_no in range(len(lines)):
        owner[line_no] = next((i for i, (a, b) in ranges.items() if a <= line_no < b), "")
    out: list[str] = ["#:schema ./journal.schema.json"]
    where: dict[str, str] = {}
    count = 0
    for line_no, line in enumerate(lines):
        if draw(st.integers(0, 3)) == 0:
            count += 1
            comment = f"# note {count}: {draw(st.sampled_from(['why', 'remember', 'todo']))}"
            out.append(comment)
            # a comment line just above a header belongs to the block before it
            where[comment] = owner.get(line_no - 1, "") if line.startswith("[") else owner[line_no]
        if " = " in line and draw(st.booleans()):
            count += 1
            comment = f"# inline {count}"
            out.append(f"{line}  {comment}")
            where[comment] = owner[line_no]
        else:
            out.append(line)
    return "\n".join(out) + "\n", where


def _run(runner: CliRunner, journal: Path, args: tuple[str, ...], seed: int) -> None:
    idgen.letters = seeded_letters(seed)  # same new ids on both files
    result = runner.invoke(app, list(args), env={"NEXUS_JOURNAL": str(journal)}, catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    assert "could not keep" not in result.stderr, result.stderr


def _journal(path: Path) -> str:
    return store.load(path).journal.model_dump_json()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sample=commented(), order=st.permutations(range(len(COMMANDS))))
def test_comments_survive_every_command(sample, order, monkeypatch):
    text, where = sample
    monkeypatch.setattr(idgen, "letters", idgen.letters)  # restored after the test

    def whole_document(*args):
        raise AssertionError("the block-by-block path must handle this file")

    monkeypatch.setattr(layout, "_keep_whole", whole_document)
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        plain, edited = Path(folder) / "plain.toml", Path(folder) / "edited.toml"
        plain.write_text(BASE)
        edited.write_text(text)
        assert _journal(plain) == _journal(edited)
        removed: set[str] = set()
        for step, index in enumerate(order):
            args = COMMANDS[index]
            _run(runner, plain, args, step)
            _run(runner, edited, args, step)
            assert _journal(edited) == _journal(plain), args
            removed |= {REMOVED[args[0]]} if args[0] in REMOVED else set()
            now = edited.read_text()
            assert now.startswith("#:schema ./journal.schema.json\n")
            for comment, owner in where.items():
                if owner not in removed:
                    assert comment in now, (args, comment)
            assert store.backup_path(edited).read_text().startswith("#:schema"), "the backup keeps them too"


HAND_WRITTEN = """#:schema ./journal.schema.json
# My study journal, kept by hand as well.
schema_version = 1  # do not touch

[program]
name = "Backend track"
description = \"\"\"
Twelve weeks of backend work.
The second line of the overview.\"\"\"

# ---- topics ----
[[topics]]
id = "python"
name = "Python"  # the first one
created = 2026-11-01T09:00:00Z
updated = 2026-11-01T09:00:00Z
resources = [{ title = "The tutorial", url = "https://docs.python.org/3/tutorial/" }]

[[topics]]
id = "django"
name = "Django"
parent = "python"
created = 2026-11-02T09:00:00Z
updated = 2026-11-02T09:00:00Z
# django notes go here

[[challenges]]
id = "routing"
title = "Routing keys"
topics = ["django"]
problem = '''
Messages went nowhere;
the queue was never bound.'''
opened = 2026-11-03T09:00:00Z

[[sessions]]
id = "s1"
topic = "python"
date = 2026-11-20
minutes = 60  # a good hour
"""


def test_the_installed_nexus_keeps_a_hand_written_layout(journal_path):
    journal_path.write_text(HAND_WRITTEN)
    for args in (
        ("log", "python", "1h", "--note", "again"),
        ("add", "topic", "Docker"),
        ("edit", "django", "--status", "learning"),
        ("solve", "routing", "--solution", "bind the queue"),
        ("rm", "s1", "--yes"),
    ):
        run = run_installed(*args)
        assert run.returncode == 0, str(run)
        assert "warning" not in run.stderr, str(run)
    text = journal_path.read_text()
    for kept in [
        "#:schema ./journal.schema.json\n# My study journal, kept by hand as well.\n",
        "schema_version = 1  # do not touch",
        'description = """\nTwelve weeks of backend work.\nThe second line of the overview."""',
        "# ---- topics ----",
        'name = "Python"  # the first one',
        'resources = [{ title = "The tutorial", url = "https://docs.python.org/3/tutorial/" }]',
        "# django notes go here",
        "problem = '''\nMessages went nowhere;\nthe queue was never bound.'''",
    ]:
        assert kept in text, kept
    assert "# a good hour" not in text  # inside the removed session
    assert run_installed("validate", str(journal_path)).returncode == 0
    journal = store.load(journal_path).journal
    assert [t.id for t in journal.topics] == ["python", "django", "docker"]
    assert journal.challenges[0].solution == "bind the queue"
    assert [s.note for s in journal.sessions] == ["again"]
