"""The fast lane (`log`, `add challenge`, `add takeaway` and the views): it reads command lines
as Click does and writes, or prints, what the full path does."""

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
from nexus_cli.core.models import Challenge, Journal, Review, Session, Takeaway, Timer, Topic
from nexus_cli.core.store import cache
from nexus_cli.root import load_command
from support import examples, seeded_letters

# --- the recogniser -----------------------------------------------------------------

WORDS = [
    "log", "add", "challenge", "django", "1h", "30m", "show", "x", "", " ", "=", "a=b", "-", "--", "-3d",
    "-x", "--nope", "--date", "-d", "--date=yesterday", "--date=", "-dyesterday", "--note", "-n",
    "--note=a b", "-nfoo", "-j", "--journal", "--journal=j.toml", "j.toml", "--no-color", "--no-color=1",
    "--debug", "-h", "--help", "-V", "--version", "--dat", "-N", "--NOTE", "yesterday", "-t", "--topic",
    "--topic=dj", "--tag", "--tag=x", "--problem", "--problem=p", "--solution", "--solution=", "-tdj",
    "takeaway", "--text", "--text=t", "-T",
    "progress", "--all", "-a", "-w", "80", "--format", "json", "show", "--json",
]  # fmt: skip


VIEWS = {("progress",): (), ("show",): ("entry_id",)}  # the views' words, and their arguments


def _rest(ctx) -> list[str]:
    return [*(getattr(ctx, "_protected_args", None) or ctx.protected_args), *ctx.args]


def click_values(argv: list[str]) -> fastlane.Call | None:
    """Return what Click parses `argv` to, as a Call (None: not a fast command, or Click refuses it)."""
    group = get_command(app)
    try:
        ctx = group.make_context("nexus", list(argv))
        rest = _rest(ctx)
        if rest[:1] == ["log"]:
            sub = load_command("log").make_context("log", rest[1:], parent=ctx)
            words, required = ("log",), ("topic", "duration")
        elif rest[:2] in (["add", "challenge"], ["add", "takeaway"]):
            add = load_command("add")
            middle = add.make_context("add", rest[1:], parent=ctx)
            if _rest(middle)[:1] != rest[1:2]:
                return None
            command = add.get_command(middle, rest[1])
            sub = command.make_context(rest[1], _rest(middle)[1:], parent=middle)
            words, required = ("add", rest[1]), ("title",)
        elif rest[:1] and (rest[0],) in VIEWS:
            words, required = (rest[0],), VIEWS[(rest[0],)]
            command = load_command(rest[0])
            sub = command.make_context(rest[0], rest[1:], parent=ctx)
        else:
            return None
    except Exception:  # a usage error, help, version: not a plain form
        return None
    values = dict(sub.params)
    if words in VIEWS:  # only their plain forms: every option as it comes
        values = {name: value for name, value in values.items() if value != _default(command, sub, name)}
    if any(values[name] is None for name in required):
        return None  # asked for at a terminal
    if words[:1] == ("add",):
        values["topic"], values["tag"] = list(values["topic"] or []), list(values["tag"] or [])
    return fastlane.Call(words, values, ctx.params["journal"], ctx.params["no_color"])


def _default(command, ctx, name: str) -> object:
    return next(param for param in command.params if param.name == name).get_default(ctx)


@settings(max_examples=examples(600), deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=9))
def test_the_recogniser_accepts_only_what_click_reads_the_same_way(argv):
    found = fastlane.recognise(argv)
    if found is not None:
        assert found == click_values(argv), argv


VALUES = st.sampled_from(WORDS) | st.text(max_size=6)


@st.composite
def plain_forms(draw: st.DrawFn) -> list[str]:
    """A command line in one of the forms the recogniser takes, spelled any way Click reads."""
    spec = draw(st.sampled_from(fastlane.SPECS))
    root: list[str] = []
    if draw(st.booleans()):
        root += draw(st.sampled_from([["-j", draw(VALUES)], ["--journal", draw(VALUES)]]))
    if draw(st.booleans()):
        root.append("--no-color")
    words: list[list[str]] = [[draw(VALUES.filter(lambda v: not v.startswith("-")))] for _ in spec.arguments]
    singles = {name: [s for s, n in spec.options.items() if n == name] for name in set(spec.options.values())}
    for spellings in singles.values():
        if draw(st.booleans()):
            words.append(_spelled(draw, draw(st.sampled_from(spellings)), draw(VALUES)))
    for spelling in draw(st.lists(st.sampled_from(sorted(spec.lists) or [""]), max_size=3)):
        if spelling:
            words.append(_spelled(draw, spelling, draw(VALUES)))
    order = draw(st.permutations(range(len(words))))
    return [*draw(st.permutations(root)), *spec.words, *(w for i in order for w in words[i])]


