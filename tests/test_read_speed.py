"""The fast paths of `show` and `progress` find and draw what the plain ones did, and import little."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from nexus_cli.core import pace, store
from nexus_cli.core.errors import NexusError
from nexus_cli.core.ids import entries, resolve
from nexus_cli.core.models import Challenge, Journal, Session, Topic
from nexus_cli.core.stats import compute
from nexus_cli.render import progress, quicktable
from nexus_cli.render.quicktable import QuickListView
from nexus_cli.render.tables import ListView
from nexus_cli.views import find_entry
from strategies import journals
from support import EXAMPLE, examples

NOW = dt.datetime(2026, 11, 28, 18, tzinfo=dt.UTC)
TODAY = NOW.date()
COLOURS = (None, "standard", "256", "truecolor")


def printed(
    renderable: object, width: int, colour: str | None, *, rich_tree: bool, justify: bool = False
) -> str:
    """Print as nexus does (no markup, no highlighting); with `rich_tree`, every tree drawn by Rich itself."""
    console = Console(
        file=io.StringIO(),
        width=width,
        color_system=colour,
        force_terminal=colour is not None,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
    )
    if rich_tree:
        with patch.object(progress._Tree, "__rich_console__", Tree.__rich_console__):
            console.print(renderable, justify="left" if justify else None)
    else:
        console.print(renderable, justify="left" if justify else None)
    return console.file.getvalue()  # type: ignore[attr-defined]


def assert_same_drawing(journal: Journal, widths: list[int], *, every_topic: bool = False) -> None:
    tree = progress.topic_tree(journal, compute(journal, TODAY), every_topic=every_topic)
    dashboard = progress.render_progress(journal, compute(journal, TODAY), every_topic=every_topic, now=NOW)
    for width in widths:
        for colour in COLOURS:
            for view in (tree, dashboard):
                fast = printed(view, width, colour, rich_tree=False)
                assert fast == printed(view, width, colour, rich_tree=True), (width, colour)
            # justified output (a tree in a table cell) is left to Rich: still the same text
            justified = printed(tree, width, colour, rich_tree=False, justify=True)
            assert justified == printed(tree, width, colour, rich_tree=True, justify=True)


def a_big_journal() -> Journal:
    """Past the fold (more than 60 topics), a chain deeper than the tree draws, wide and long names."""
    topics = [
        Topic(
            id=f"t{n}",
            name=("名前" * (n % 7)) + f"Topic {n}" + (" with a long name that wraps" * (n % 3)),
            category=("technology", "concept")[n % 2],
            parent=f"t{n - 1}" if 0 < n < 20 else (f"t{n % 20}" if n >= 40 else None),
            status=("planned", "learning", "practicing", "confident")[n % 4],
            target_hours=(None, 10.0, 40.0)[n % 3],
            created=NOW,
            updated=NOW,
        )
        for n in range(70)
    ]
    challenges = [
        Challenge(id=f"c{n}", title=f"Problem {n}" + " 问题" * (n % 4), topics=[f"t{n % 70}"], opened=NOW)
        for n in range(90)
    ]
    challenges.append(Challenge(id="lost", title="No topic", topics=["gone"], opened=NOW))
    sessions = [
        Session(id=f"s{n}", topic=f"t{n % 70}", date=TODAY - dt.timedelta(days=n % 400), minutes=15 + n % 200)
        for n in range(600)
    ]
    return Journal(topics=topics, challenges=challenges, sessions=sessions)


@pytest.mark.slow  # every width and colour mode: the full suite
def test_the_tree_draws_as_rich_draws_it_on_the_example_journal():
    journal = store.load_journal(EXAMPLE)
    assert_same_drawing(journal, [20, 30, 40, 59, 60, 61, 80, 100, 140, 200])
    assert_same_drawing(journal, [40, 100], every_topic=True)


@pytest.mark.slow
def test_the_tree_draws_as_rich_draws_it_past_the_fold_and_deep():
    journal = a_big_journal()
    assert_same_drawing(journal, [12, 35, 60, 100, 160])
    assert_same_drawing(journal, [35, 100], every_topic=True)


@settings(deadline=None, max_examples=examples(60))
@given(journal=journals(), width=st.integers(1, 160))
def test_the_tree_draws_as_rich_draws_it_for_any_journal(journal, width):
    assert_same_drawing(journal, [width])


def test_the_tree_in_a_table_cell_is_the_same():
    journal = store.load_journal(EXAMPLE)
    grid = Table.grid()
    grid.add_column()
    grid.add_row(progress.topic_tree(journal, compute(journal, TODAY)))
    for colour in COLOURS:
        assert printed(grid, 90, colour, rich_tree=False) == printed(grid, 90, colour, rich_tree=True)


@settings(deadline=None, max_examples=examples(60))
@given(journal=journals())
def test_pace_from_the_dashboards_numbers_is_the_same(journal):
    assert pace.summarize(journal, TODAY, known=compute(journal, TODAY)) == pace.summarize(journal, TODAY)


def outcome(find, journal: Journal, query: str) -> object:
    try:
        return find(journal, query)
    except NexusError as error:
        return (type(error), str(error))


def test_show_finds_what_resolve_finds():
    journal = store.load_journal(EXAMPLE)
    queries = ["", " ", "zzz", "djnago", "d", "s", "c", "Django", "DJANGO", "rest apis", "python "]
    for entry in entries(journal):
        queries += [entry.id, entry.id[:3], entry.id.upper(), f" {entry.id} "]
    for query in queries:
        assert outcome(find_entry, journal, query) == outcome(resolve, journal, query), query


# --- what the read commands import -------------------------------------------------------------------

PROBE = """
import atexit, json, sys
def report():
    print("\\nPROBE " + json.dumps(sorted(sys.modules)))
