"""README shapes real learners write: a corpus of our own READMEs, each with what it holds."""

from __future__ import annotations

import os
import re
import threading
import time
import tomllib
from pathlib import Path

import pytest

from nexus_cli.core.convert.markdown_import import decode_readme, parse_readme
from nexus_cli.core.errors import InputError
from readme_scoring import key, report, score_folder

CORPUS = Path(__file__).parent / "data" / "readmes"
READMES = sorted(CORPUS.glob("*.md"))


def test_the_corpus_has_at_least_twenty_shapes_each_with_its_answers():
    assert len(READMES) >= 20
    for path in READMES:
        assert path.with_suffix(".toml").exists(), path.name


def test_corpus_figures_meet_the_targets():
    total, failures = score_folder(CORPUS)
    figures = report(total, failures)
    assert not failures, figures
    assert total.topics.recall() >= 0.90, figures
    assert total.topics.precision() >= 0.80, figures
    assert total.challenges.recall() >= 0.90, figures
    assert total.solutions() >= 0.90, figures
    assert total.takeaways.recall() >= 0.90, figures
    assert total.takeaways.precision() >= 0.85, figures


@pytest.mark.parametrize("path", READMES, ids=[p.stem for p in READMES])
def test_each_readme_reads_all_it_holds(path):
    expected = tomllib.loads(path.with_suffix(".toml").read_text(encoding="utf-8"))
    readme = parse_readme(decode_readme(path.read_bytes(), path.name))
    assert {key(t.name) for t in readme.topics} >= {key(n) for n in expected["topics"]}
    assert {key(c.title) for c in readme.challenges} >= {key(n) for n in expected["challenges"]}
    assert {key(t.title) for t in readme.takeaways} >= {key(n) for n in expected["takeaways"]}
    unsolved = {key(t) for t in expected["unsolved"]}
    for challenge in readme.challenges:
        if key(challenge.title) in {key(n) for n in expected["challenges"]} - unsolved:
            assert challenge.solution, challenge.title
        if key(challenge.title) in unsolved:
            assert not challenge.resolved, challenge.title


def _read(name: str):
    path = CORPUS / name
    return parse_readme(decode_readme(path.read_bytes(), name))


# --- precision: what is not a topic stays out, and what is said goes where it belongs -----------


def test_detail_bullets_become_notes_not_topics():
    readme = _read("06-nested-lists.md")
    topics = {t.name: t for t in readme.topics}
    assert "Choosing keys and normal forms" not in topics
    assert (
        topics["Database Design"].notes
        == "Choosing keys and normal forms; Writing migrations that can be rolled back"
    )
    numbered = {t.name: t for t in _read("02-numbered-bold-headings.md").topics}
    assert set(numbered) == {"Python", "Django", "Docker"}
    assert numbered["Python"].notes.startswith("Core syntax, comprehensions and typing")


def test_a_category_goes_into_category_and_a_concept_under_a_technology_is_its_subtopic():
    topics = {t.name: t for t in _read("06-nested-lists.md").topics}
    assert topics["REST APIs"].category == "api-development"
    assert topics["Decorators"].parent == "Python"
    assert topics["Decorators"].notes == "functions that wrap other functions"
    listed = {t.name: t for t in _read("05-category-lists.md").topics}
    assert listed["Bash"].category == "languages"
    assert listed["SQLite"].category == "databases"
    tabled = {t.name: t for t in _read("07-tech-tables.md").topics}
    assert tabled["Kafka"].category == "messaging"
    assert tabled["Idempotency"].notes == "Retrying never changes the result twice"


def test_descriptions_go_into_notes_whatever_the_separator():
    topics = {t.name: t.notes for t in _read("01-emoji-headings.md").topics}
    assert topics == {
        "Python": "the language behind every project",
        "FastAPI": "typed request handlers and automatic docs",
        "PostgreSQL": "tables, indexes and migrations",
        "Redis": "a cache in front of slow queries",
    }