def _spelled(draw: st.DrawFn, option: str, value: str) -> list[str]:
    if option.startswith("--") and draw(st.booleans()):
        return [f"{option}={value}"]
    return [option, value]


@settings(max_examples=examples(400), deadline=None)
@given(plain_forms())
def test_every_plain_form_is_read_as_click_reads_it(argv):
    found = fastlane.recognise(argv)
    assume(found is not None)  # a few draws are not plain (a value `--no-color` after -j)
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
        ["add", "challenge", "Routing keys"],
        ["add", "challenge", "-t", "rabbitmq", "Routing", "-t", "celery", "--tag", "mq", "--tag=amqp"],
        ["add", "challenge", "Routing", "--problem", "-x", "--solution=fanout", "--topic=dj"],
        ["-j", "j.toml", "add", "challenge", "--solution", "", "T"],
        ["add", "takeaway", "Test first"],
        ["add", "takeaway", "-t", "django", "Test first", "--tag", "tdd", "-t", "dj", "--tag=x"],
        ["add", "takeaway", "T", "--text", "-x", "--topic=dj"],
        ["--no-color", "add", "takeaway", "--text=write it first", "T"],
        ["-j", "j.toml", "add", "takeaway", "--text", "", "T"],
        ["progress"],
        ["--no-color", "-j", "j.toml", "progress"],
        ["show", "django"],
        ["-j", "j.toml", "show", "x"],
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
        ["add", "challenge"],  # asks for the title at a terminal
        ["add", "challenge", "A", "B"],
        ["add", "challenge", "A", "--problem", "p", "--problem", "q"],
        ["add", "challenge", "A", "-tdj"],
        ["add", "challenge", "A", "--note", "n"],
        ["add", "--help", "challenge", "A"],
        ["add", "topic", "A"],
        ["add", "takeaway"],  # asks for the title at a terminal
        ["add", "takeaway", "A", "B"],
        ["add", "takeaway", "A", "--text", "a", "--text", "b"],
        ["add", "takeaway", "A", "--text"],
        ["add", "takeaway", "A", "--problem", "p"],
        ["add", "takeaway", "A", "--solution", "s"],
        ["add", "takeaway", "A", "-tdj"],
        ["add", "takeaway", "A", "-T", "t"],
        ["add", "takeaway", "A", "--help"],
        ["add", "takeaway", "--", "A"],
        ["add", "challenge", "A", "--text", "t"],
        ["progress", "--all"],
        ["progress", "-w", "80"],
        ["progress", "--format", "json"],
        ["progress", "python"],
        ["progress", "-h"],
        ["progress", "--"],
        ["show"],
        ["show", "a", "b"],
        ["show", "django", "--json"],
        ["show", "django", "-f", "json"],
        ["show", "--", "django"],
    ],
)
def test_the_recogniser_leaves_everything_else_to_click(argv):
    assert fastlane.recognise(argv) is None


def test_the_entry_point_sends_every_fast_command_to_the_fast_lane():
    from nexus_cli.cli import FAST_WORDS

    assert all(FAST_WORDS & set(spec.words) for spec in fastlane.SPECS)


# --- the write ----------------------------------------------------------------------

STAMP = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 28)  # support.NOW's date
REVIEWS = [Review(date=dt.date(2026, 11, 3), grade="good")]
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
        takeaways=[
            Takeaway(id="t-one", title="Two", topics=ids[-1:], tags=["tdd"], created=STAMP, reviews=REVIEWS)
        ]
        if extras
        else [],
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
    max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
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
    # Both files end up with the same bytes, so the same cache key: take the fast
    # lane's entry before the full path writes its own under that key.
    fast_entry = entry_of(fast)
    monkeypatch.setattr(idgen, "letters", seeded_letters(seed))
    ok("-j", str(full), *args)  # CliRunner calls the Typer app: always the full path
    assert fast.read_bytes() == full.read_bytes()
    assert fast_entry == entry_of(full) is not None


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