atexit.register(report)
sys.argv = ["nexus", ARGS]
from nexus_cli.cli import main
main()
"""


def imported(*args: str) -> set[str]:
    code = PROBE.replace("ARGS", json.dumps(list(args))[1:-1])
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "PROBE " in run.stdout, run.stderr
    return set(json.loads(run.stdout.rpartition("\nPROBE ")[2]))


def commands_in(modules: set[str]) -> list[str]:
    return sorted(
        m for m in modules if m.startswith("nexus_cli.commands.") and m != "nexus_cli.commands.table"
    )


# a cached journal needs no TOML parser, no plugin scan, no checks and no converters
NEVER_FOR_A_READ = {"tomllib", "importlib.metadata", "markdown_it", "nexus_cli.core.check"}


@pytest.mark.slow
def test_show_imports_neither_typer_the_dashboard_nor_its_rich_parts(journal_path: Path, started: Path):
    loaded = imported("-j", str(journal_path), "show", "python")
    assert commands_in(loaded) == [] and "typer" not in loaded  # the fast lane's view
    unwanted = {
        "nexus_cli.render.progress",
        "nexus_cli.core.pace",
        "rich.tree",
        "rich.panel",
        "nexus_cli.core.convert",
    }
    assert not (unwanted | NEVER_FOR_A_READ) & loaded


@pytest.mark.slow
def test_progress_imports_no_command_and_no_typer(journal_path: Path, started: Path):
    loaded = imported("-j", str(journal_path), "progress")
    assert commands_in(loaded) == [] and "typer" not in loaded  # the fast lane's view
    assert not (NEVER_FOR_A_READ | {"nexus_cli.core.convert"}) & loaded
    assert "nexus_cli.render.html" not in loaded  # only --html needs it


@pytest.mark.slow
def test_progress_with_options_imports_only_its_command(journal_path: Path, started: Path):
    loaded = imported("-j", str(journal_path), "progress", "--all")  # not a plain form: through Typer
    assert commands_in(loaded) == ["nexus_cli.commands._common", "nexus_cli.commands.progress"]
    assert not (NEVER_FOR_A_READ | {"nexus_cli.core.convert", "nexus_cli.render.html"}) & loaded


@pytest.mark.slow
def test_stats_table_does_not_import_the_dashboard(journal_path: Path, started: Path):
    loaded = imported("-j", str(journal_path), "stats")
    assert not ({"nexus_cli.render.progress", "rich.tree", "rich.panel"} | NEVER_FOR_A_READ) & loaded


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [("show", "python", "--format", "json"), ("progress", "--format", "json"), ("stats", "--format", "json")],
)
def test_json_reads_import_no_rich(journal_path: Path, started: Path, args: tuple[str, ...]):
    loaded = imported("-j", str(journal_path), *args)
    assert not {m for m in loaded if m == "rich" or m.startswith(("rich.", "nexus_cli.render"))}
    assert not NEVER_FOR_A_READ & loaded


# --- tables drawn without Rich's layout ---------------------------------------------------------------

WORDS = [
    "",
    "a",
    "ab",
    "django",
    "名前",
    "été",
    "x y",
    "  lead",
    "trail  ",
    "—",
    "2h15m",
    "ok",
    "tab\there",
    "a\nb",
]
STYLES = ["", "bold", "dim", "red", "bold magenta", "green on black"]


@st.composite
def cells(draw: st.DrawFn) -> object:
    plain = draw(st.sampled_from(WORDS)) + draw(st.sampled_from(WORDS[:-2]))
    if draw(st.booleans()):
        return plain
    text = Text(plain, style=draw(st.sampled_from(STYLES)))
    if draw(st.booleans()):
        text.append(draw(st.sampled_from(WORDS[:-2])), style=draw(st.sampled_from(STYLES)))
    if len(text) and draw(st.booleans()):
        text.stylize(draw(st.sampled_from(STYLES)), 0, draw(st.integers(0, len(text))))
    return text


@st.composite
def list_views(draw: st.DrawFn) -> tuple[list[str], list[list[object]], set[str]]:
    headers = draw(
        st.lists(st.sampled_from(["id", "name", "time", "status", "", "ヘッダ"]), min_size=1, max_size=5)
    )
    rows = draw(st.lists(st.lists(cells(), min_size=len(headers), max_size=len(headers)), max_size=6))
    return headers, rows, set(draw(st.lists(st.sampled_from(headers))))


@settings(deadline=None, max_examples=examples(150))
@given(view=list_views(), width=st.sampled_from([8, 20, 40, 60, 100, 160]))
def test_a_quick_table_is_the_table_rich_draws(view, width):
    headers, rows, right = view
    for colour in COLOURS:
        quick = printed(QuickListView(headers, rows, right=right), width, colour, rich_tree=False)
        assert quick == printed(ListView(headers, rows, right=right), width, colour, rich_tree=False)


def test_a_one_column_list_narrower_than_its_ids_becomes_cards():
    console = Console(file=io.StringIO(), width=5)
    console.print(ListView(["id"], [["a-long-id"], ["b-long-id"]]))
    assert console.file.getvalue() == "a-lon\ng-id\n\nb-lon\ng-id\n"  # folded, never cut


def test_a_quick_table_is_drawn_without_rich_when_it_fits():
    console = Console(file=io.StringIO(), width=80)
    rows: list[list[object]] = [[Text("django", style="bold"), "Django", "2h"]]
    assert quicktable.draw_table(console, console.options, ["id", "name", "time"], rows, {"time"}) is not None
    assert quicktable.draw_table(console, console.options, ["id", "name"], [["a\nb", "c"]], set()) is None
    narrow = console.options.update_width(8)
    assert quicktable.draw_table(console, narrow, ["id", "name", "time"], rows, set()) is None


def test_stats_and_show_print_the_same_with_quick_tables(ok, demo):
    for args in (["stats"], ["show", "python"], ["show", "django"]):
        for columns in ("40", "80", "200"):
            quick = ok(*args, env={"COLUMNS": columns}).output
            with patch.object(quicktable, "draw_table", lambda *_args: None):
                assert ok(*args, env={"COLUMNS": columns}).output == quick, (args, columns)