def test_boilerplate_links_code_and_comments_give_nothing():
    readme = _read("16-noise-heavy.md")
    names = [t.name for t in readme.topics]
    assert names == ["Python", "GraphQL", "Message Queues"]
    assert [t.title for t in readme.takeaways] == ["Limit what clients can ask for"]
    reasons = {s.title: s.reason for s in readme.skipped()}
    assert reasons["Collaboration – Key to Success"] == "not study content"
    assert reasons["Next Steps"] == "plans, not what was learned"
    assert reasons["Project Objective"] == "the programme brief's boilerplate"
    assert reasons["Useful Links"].startswith("links")


def test_challenge_parts_are_kept_apart():
    first = _read("11-problem-cause-blocks.md").challenges[0]
    assert first.problem.startswith("Welcome emails were queued")
    assert "different queue name" in first.problem
    assert first.solution.startswith("Logged the routing key")
    assert "one shared setting" in first.solution
    assert first.resolved
    three = _read("09-challenge-tables-3col.md").challenges[0]
    assert (three.title, three.problem, three.solution) == (
        "Hydration errors",
        "Server and client rendered different dates",
        "Formatted dates only on the client",
    )
    paired = _read("13-separate-lists.md").challenges
    assert paired[2].solution == "Switched to a slim base image and a multi-stage build"


def test_a_tech_stack_is_read_only_when_there_is_no_other_list():
    assert [t.name for t in _read("08-tech-stack-only.md").topics][:1] == ["Django"]
    text = "# P\n\n## Tech Stack\n\n- Vue\n\n## Technologies I Learned\n\n- Go\n"
    assert [t.name for t in parse_readme(text).topics] == ["Go"]


# --- encodings -------------------------------------------------------------------------------------

BASE = (CORPUS / "01-emoji-headings.md").read_text(encoding="utf-8")
BASE_TOPICS = [t.name for t in parse_readme(BASE).topics]


@pytest.mark.parametrize(
    "raw",
    [
        BASE.encode("utf-8"),
        b"\xef\xbb\xbf" + BASE.encode("utf-8"),
        BASE.encode("utf-16"),  # with its BOM
        "\ufeff".encode("utf-16-be") + BASE.encode("utf-16-be"),
        BASE.replace("\n", "\r\n").encode("utf-8"),
        b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode("utf-8") + b"\xff",
        BASE.encode("utf-8") + b"\x1a",
    ],
    ids=["utf8", "utf8-bom", "utf16-le", "utf16-be", "crlf", "bom-crlf-stray-byte", "ctrl-z"],
)
def test_encodings_read_the_same(raw):
    readme = parse_readme(decode_readme(raw, "README.md"))
    assert [t.name for t in readme.topics] == BASE_TOPICS
    assert len(readme.challenges) == 2 and all(c.solution for c in readme.challenges)


@pytest.mark.parametrize(
    "raw",
    [bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "# T\n".encode("utf-16-le")],
    ids=["binary", "png", "utf16-without-bom"],
)
def test_a_file_that_is_not_text_is_one_clear_error(raw):
    with pytest.raises(InputError, match="is not a text file"):
        decode_readme(raw, "README.md")


def test_every_character_escaped_reads_like_the_plain_readme():
    readme = _read("17-escaped-everything.md")
    assert readme.title == "Study Notes"
    assert readme.notes and "escaped" in readme.notes[0]


# --- bounded cost ---------------------------------------------------------------------------------


def test_ten_thousand_bullets_read_in_linear_time():
    # The < 2 s figure is measured by bench/bench_readme.py; on a shared machine a test only
    # guards against a quadratic step, which would take minutes here.
    text = "# Big\n\n## Technologies\n\n" + "".join(
        f"- **Tool {i}**: used in week {i % 12}\n" for i in range(10_000)
    )
    started = time.perf_counter()
    readme = parse_readme(text)
    assert time.perf_counter() - started < 30
    assert len(readme.topics) == 10_000