titles = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30)
tag_lists = st.lists(st.sampled_from(["mq", "amqp", "a+b", "x/y", "z_1", "MQ", "mq"]), max_size=4)


@pytest.mark.parametrize("kind", ["challenge", "takeaway"])
@pytest.mark.parametrize("fmt", ["toml", "json"])
@settings(
    max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    journal=journals(),
    title=titles | st.sampled_from(["Topic a", "program", "C++ and C#", "  spaced  ", "Étude", "T one"]),
    picks=st.lists(st.integers(0, 5), max_size=3),
    texts=st.tuples(notes, notes),
    tags=tag_lists,
)
def test_a_fast_challenge_or_takeaway_is_what_the_full_path_writes(
    kind, fmt, journal, title, picks, texts, tags, tmp_path_factory, ok, capsys
):
    folder = tmp_path_factory.mktemp("same")
    fast, full = folder / f"fast.{fmt}", folder / f"full.{fmt}"
    canonical_file(fast, journal)
    shutil.copyfile(fast, full)
    if kind == "challenge":
        args = ["add", "challenge", title, "--problem", texts[0], "--solution", texts[1]]
    else:
        args = ["add", "takeaway", title, "--text", texts[0]]
    for pick in picks:
        args += ["-t", journal.topics[pick % len(journal.topics)].id]
    for tag in tags:
        args += ["--tag", tag]

    before = fast.read_bytes()
    capsys.readouterr()
    code = fastlane.run(["-j", str(fast), *args])
    said = capsys.readouterr()
    if code is None:
        assert fast.read_bytes() == before
        assert said.err == said.out == ""
    assume(code is not None)
    assert code == 0
    fast_entry = entry_of(fast)  # before the full path writes the entry of the same bytes
    result = ok("-j", str(full), *args)
    assert fast.read_bytes() == full.read_bytes()
    assert fast_entry == entry_of(full) is not None
    assert (said.out, said.err) == (result.stdout, result.stderr)


NOT_TAKEN = [
    [" "],  # no title: the full path says so
    ["x" * 201],
    ["Fine", "-t", "nothing"],
    ["Fine", "-t", "djang"],  # a prefix of two topics
    ["Fine", "-t", "rabbitmq"],  # another topic's name
    ["Fine", "-t", "Django"],
    ["Fine", "--tag", "has space"],
    ["Fine", "--tag", "a,b"],
    ["Fine", "--tag", "x" * 41],
    ["Fine", *(arg for n in range(51) for arg in ("--tag", f"t{n}"))],
    ["Fine \udcff"],
]


@pytest.mark.parametrize(
    "args",
    [
        *NOT_TAKEN,
        ["Fine", "--solution", "   "],
        ["Fine", "--problem", "x" * 20_001],
        ["Fine", "--solution", "x" * 20_001],
        ["Fine", "--problem", "\udcff"],
    ],
)
def test_a_challenge_the_fast_lane_does_not_take_goes_on(learning: Path, args):
    before = learning.read_bytes()
    assert fastlane.run(["-j", str(learning), "add", "challenge", *args]) is None
    assert learning.read_bytes() == before


@pytest.mark.parametrize(
    "args", [*NOT_TAKEN, ["Fine", "--text", "x" * 20_001], ["Fine", "--text", "\udcff"], ["\t"]]
)
def test_a_takeaway_the_fast_lane_does_not_take_goes_on(learning: Path, args):
    before = learning.read_bytes()
    assert fastlane.run(["-j", str(learning), "add", "takeaway", *args]) is None
    assert learning.read_bytes() == before


def test_a_takeaway_goes_on_when_its_section_is_new_to_a_json_file(tmp_path: Path):
    path = tmp_path / "journal.json"
    canonical_file(path, Journal(topics=[Topic(id="django", name="Django", created=STAMP, updated=STAMP)]))
    before = path.read_bytes()
    assert fastlane.run(["-j", str(path), "add", "takeaway", "Test first"]) is None
    assert path.read_bytes() == before


