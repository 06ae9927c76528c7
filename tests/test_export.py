"""`nexus export`: the portfolio README, journal files and CSV tables."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest

from golden_plugin import check
from nexus_cli.core import store
from nexus_cli.core.convert.markdown_export import GENERATED_LINE, export_markdown, inline, paragraphs
from nexus_cli.core.convert.tabular import COLUMNS
from nexus_cli.core.models import Journal

# The same paths as tests/conftest.py; importing `conftest` by name can pick up another
# folder's conftest.py when the whole suite runs.
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "prodev-backend.toml"


# --- Markdown -----------------------------------------------------------------


def test_markdown_of_the_demo_matches_golden(ok, request):
    result = ok("-j", str(EXAMPLE), "export", "markdown")
    check(request.config, "export/prodev-backend.md", result.stdout)


def test_markdown_of_the_demo_has_every_section_in_order(ok):
    text = ok("-j", str(EXAMPLE), "export", "markdown").stdout
    headings = re.findall(r"^#+ .*$", text, re.M)
    assert headings == [
        "# ProDev Backend Engineering",
        "## Overview",
        "## Major Learnings",
        "### Key Technologies Covered",
        "### Key Concepts",
        "## Challenges and Solutions",
        "## Best Practices and Takeaways",
        "## Progress",
    ]
    journal = store.loads(EXAMPLE.read_text(encoding="utf-8"), "toml")
    for topic in journal.topics:
        assert f"**{topic.name}**: {topic.notes}" in text
    for challenge in journal.challenges:
        assert f"**{challenge.title}**" in text
        assert challenge.problem in text
        assert f"**Solution:** {challenge.solution}" in text
    for takeaway in journal.takeaways:
        assert f"- **{takeaway.title}**: {takeaway.text}" in text
    # Subtopics are nested under their parent; the table lists top-level topics only.
    assert "- **Python**:" in text and "\n  - **Decorators**:" in text
    assert "| Python | Confident |" in text and "| Decorators |" not in text


def test_markdown_is_deterministic(ok):
    first = ok("-j", str(EXAMPLE), "export", "markdown").stdout
    assert first == ok("-j", str(EXAMPLE), "export", "markdown").stdout


def test_progress_hours_include_subtopics(ok, started):
    text = ok("export", "markdown").stdout
    # Python 1h30m + Decorators 45m; Django has no time and stays "planned".
    assert "| Python | Learning | 2h15m |" in text  # hours as the terminal shows them, not 2.2
    assert "| Django | Planned | — |" in text
    assert "| **Total** | | **2h15m** |" in text
    assert "2h15m of study in 2 sessions" in text


def test_markdown_with_svg_writes_the_picture_and_links_it(ok, nexus, started, tmp_path):
    (tmp_path / "site" / "img").mkdir(parents=True)
    readme, picture = tmp_path / "site" / "README.md", tmp_path / "site" / "img" / "progress.svg"
    ok("export", "markdown", "-o", str(readme), "--with-svg", str(picture))
    assert picture.read_text().startswith("<svg")
    assert "![The progress dashboard](img/progress.svg)" in readme.read_text()
    # on stdout the link is relative to the current folder
    assert "](site/img/progress.svg)" in ok("export", "markdown", "--with-svg", str(picture)).stdout
    refused = nexus("export", "json", "--with-svg", str(picture))
    assert refused.exit_code == 2 and "only applies to markdown" in refused.stderr


def test_with_svg_never_replaces_a_picture_or_readme_nexus_did_not_write(ok, nexus, started, tmp_path):
    picture, readme = tmp_path / "pic.svg", tmp_path / "README.md"
    picture.write_text("<svg>drawn by hand</svg>", encoding="utf-8")
    refused = nexus("export", "markdown", "-o", str(readme), "--with-svg", str(picture))
    assert refused.exit_code == 2 and "pic.svg exists and nexus did not write it" in refused.stderr
    assert picture.read_text(encoding="utf-8") == "<svg>drawn by hand</svg>" and not readme.exists()
    picture.unlink()
    readme.write_text("# My own words\n", encoding="utf-8")
    refused = nexus("export", "markdown", "-o", str(readme), "--with-svg", str(picture))
    assert refused.exit_code == 2 and not picture.exists()  # the README is checked before the picture is made
    readme.unlink()
    ok("export", "markdown", "-o", str(readme), "--with-svg", str(picture))
    ok("export", "markdown", "-o", str(readme), "--with-svg", str(picture))  # nexus's own files: replaced


def test_programme_flags_on_an_entry_are_refused_not_ignored(nexus, started, monkeypatch):
    monkeypatch.setenv("EDITOR", "false")  # reaching the editor would be the bug
    before = started.read_bytes()
    for flag, value in (("--ends", "2027-01-01"), ("--starts", "2026-01-01"), ("--description", "x")):
        result = nexus("edit", "django", flag, value)
        assert result.exit_code == 2 and f"{flag} belongs to the programme" in result.stderr
    assert started.read_bytes() == before


def test_empty_sections_are_left_out(ok):
    ok("init", "--program", "Bare")
    text = ok("export", "markdown").stdout
    assert text == f"# Bare\n\n{GENERATED_LINE}\n"


def test_open_challenge_says_so(ok, started):
    ok("add", "challenge", "Async views", "--problem", "Views block on I/O.")
    text = ok("export", "markdown").stdout
    assert "**Async views**\n\nViews block on I/O.\n\n*Not solved yet.*\n" in text


HOSTILE = [
    "# Heading",
    "x | y",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "**bold** and _em_",
    "line\n# second",
    "`code`",
    "![img](http://x/y.png)",
    "&lt;b&gt;",
    "- not a list",
    "1. not a list",
    "> not a quote",
    "---",
    "===",
    "back\\slash\\",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_stays_text(text):
    line = inline(text)
    assert "\n" not in line
    assert not line.startswith("#")
    assert not re.search(r"(?<!\\)<[a-z/!?]", line, re.I), line
    assert "javascript:" not in line.lower()
    assert re.search(r"(?<!\\)[|\[\]`*]", line) is None, line
    for paragraph in paragraphs(text):
        assert not re.match(r"^(#|[-+>=]|\d+[.)]|<[a-z])", paragraph), paragraph


def test_hostile_titles_cannot_add_headings_rows_html_or_links(ok, tmp_path):
    ok("init", "--program", "# Pwned | <script>x</script>")
    ok("add", "topic", "Evil | name", "--notes", "[x](javascript:alert(1)) <img src=x onerror=y>")
    ok("add", "topic", "## Fake heading")
    ok("log", "evil-name", "1h")
    ok("add", "challenge", "**bold** [link](javascript:void(0))", "--problem", "# not a heading\n\n| a | b |")
    ok("add", "takeaway", "<b>x</b>", "--text", "javascript:alert(1)")
    text = ok("export", "markdown").stdout
    headings = re.findall(r"^#+ .*$", text, re.M)
    assert headings == [
        "# \\# Pwned \\| \\<script>x\\</script>",
        "## Major Learnings",
        "### Key Technologies Covered",
        "## Challenges and Solutions",
        "## Best Practices and Takeaways",
        "## Progress",
    ]
    assert "javascript:" not in text.lower()
    assert not re.search(r"(?<!\\)<[a-z/]", text, re.I)
    table = [line for line in text.splitlines() if line.startswith("|")]
    for row in table:
        assert len(re.findall(r"(?<!\\)\|", row)) == 4, row


# --- JSON / TOML ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_journal_export_is_loadable_and_identical(ok, demo, fmt):
    text = ok("export", fmt).stdout
    original = store.loads(demo.read_text(encoding="utf-8"), "toml")
    assert store.loads(text, fmt) == original
    assert text == store.dumps(original, fmt)


def test_output_file_is_written_atomically_without_backup(ok, demo, tmp_path):
    target = tmp_path / "out" / "README.md"
    target.parent.mkdir()
    result = ok("export", "markdown", "-o", str(target))
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("# ProDev Backend Engineering\n")
    ok("export", "markdown", "-o", str(target))
    assert sorted(p.name for p in target.parent.iterdir()) == ["README.md"]


def test_refuses_to_export_over_the_journal(nexus, demo):
    before = demo.read_bytes()
    result = nexus("export", "json", "-o", str(demo))
    assert result.exit_code == 2
    assert "journal itself" in result.stderr
    assert demo.read_bytes() == before


def test_refuses_to_export_over_the_journal_through_a_symlink(nexus, demo, tmp_path):
    link = tmp_path / "link.toml"
    link.symlink_to(demo)
    before = demo.read_bytes()
    assert nexus("export", "toml", "-o", str(link)).exit_code == 2
    assert demo.read_bytes() == before


def test_missing_journal_is_a_clear_error(nexus):
    result = nexus("export", "markdown")
    assert result.exit_code == 2
    assert "no journal" in result.stderr


# --- CSV -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sessions", "topics", "challenges", "takeaways"])
def test_csv_parses_back_to_the_same_cells(ok, demo, kind, tmp_path):
    out = tmp_path / f"{kind}.csv"
    ok("export", "csv", "--kind", kind, "-o", str(out))
    text = out.read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    entry_kind = kind[:-1]
    assert tuple(rows[0]) == COLUMNS[entry_kind]
    records = json.loads(ok("list", kind, "--format", "json").stdout)
    assert len(rows) - 1 == len(records)
    for row, record in zip(rows[1:], records, strict=True):
        for column, cell in zip(rows[0], row, strict=True):
            value = record.get(column)
            expected = ";".join(map(str, value)) if isinstance(value, list) else value
            expected = "" if expected is None else str(expected)
            if isinstance(value, bool):
                expected = "true" if value else "false"
            assert cell.removeprefix("'") == expected or cell == expected, (column, cell, expected)
    assert text.endswith("\r\n") and text.count("\r\n") >= len(rows)


def test_csv_defuses_formulas_and_quotes_per_rfc4180(ok):
    ok("init")
    ok("add", "topic", "Formulas", "--notes", '=HYPERLINK("http://x","y"), then "quotes"')
    ok("add", "takeaway", "+cmd", "--text", "@SUM(A1)\nsecond line")
    ok("add", "takeaway", "Tabbed", "--text", "\tstarts with a tab")
    topics = list(csv.reader(io.StringIO(ok("export", "csv", "--kind", "topics").stdout, newline="")))
    notes = topics[1][topics[0].index("notes")]
    assert notes == '\'=HYPERLINK("http://x","y"), then "quotes"'
    takeaways = list(csv.reader(io.StringIO(ok("export", "csv", "-k", "takeaways").stdout, newline="")))
    header = takeaways[0]
    assert takeaways[1][header.index("title")] == "'+cmd"
    assert takeaways[1][header.index("text")] == "'@SUM(A1)\nsecond line"
    assert takeaways[2][header.index("text")] == "'\tstarts with a tab"


def test_csv_needs_a_kind_and_only_csv_takes_one(nexus, demo):
    result = nexus("export", "csv")
    assert result.exit_code == 2 and "--kind" in result.stderr
    result = nexus("export", "json", "--kind", "topics")
    assert result.exit_code == 2 and "only applies to csv" in result.stderr


def test_unknown_format_is_a_usage_error(nexus, demo):
    assert nexus("export", "yaml").exit_code == 2


def test_export_markdown_of_an_empty_journal_is_just_a_title():
    assert export_markdown(Journal()) == f"# Learning Journal\n\n{GENERATED_LINE}\n"


def test_a_new_readme_gets_the_usual_file_mode_and_journal_copies_stay_private(ok, demo, tmp_path):
    old = os.umask(0o022)
    try:
        ok("export", "markdown", "-o", str(tmp_path / "README.md"))
        ok("export", "json", "-o", str(tmp_path / "copy.json"))
    finally:
        os.umask(old)
    assert (tmp_path / "README.md").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "copy.json").stat().st_mode & 0o777 == 0o600


def test_topics_with_a_missing_or_looping_parent_are_still_listed():
    import datetime as dt

    from nexus_cli.core.models import Topic

    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    journal = Journal(
        topics=[
            Topic(id="a", name="Alpha", parent="b", created=now, updated=now),
            Topic(id="b", name="Beta", parent="a", created=now, updated=now),
            Topic(id="c", name="Gamma", parent="gone", created=now, updated=now),
        ]
    )
    text = export_markdown(journal)
    for name in ("Alpha", "Beta", "Gamma"):
        assert text.count(f"**{name}**") == 1