@pytest.mark.parametrize(
    "text",
    [
        "## Technologies\n\n" + "".join("  " * i + f"- item{i}\n" for i in range(3000)),
        "## Technologies\n\n" + "- " * 3000 + "deep\n",
        "## Technologies\n\n" + "> " * 3000 + "- quoted\n",
    ],
    ids=["indented", "markers-on-one-line", "quotes"],
)
def test_very_deep_nesting_is_flattened_not_a_recursion_error(text):
    started = time.perf_counter()
    readme = parse_readme(text)
    assert time.perf_counter() - started < 5
    assert any("flattened" in note for note in readme.notes)
    assert readme.topics


def test_hostile_lines_parse_in_linear_time():
    n = 50_000
    for text in [
        "## Challenges\n\n- " + "a -> " * n + "\n",
        "## Technologies\n\n- **" + "a*" * n + "\n",
        "## Challenges\n\n**Challenge:** " + "x. " * n + "\n",
        "## Technologies\n\n- " + "a, " * n + "\n",
    ]:
        started = time.perf_counter()
        parse_readme(text)
        assert time.perf_counter() - started < 10, text[:40]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_device_as_the_readme_is_one_line_not_a_hang(nexus, ok, tmp_path):
    ok("init")
    fifo = tmp_path / "README.md"
    os.mkfifo(fifo)
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.update(result=nexus("import", str(fifo))))
    worker.start()
    worker.join(10)
    if worker.is_alive():  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("import waited on a FIFO")
    result = outcome["result"]
    assert result.exit_code == 2 and "is not a plain file" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    if Path("/dev/zero").exists():
        zero = tmp_path / "zero.md"
        zero.symlink_to("/dev/zero")
        result = nexus("import", str(zero))
        assert result.exit_code == 2 and "is not a plain file" in result.stderr


def test_a_readme_past_the_size_limit_is_refused(nexus, ok, tmp_path, monkeypatch):
    from nexus_cli.core.convert import markdown_import

    ok("init")
    monkeypatch.setattr(markdown_import, "MAX_README_BYTES", 1000)
    big = tmp_path / "README.md"
    big.write_text("## Technologies\n\n" + "- Go\n" * 1000, encoding="utf-8")
    result = nexus("import", str(big))
    assert result.exit_code == 2 and "nexus reads at most 1000 bytes" in result.stderr


# --- what the user sees -------------------------------------------------------------------------------


def test_dry_run_names_each_entrys_line_and_the_skipped_sections(ok, tmp_path):
    ok("init")
    path = CORPUS / "01-emoji-headings.md"
    result = ok("import", str(path), "--dry-run")
    rows = [line.split() for line in result.stdout.splitlines()]
    starts = [row[:4] for row in rows]
    assert ["13", "add", "topic", "python"] in starts
    assert ["22", "add", "challenge", "slow-list-endpoints"] in starts
    assert ["27", "add", "takeaway", "measure-before-tuning"] in starts
    assert "skipped sections" in result.stdout
    assert re.search(r"30\s+Collaboration\s+not study content", result.stdout)
    assert re.search(r"34\s+Future Goals\s+plans, not what was learned", result.stdout)


def test_every_corpus_readme_imports_twice_without_adding_anything(ok, journal_path, tmp_path):
    ok("init")
    for path in READMES:
        ok("import", str(path))
    before = journal_path.read_bytes()
    for path in READMES:
        result = ok("import", str(path))
        assert "added" not in result.stderr and "updated" not in result.stderr, path.name
    assert journal_path.read_bytes() == before


def test_a_large_plan_streams_aligned_lines_with_their_readme_lines(ok, tmp_path):
    ok("init")
    big = tmp_path / "README.md"
    big.write_text(
        "# Big\n\n## Technologies\n\n" + "".join(f"- Tool{i}\n" for i in range(600)), encoding="utf-8"
    )
    result = ok("import", str(big), "--dry-run")
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows[0] == ["line", "action", "kind", "id", "name", "detail"]
    assert ["5", "add", "topic", "tool0", "Tool0", "technology"] in rows
    assert ["604", "add", "topic", "tool599", "Tool599", "technology"] in rows