@pytest.mark.parametrize("kind", ["challenge", "takeaway"])
def test_an_entry_titled_programme_gets_an_id_edit_can_reach(learning: Path, kind, ok, capsys):
    # `nexus edit programme` edits the programme: neither spelling may be an entry's id.
    assert fastlane.run(["-j", str(learning), "add", kind, "Programme"]) == 0
    ok("-j", str(learning), "add", kind, "Program")  # the full path
    ok("-j", str(learning), "add", "topic", "Programme")
    journal = store.load_journal(learning)
    added = [e.id for e in (journal.challenges if kind == "challenge" else journal.takeaways)]
    assert added == ["programme-2", "program-2"]
    assert journal.topics[-1].id == "programme-3"


def test_the_fast_lane_adds_a_challenge(learning: Path, capsys):
    args = ["add", "challenge", "Django", "-t", "kub", "-t", "dock", "-t", "kubernetes", "--tag", "ops"]
    assert fastlane.run(["-j", str(learning), *args, "--solution", "read the docs"]) == 0
    assert capsys.readouterr().err == "✓ added resolved challenge django-2\n"  # `django` is a topic's id
    challenge = store.load_journal(learning).challenges[-1]
    assert (challenge.id, challenge.topics, challenge.tags) == ("django-2", ["kubernetes", "docker"], ["ops"])
    assert challenge.status.value == "resolved" and challenge.resolved == challenge.opened


def test_the_fast_lane_adds_a_takeaway(learning: Path, capsys):
    args = ["add", "takeaway", "Django", "-t", "kub", "-t", "dock", "-t", "kubernetes", "--tag", "ops"]
    assert fastlane.run(["-j", str(learning), *args, "--tag", "ops", "--text", "read the docs"]) == 0
    assert capsys.readouterr().err == "✓ added takeaway django-2\n"  # `django` is a topic's id
    journal = store.load_journal(learning)
    takeaway = journal.takeaways[-1]
    assert (takeaway.id, takeaway.title, takeaway.text) == ("django-2", "Django", "read the docs")
    assert (takeaway.topics, takeaway.tags, takeaway.reviews) == (["kubernetes", "docker"], ["ops"], [])
    assert takeaway.created == dt.datetime(2026, 11, 28, 18, tzinfo=dt.UTC)  # support.NOW
    assert fastlane.run(["-j", str(learning), "add", "takeaway", "Django"]) == 0
    assert capsys.readouterr().err == "✓ added takeaway django-3\n"  # the new one's id is taken too


def test_an_old_repeated_id_the_new_session_moves_is_logged_both_ways(
    journal_path: Path, tmp_path: Path, nexus, monkeypatch
):
    # validate names a repeated id by its first use (sessions[N]); a session logged
    # before it moves N, which is no new problem: both paths log it, the same way.
    topic = Topic(id="django", name="Django", status="learning", created=STAMP, updated=STAMP)
    sessions = [
        Session(id=sid, topic="django", date=TODAY, minutes=30)
        for sid in ("20261128-aaaa", "20261128-dupe", "20261128-dupe")
    ]
    full = tmp_path / "full.toml"
    canonical_file(journal_path, Journal(topics=[topic], sessions=sessions))
    shutil.copyfile(journal_path, full)
    args = ["log", "django", "1h", "--date", "2026-11-27"]
    monkeypatch.setattr(idgen, "letters", lambda count: "k3fq"[:count])
    assert fastlane.run(["-j", str(journal_path), *args]) == 0
    assert nexus("-j", str(full), *args).exit_code == 0
    assert journal_path.read_bytes() == full.read_bytes()
    assert store.load_journal(journal_path).sessions[0].date == dt.date(2026, 11, 27)


def test_a_busy_lock_is_waited_for_once(learning: Path, monkeypatch, capsys):
    import time

    monkeypatch.setenv("NEXUS_LOCK_TIMEOUT", "0.5")
    before = learning.read_bytes()
    with store.locked(learning):
        started = time.monotonic()
        code = fastlane.run(["-j", str(learning), "log", "django", "1h"])
        waited = time.monotonic() - started
    assert code == 2  # said here, not handed on to wait again on the normal path
    assert capsys.readouterr().err.startswith("error: ")
    assert waited < 2 * 0.5 + 0.4
    assert learning.read_bytes() == before


