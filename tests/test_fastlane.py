"""`nexus log`'s fast lane: it reads command lines as Click does and writes what the full path writes."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.main import get_command

from nexus_cli import fastlane
from nexus_cli.cli import app
from nexus_cli.core import idgen, shape, store
from nexus_cli.core.models import Challenge, Journal, Session, Takeaway, Timer, Topic
from nexus_cli.core.store import cache
from nexus_cli.root import load_command
from support import examples, seeded_letters

# --- the recogniser -----------------------------------------------------------------

WORDS = [
    "log", "django", "1h", "30m", "show", "x", "", " ", "=", "a=b", "-", "--", "-3d", "-x", "--nope",
    "--date", "-d", "--date=yesterday", "--date=", "-dyesterday", "--note", "-n", "--note=a b", "-nfoo",
    "-j", "--journal", "--journal=j.toml", "j.toml", "--no-color", "--no-color=1", "--debug",
    "-h", "--help", "-V", "--version", "--dat", "-N", "--NOTE", "yesterday",
]  # fmt: skip


def click_values(argv: list[str]) -> fastlane.LogCall | None:
    """Return what Click parses `argv` to, as a LogCall (None if it is not `log` or Click refuses it)."""
    group = get_command(app)
    try:
        ctx = group.make_context("nexus", list(argv))
        rest = [*(getattr(ctx, "_protected_args", None) or ctx.protected_args), *ctx.args]
        if not rest or rest[0] != "log":
            return None
        command = load_command("log")
        sub = command.make_context("log", rest[1:], parent=ctx)
    except Exception:  # a usage error, help, version: not a plain log
        return None
    values, root = sub.params, ctx.params
    if values["topic"] is None or values["duration"] is None:
        return None
    return fastlane.LogCall(
        values["topic"], values["duration"], values["date"], values["note"], root["journal"], root["no_color"]
    )


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=9))
def test_the_recogniser_accepts_only_what_click_reads_the_same_way(argv):
    found = fastlane.recognise(argv)
    if found is not None:
        assert found == click_values(argv), argv


@pytest.mark.parametrize(
    "argv",
    [
        ["log", "django", "1h"],
        ["log", "dj", "1h30m", "--note", "views"],
        ["log", "--note", "views", "dj", "45m"],
        ["log", "dj", "45m", "-d", "-3d", "-n", "-x"],
        ["log", "dj", "45m", "--date=yesterday", "--note=a b"],
        ["-j", "j.toml", "--no-color", "log", "dj", "1h"],
        ["--journal=j.toml", "log", "dj", "1h", "--note", ""],
        ["--no-color", "--journal", "log", "log", "dj", "1h"],
    ],
)
def test_the_recogniser_takes_the_plain_forms_as_click_does(argv):
    found = fastlane.recognise(argv)
    assert found is not None
    assert found == click_values(argv)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["log"],
        ["log", "dj"],
        ["log", "dj", "1h", "extra"],
        ["log", "dj", "1h", "--help"],
        ["log", "-h"],
        ["log", "--", "dj", "1h"],
        ["log", "dj", "-30m"],
        ["log", "dj", "1h", "--note", "a", "--note", "b"],
        ["log", "dj", "1h", "--note"],
        ["log", "dj", "1h", "-dyesterday"],
        ["log", "dj", "1h", "--tag", "x"],
        ["--debug", "log", "dj", "1h"],
        ["-jj.toml", "log", "dj", "1h"],
        ["-j", "a", "-j", "b", "log", "dj", "1h"],
        ["--version", "log", "dj", "1h"],
        ["show", "log", "1h"],
        ["log", "-", "1h"],
    ],
)
def test_the_recogniser_leaves_everything_else_to_click(argv):
    assert fastlane.recognise(argv) is None


# --- the write ----------------------------------------------------------------------

STAMP = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 28)  # support.NOW's date
notes = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
topic_ids = st.from_regex(r"[a-z][a-z0-9]{0,3}(-[a-z0-9]{1,3})?", fullmatch=True)
days = st.dates(min_value=TODAY - dt.timedelta(days=4), max_value=TODAY)


@st.composite
def journals(draw: st.DrawFn) -> Journal:
    ids = draw(st.lists(topic_ids, min_size=1, max_size=6, unique=True))
    topics = [
        Topic(
            id=tid,
            name=draw(st.sampled_from([tid.upper(), "Topic " + tid, tid + "!"])),
            status=draw(st.sampled_from(["planned", "learning", "practicing", "confident"])),
            notes=draw(notes),
            created=STAMP,
            updated=STAMP,
        )
        for tid in ids
    ]
    sessions = []
    for n in range(draw(st.integers(0, 10))):
        day = draw(days)
        sessions.append(
            Session(
                id=f"{day:%Y%m%d}-{n:04d}".replace("0", "z").replace("1", "y"),
                topic=draw(st.sampled_from(ids)),
                date=day,
                start=draw(st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0))),
                minutes=draw(st.integers(1, 300)),
                note=draw(notes),
            )
        )
    sessions.sort(key=lambda s: (s.date, s.start or dt.time.min, s.id))
    extras = draw(st.booleans())
    return Journal(
        topics=topics,
        challenges=[Challenge(id="c-one", title="One", topics=ids[:1], opened=STAMP)] if extras else [],
        takeaways=[Takeaway(id="t-one", title="Two", created=STAMP)] if extras else [],
        sessions=sessions,
        timer=Timer(topic=ids[0], started=STAMP) if draw(st.booleans()) else None,
    )


def canonical_file(path: Path, journal: Journal) -> None:
    """Write `journal` as nexus does and warm the cache, as a first command would."""
    path.write_text(store.dumps(journal, store.format_for(path)), encoding="utf-8")
    store.load(path, check_canonical=True)


def entry_of(path: Path) -> tuple[bytes, bool | None, bool] | None:
    entry = cache.lookup(cache.key(path.read_bytes(), store.format_for(path), shape.SCHEMA_VERSION))
    return None if entry is None else (entry.state, entry.canonical, entry.sessions_sorted)


@pytest.mark.parametrize("fmt", ["toml", "json"])
@settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    journal=journals(),
    pick=st.integers(0, 5),
    prefix=st.booleans(),
    minutes=st.integers(1, 600),
    day=days,
    note=notes,
    seed=st.integers(0, 2**16),
)
def test_the_fast_lane_writes_what_the_full_path_writes(
    fmt, journal, pick, prefix, minutes, day, note, seed, tmp_path_factory, monkeypatch, ok
):
    folder = tmp_path_factory.mktemp("same")
    fast, full = folder / f"fast.{fmt}", folder / f"full.{fmt}"
    canonical_file(fast, journal)
    shutil.copyfile(fast, full)
    topic = journal.topics[pick % len(journal.topics)].id
    query = topic[: max(1, len(topic) - 1)] if prefix else topic
    args = ["log", query, f"{minutes}m", "--date", day.isoformat(), "--note", note]

    before = fast.read_bytes()
    monkeypatch.setattr(idgen, "letters", seeded_letters(seed))
    code = fastlane.run(["-j", str(fast), *args])
    if code is None:  # handed on: nothing was written
        assert fast.read_bytes() == before
    assume(code is not None)  # most examples must take the fast lane, or hypothesis says so
    assert code == 0
    monkeypatch.setattr(idgen, "letters", seeded_letters(seed))
    ok("-j", str(full), *args)  # CliRunner calls the Typer app: always the full path
    assert fast.read_bytes() == full.read_bytes()
    assert entry_of(fast) == entry_of(full) is not None


@pytest.fixture
def learning(journal_path: Path) -> Path:
    topics = [
        Topic(id=tid, name=name, status=status, created=STAMP, updated=STAMP)
        for tid, name, status in [
            ("django", "Django", "learning"),
            ("django-rest", "Django REST framework", "practicing"),
            ("docker", "Docker", "confident"),
            ("kubernetes", "Kubernetes", "planned"),
            ("celery", "rabbitmq", "learning"),  # a name that is another topic's id
            ("rabbit", "RabbitMQ", "learning"),
        ]
    ]
    sessions = [Session(id="20261128-aaaa", topic="docker", date=TODAY, minutes=23 * 60)]
    canonical_file(journal_path, Journal(topics=topics, sessions=sessions))
    return journal_path


@pytest.mark.parametrize(
    "args",
    [
        ["djang", "1h"],  # a prefix of two ids
        ["kub", "1h", "--note", "pods"],
        ["kubernetes-x", "1h"],
        ["rabbitmq", "1h"],  # matches celery by name, rabbit by no id: resolve decides
        ["docker", "1h30m"],  # today would pass 24 hours
        ["docker", "1h", "--date", "tomorrow"],
        ["Django", "1h"],
        ["django", "1h", "--note", "\udcff"],
        ["django", "90"],
        ["nothing", "1h"],
    ],
)
def test_what_the_fast_lane_does_not_take_goes_on_with_nothing_written(learning: Path, args):
    before = learning.read_bytes()
    assert fastlane.run(["-j", str(learning), "log", *args]) is None
    assert learning.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "topic"),
    [
        (["django", "1h"], "django"),
        (["django-", "20m"], None),  # not an id as typed: handed on
        (["django-r", "20m"], "django-rest"),
        (["dock", "30m", "--date", "yesterday", "--note", 'quote " and \\ and\nnewline'], "docker"),
        (["rab", "1h"], "rabbit"),
    ],
)
def test_the_fast_lane_logs_the_common_case(learning: Path, args, topic, capsys):
    code = fastlane.run(["-j", str(learning), "log", *args])
    if topic is None:
        assert code is None
        return
    assert code == 0
    message = capsys.readouterr().err
    assert message.startswith("✓ logged ") and f" of {topic} on " in message
    new_id = message.rstrip().rsplit("(", 1)[1].rstrip(")")
    journal = store.load_journal(learning)  # the full reader agrees with what was written
    (session,) = [s for s in journal.sessions if s.id == new_id]
    assert session.topic == topic
    assert session.note == (args[args.index("--note") + 1] if "--note" in args else "")


def test_a_file_laid_out_by_hand_goes_the_full_path(learning: Path):
    learning.write_text("# my journal\n" + learning.read_text(encoding="utf-8"), encoding="utf-8")
    store.load(learning, check_canonical=True)
    before = learning.read_bytes()
    assert fastlane.run(["-j", str(learning), "log", "django", "1h"]) is None
    assert learning.read_bytes() == before


def test_without_the_cache_the_fast_lane_stands_aside(learning: Path, monkeypatch):
    monkeypatch.setenv(cache.ENV_DISABLE, "1")
    assert fastlane.run(["-j", str(learning), "log", "django", "1h"]) is None


def test_a_write_that_fails_is_reported_not_handed_on(learning: Path, monkeypatch, capsys):
    def refuse(path, raw):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("nexus_cli.core.store.append.write_journal", refuse)
    before = learning.read_bytes()
    assert fastlane.run(["-j", str(learning), "log", "django", "1h"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "No space left" in err and "Traceback" not in err
    assert learning.read_bytes() == before


def test_the_model_fields_are_the_shape_the_fast_lane_knows():
    assert tuple(Journal.model_fields) == shape.FIELDS
    assert list(Session.model_fields) == ["id", "topic", "date", "start", "minutes", "note", "timer"]


# --- from the installed command -----------------------------------------------------


@pytest.mark.slow
def test_the_installed_log_takes_the_fast_lane_and_reads_the_same(learning: Path, nexus):
    import subprocess

    installed = str(Path(sys.executable).parent / "nexus")  # the console script beside this python
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(
        [installed, "-j", str(learning), "log", "django", "1h", "--note", "forms"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert not imported & {"typer", "pydantic", "pydantic_core", "rich", "nexus_cli.root"}
    assert "✓ logged 1h of django on 2026-11-28 (20261128-" in done.stderr
    # An error goes the normal path: the same words and exit code as the Typer app's.
    for args in (["djnago", "1h"], ["django", "90"], ["kub", "1h", "--date", "2026-12-01"]):
        done = subprocess.run([installed, "-j", str(learning), "log", *args], capture_output=True, text=True)
        expected = nexus("-j", str(learning), "log", *args)
        assert (done.returncode, done.stderr) == (expected.exit_code, expected.stderr)
        assert done.returncode != 0 and done.stderr.startswith("error: ")