def test_a_reader_gone_from_stderr_after_the_write_is_not_a_failure(learning: Path, monkeypatch):
    from nexus_cli import ui

    def gone(message: str) -> None:
        raise BrokenPipeError

    monkeypatch.setattr(ui, "success", gone)
    before = learning.read_bytes()
    assert fastlane.run(["-j", str(learning), "log", "django", "1h"]) == 0
    assert learning.read_bytes() != before  # saved, as the root app would say with exit 0


def test_debug_anywhere_goes_the_normal_path(learning: Path):
    # The root app turns tracebacks on for `--debug` wherever it is, even as a note.
    assert fastlane.recognise(["log", "django", "1h", "--note", "--debug"]) is not None
    assert fastlane.run(["-j", str(learning), "log", "django", "1h", "--note", "--debug"]) is None


def test_both_paths_say_the_same_words(learning: Path, nexus, capsys, monkeypatch):
    monkeypatch.setattr(idgen, "letters", lambda count: "k3fq"[:count])
    args = ["-j", str(learning), "log", "django", "1h30m", "-d", "yesterday"]
    assert fastlane.run(args) == 0
    fast = capsys.readouterr().err
    monkeypatch.setattr(idgen, "letters", lambda count: "k4fq"[:count])
    full = nexus(*args).stderr
    assert fast == "✓ logged 1h30m of django on 2026-11-27 (20261127-k3fq)\n"
    assert full == fast.replace("k3fq", "k4fq")


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
    assert list(Challenge.model_fields) == [
        "id", "title", "topics", "problem", "solution", "status", "tags", "opened", "resolved",
    ]  # fmt: skip
    assert list(Takeaway.model_fields) == ["id", "title", "text", "topics", "tags", "created", "reviews"]


# --- the dashboard -------------------------------------------------------------------


@pytest.mark.parametrize("root", [[], ["--no-color"]])
def test_the_fast_lane_prints_the_dashboard_the_command_prints(learning: Path, root, nexus, ok, capsys):
    ok("-j", str(learning), "log", "django", "1h30m", "-d", "yesterday")  # hours, a streak
    full = nexus(*root, "-j", str(learning), "progress")
    assert fastlane.run([*root, "-j", str(learning), "progress"]) == 0
    fast = capsys.readouterr()
    assert "Django" in fast.out and "1h30m" in fast.out
    assert (fast.out, fast.err) == (full.stdout, full.stderr)


@pytest.mark.parametrize("query", ["django", "django-rest", "kub", "RabbitMQ", "20261128-aaaa"])
def test_the_fast_lane_shows_an_entry_as_the_command_does(learning: Path, query, nexus, capsys):
    full = nexus("-j", str(learning), "show", query)
    assert full.exit_code == 0, full.stderr
    assert fastlane.run(["-j", str(learning), "show", query]) == 0
    fast = capsys.readouterr()
    assert fast.out.strip()
    assert (fast.out, fast.err) == (full.stdout, full.stderr)


@pytest.mark.parametrize("query", ["djang", "nothing", " ", ""])
def test_an_entry_the_fast_lane_cannot_find_is_said_as_the_command_says_it(
    learning: Path, query, nexus, monkeypatch, capsys
):
    full = nexus("-j", str(learning), "show", query)
    loads = []
    monkeypatch.setattr(
        store, "load_journal", lambda path, load=store.load_journal: loads.append(path) or load(path)
    )
    assert fastlane.run(["-j", str(learning), "show", query]) == full.exit_code != 0
    assert capsys.readouterr() == ("", full.stderr)
    assert len(loads) == 1  # said here: not read again on the normal path, for a typo
    if not query.strip():
        assert full.stderr.startswith("error: give the id of an entry\n")


def test_an_empty_journal_gets_the_same_first_steps(journal_path: Path, nexus, capsys):
    canonical_file(journal_path, Journal())
    assert fastlane.run(["-j", str(journal_path), "progress"]) == 0
    fast = capsys.readouterr()
    assert fast.out == "" and "nexus add topic" in fast.err
    assert fast.err == nexus("-j", str(journal_path), "progress").stderr


@pytest.mark.parametrize("content", [None, "topics = 3\n", "[[topics]]\nid = 'x'\n"])
def test_a_journal_the_dashboard_cannot_read_is_said_as_the_command_says_it(
    journal_path: Path, content, nexus, capsys
):
    if content is not None:
        journal_path.write_text(content, encoding="utf-8")
    full = nexus("-j", str(journal_path), "progress")
    assert fastlane.run(["-j", str(journal_path), "progress"]) == full.exit_code != 0
    assert capsys.readouterr() == ("", full.stderr)
    assert full.stderr.startswith("error: ")


def test_an_unexpected_error_before_the_view_goes_the_normal_path(learning: Path, monkeypatch, capsys):
    def broken(path):
        raise RuntimeError("not nexus's own")

    monkeypatch.setattr(store, "load_journal", broken)
    assert fastlane.run(["-j", str(learning), "progress"]) is None
    assert capsys.readouterr() == ("", "")  # the normal path words it, or meets none


def test_ctrl_c_while_the_journal_loads_is_exit_130(learning: Path, monkeypatch, capsys):
    def interrupt(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "load_journal", interrupt)
    assert fastlane.run(["-j", str(learning), "progress"]) == 130
    assert capsys.readouterr().err == "error: interrupted\n"


def test_a_failure_while_printing_is_said_once(learning: Path, monkeypatch, capsys):
    from nexus_cli import views

    def refuse(journal):
        raise OSError(28, "No space left on device")  # stdout's: no path to hint at

    monkeypatch.setattr(views, "print_progress", refuse)
    assert fastlane.run(["-j", str(learning), "progress"]) == 2
    err = capsys.readouterr().err
    assert err == "error: No space left on device\n"


def test_ctrl_c_while_the_view_prints_is_exit_130(learning: Path, monkeypatch, capsys):
    from nexus_cli import views

    def interrupt(journal, entry):
        raise KeyboardInterrupt

    monkeypatch.setattr(views, "print_entry", interrupt)
    assert fastlane.run(["-j", str(learning), "show", "django"]) == 130
    assert capsys.readouterr().err == "error: interrupted\n"


# --- from the installed command -----------------------------------------------------


@pytest.mark.slow
def test_the_installed_commands_take_the_fast_lane_and_read_the_same(learning: Path, nexus):
    import subprocess

    installed = str(Path(sys.executable).parent / "nexus")  # the console script beside this python
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    for args, said in (
        (["log", "django", "1h", "--note", "forms"], "✓ logged 1h of django on 2026-11-28 (20261128-"),
        (
            ["add", "challenge", "Pods pending", "-t", "kub", "--tag", "k8s"],
            "\n✓ added open challenge pods-pending\n",
        ),
        (
            ["add", "takeaway", "Probes first", "-t", "kub", "--text", "ready"],
            "\n✓ added takeaway probes-first\n",
        ),
    ):
        done = subprocess.run(
            [installed, "-j", str(learning), *args], capture_output=True, text=True, env=env, check=False
        )
        assert done.returncode == 0, done.stderr
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
        assert not imported & {"typer", "pydantic", "pydantic_core", "rich", "nexus_cli.root"}
        assert said in done.stderr
    for view in (["progress"], ["show", "kub"]):
        done = subprocess.run(
            [installed, "-j", str(learning), *view],
            capture_output=True, text=True, env=env, check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
        assert "rich" in imported and not imported & {"typer", "click", "nexus_cli.root"}
        assert done.stdout == nexus("-j", str(learning), *view).stdout
    # A reader that goes away before the dashboard is written: it stops quietly, as on the normal path.
    shell = f"set -o pipefail; '{installed}' -j '{learning}' progress | true"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    # An error goes the normal path: the same words and exit code as the Typer app's.
    for args in (
        ["log", "djnago", "1h"],
        ["log", "django", "90"],
        ["log", "kub", "1h", "--date", "2026-12-01"],
        ["add", "challenge", "Again", "-t", "nothing"],
        ["add", "challenge", " "],
        ["add", "takeaway", "Again", "-t", "nothing"],
        ["add", "takeaway", "Again", "--tag", "a,b"],
        ["add", "takeaway", " "],
        ["add", "takeaway", "x" * 201],
    ):
        done = subprocess.run([installed, "-j", str(learning), *args], capture_output=True, text=True)
        expected = nexus("-j", str(learning), *args)
        assert (done.returncode, done.stderr) == (expected.exit_code, expected.stderr)
        assert done.returncode != 0 and done.stderr.startswith("error: ")
