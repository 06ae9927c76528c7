"""`nexus import`: README files in, other journals merged by id."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexus_cli.core import store
from nexus_cli.core.convert.markdown_export import export_markdown
from nexus_cli.core.convert.markdown_import import apply_readme, parse_readme, split_item, split_solution
from nexus_cli.core.convert.merge_import import CLASH, merge_journal
from nexus_cli.core.ids import slugify
from nexus_cli.core.models import Challenge, Journal, Program, Session, Status, Takeaway, Topic
from support import EXAMPLE, FIXTURE_README, FIXTURE_TOPICS, examples

VARIATION = Path(__file__).parent / "data" / "variation-readme.md"
needs_fixture = pytest.mark.skipif(not FIXTURE_README.exists(), reason="fixture README not available")


def load(path: Path) -> Journal:
    return store.loads(path.read_text(encoding="utf-8"), store.format_for(path))


# --- the fixture -------------------------------------------------------------------


@needs_fixture
def test_fixture_imports_nine_topics_three_challenges_seven_practices(ok, journal_path):
    ok("init")
    result = ok("import", str(FIXTURE_README))
    assert "20 added" in result.stderr
    journal = load(journal_path)
    assert {t.name: t.category for t in journal.topics} == FIXTURE_TOPICS
    assert all(t.notes for t in journal.topics)
    assert journal.program is not None and journal.program.name == "ALX Project Nexus"
    assert journal.program.description.startswith("The ProDev Backend Engineering Program is")
    assert [c.title for c in journal.challenges] == [
        "Kubernetes Complexity",
        "RabbitMQ Message Broker",
        "Celery Background Tasks",
    ]
    for challenge in journal.challenges:
        assert challenge.status == "resolved"
        assert challenge.problem and challenge.solution
    assert journal.challenges[0].solution.startswith("Spent extra time")
    assert journal.challenges[1].solution.startswith("Worked through multiple tutorials")
    assert journal.challenges[2].solution.startswith("Required significant practice")
    assert journal.challenges[2].problem.endswith("proper error handling.")
    assert len(journal.takeaways) == 7
    assert journal.takeaways[0].title == "Test-Driven Development"


@needs_fixture
def test_fixture_round_trip_keeps_every_item_and_phrase(ok):
    source = FIXTURE_README.read_text(encoding="utf-8")
    ok("init")
    ok("import", str(FIXTURE_README))
    exported = ok("export", "markdown").stdout
    # Every bullet of the fixture (topics and practices) comes back word for word.
    bullets = re.findall(r"^- \*\*(.+?)\*\*: (.+)$", source, re.M)
    assert len(bullets) == 9 + 7
    for name, text in bullets:
        assert f"- **{name}**: {text}" in exported
    # Every challenge title, and every sentence of its problem and solution.
    blocks = re.findall(r"^\*\*(.+?)\*\*\n(.+)$", source, re.M)
    assert len(blocks) == 3
    for title, body in blocks:
        assert f"**{title}**" in exported
        for sentence in re.split(r"(?<=\.) ", body):
            assert sentence in exported
    assert "**Solution:** Spent extra time breaking down each component" in exported
    # And the exported README reads back to the same journal content.
    again = parse_readme(exported)
    assert [t.name for t in again.topics] == list(FIXTURE_TOPICS)
    assert len(again.challenges) == 3 and len(again.takeaways) == 7


@needs_fixture
def test_importing_twice_adds_nothing(ok, journal_path):
    ok("init")
    ok("import", str(FIXTURE_README))
    before = journal_path.read_bytes()
    result = ok("import", str(FIXTURE_README))
    assert "nothing new" in result.stderr
    assert journal_path.read_bytes() == before


@needs_fixture
def test_dry_run_shows_a_table_and_writes_nothing(ok, journal_path):
    ok("init")
    before = journal_path.read_bytes()
    result = ok("import", str(FIXTURE_README), "--dry-run")
    assert journal_path.read_bytes() == before
    assert "dry run: 20 added; nothing was written" in result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    # Each entry names the README line it came from.
    assert ["16", "add", "topic", "ci-cd", "CI/CD", "technology"] in rows
    assert ["26", "add", "challenge", "kubernetes-complexity"] in [row[:4] for row in rows]
    assert sum(1 for row in rows if "add" in row[:2]) == 20


# --- a README in another shape -----------------------------------------------------


def test_variation_readme_imports(ok, journal_path):
    ok("init")
    ok("import", str(VARIATION))
    journal = load(journal_path)
    assert journal.program == Program(
        name="My Platform Engineering Year",
        description="Twelve weeks spent learning to build, ship and run web services on my own.",
    )
    topics = {t.name: t for t in journal.topics}
    assert list(topics) == [
        "Flask",
        "PostgreSQL",
        "Redis",
        "Redis Streams",
        "Terraform",
        "Idempotency",
        "Observability",
        "Code review",
    ]
    assert topics["PostgreSQL"].notes == "relational storage, indexes and transactions"
    assert topics["Redis Streams"].parent == "redis"
    assert topics["Terraform"].notes == ""
    assert topics["Observability"].category == "concept"
    assert topics["Observability"].notes == "logs, metrics and traces that explain an outage"
    assert topics["Code review"].category == "soft-skills"
    assert topics["Flask"].status == Status.practicing
    assert topics["Terraform"].status == Status.learning
    assert topics["Redis"].status == Status.planned
    flaky, slow, leak = journal.challenges
    assert flaky.solution.startswith("Gave every test its own database schema")
    assert flaky.problem == "The suite failed one run in five, and always somewhere different."
    assert slow.solution == "cached the dependency layer and pinned the base image."
    assert (leak.status, leak.solution) == ("open", "")
    assert [(t.title, t.text) for t in journal.takeaways] == [
        ("Small pull requests", "easier to review and quicker to merge"),
        ("Automate the boring parts", "scripts beat checklists"),
        ("Write it down", "notes outlive memory"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**Docker**: containers", ("Docker", "containers")),
        ("**Docker:** containers", ("Docker", "containers")),
        ("**Docker** - containers", ("Docker", "containers")),
        ("__Docker__ — containers", ("Docker", "containers")),
        ("Docker: containers", ("Docker", "containers")),
        ("Docker - containers", ("Docker", "containers")),
        ("[Docker](https://docker.com): containers", ("Docker", "containers")),
        ("**Docker**", ("Docker", "")),
        ("Docker", ("Docker", "")),
        ("**a\\*b\\***: c", ("a*b*", "c")),
    ],
)
def test_item_forms(text, expected):
    assert split_item(text) == expected


def test_challenge_as_bullets_with_labels():
    readme = parse_readme(
        "# T\n\n## Challenges\n\n- **Caching**\n  - Problem: stale pages\n  - Solution: versioned keys\n"
        "- **Queues**: messages vanished\n\n## Takeaways\n\n- **Measure first**\n"
    )
    assert [(c.title, c.problem, c.solution, c.resolved) for c in readme.challenges] == [
        ("Caching", "stale pages", "versioned keys", True),
        ("Queues", "messages vanished", "", False),
    ]
    assert [t.title for t in readme.takeaways] == ["Measure first"]


def test_challenge_with_problem_and_solution_subheadings():
    readme = parse_readme(
        "# T\n\n## Challenges\n\n### Migrations\n\n#### Problem\n\nThey locked the table.\n\n"
        "#### What worked\n\nSmaller batches.\n\nAnd a maintenance window.\n\n### Next one\n\nStill stuck.\n"
    )
    first, second = readme.challenges
    assert (first.problem, first.solution) == (
        "They locked the table.",
        "Smaller batches.\n\nAnd a maintenance window.",
    )
    assert (second.title, second.problem, second.resolved) == ("Next one", "Still stuck.", False)


def test_solution_heuristic_needs_a_sentence_that_says_what_worked():
    assert split_solution("It broke. Used a lock to serialise writes.") == (
        "It broke.",
        "Used a lock to serialise writes.",
    )
    assert split_solution("Used too much memory. Nobody knew why.") == (
        "Used too much memory. Nobody knew why.",
        "",
    )


# --- merging a README into an existing journal ---------------------------------------


@needs_fixture
def test_existing_entries_are_filled_not_overwritten(ok, journal_path):
    ok("init", "--program", "My programme")
    ok("add", "topic", "Python")
    ok("add", "topic", "Django", "--notes", "my own words")
    ok("add", "topic", "Kubernetes")
    ok("add", "challenge", "Kubernetes Complexity")
    result = ok("import", str(FIXTURE_README))
    journal = load(journal_path)
    topics = {t.id: t for t in journal.topics}
    assert topics["python"].notes.startswith("Advanced concepts including decorators")
    assert topics["django"].notes == "my own words"
    assert journal.program.name == "My programme"
    assert journal.program.description.startswith("The ProDev Backend")
    challenge = journal.challenges[0]
    assert challenge.status == "resolved" and challenge.solution.startswith("Spent extra time")
    assert challenge.topics == ["kubernetes"]
    # Challenges only link to topics that exist; none are made up from their titles.
    assert "rabbitmq" not in topics and journal.challenges[1].topics == []
    assert re.search(r"kept\s+topic\s+django", result.stdout)
    assert re.search(r"update\s+topic\s+python\s+Python\s+notes", result.stdout)


def test_import_needs_a_journal_and_a_known_file(nexus, ok, tmp_path):
    readme = tmp_path / "r.md"
    readme.write_text("# x\n\n## Technologies\n\n- Go\n", encoding="utf-8")
    assert "no journal" in nexus("import", str(readme)).stderr
    ok("init")
    result = nexus("import", str(tmp_path / "missing.md"))
    assert result.exit_code == 2 and "no file" in result.stderr
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    result = nexus("import", str(other))
    assert result.exit_code == 2 and "cannot tell" in result.stderr


# --- merging another journal -----------------------------------------------------------


def test_merge_adds_new_entries_and_skips_identical_ones(ok, journal_path, tmp_path):
    other = tmp_path / "other.json"
    ok("init", "--program", "P")
    ok("add", "topic", "Python")
    ok("-j", str(other), "init", "--program", "P")
    ok("-j", str(other), "add", "topic", "Python")
    ok("-j", str(other), "add", "topic", "Docker")
    ok("-j", str(other), "log", "docker", "1h")
    result = ok("import", str(other))
    assert "2 added" in result.stderr
    journal = load(journal_path)
    assert [t.id for t in journal.topics] == ["python", "docker"]
    assert [s.topic for s in journal.sessions] == ["docker"]
    before = journal_path.read_bytes()
    assert "nothing new" in ok("import", str(other)).stderr
    assert journal_path.read_bytes() == before


def test_clashes_stop_the_merge_and_nothing_is_written(nexus, ok, journal_path, tmp_path):
    other = tmp_path / "other.toml"
    ok("init")
    ok("add", "topic", "Python", "--notes", "mine")
    ok("-j", str(other), "init")
    ok("-j", str(other), "add", "topic", "Python", "--notes", "theirs")
    ok("-j", str(other), "add", "topic", "Docker")
    before = journal_path.read_bytes()
    result = nexus("import", str(other))
    assert result.exit_code == 1
    assert "1 entry of other.toml clash" in result.stderr and "--skip-clashes" in result.stderr
    assert re.search(r"clash\s+topic\s+python\s+Python\s+differs in notes", result.stdout)
    assert journal_path.read_bytes() == before

    dry = nexus("import", str(other), "--dry-run")
    assert dry.exit_code == 1 and journal_path.read_bytes() == before

    result = ok("import", str(other), "--skip-clashes")
    journal = load(journal_path)
    assert [(t.id, t.notes) for t in journal.topics] == [("python", "mine"), ("docker", "")]
    assert "1 added, 1 skipped" in result.stderr


def test_an_id_of_another_kind_clashes_and_so_do_entries_that_need_it():
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    ours = Journal(challenges=[Challenge(id="redis", title="Redis", opened=now)])
    theirs = Journal(
        topics=[Topic(id="redis", name="Redis", created=now, updated=now)],
        sessions=[Session(id="s1", topic="redis", date=dt.date(2026, 11, 1), minutes=30)],
        takeaways=[Takeaway(id="cache", title="Cache", created=now)],
    )
    changes = merge_journal(ours, theirs)
    assert [(c.action, c.kind, c.id) for c in changes] == [
        (CLASH, "topic", "redis"),
        ("add", "takeaway", "cache"),
        (CLASH, "session", "s1"),
    ]


def test_a_journal_from_a_newer_nexus_is_refused(nexus, ok, tmp_path):
    ok("init")
    other = tmp_path / "new.toml"
    other.write_text("schema_version = 99\n", encoding="utf-8")
    result = nexus("import", str(other))
    assert result.exit_code == 2 and "newer nexus" in result.stderr


def test_export_json_then_import_into_a_new_journal_is_the_same_journal(ok, tmp_path):
    exported = tmp_path / "copy.json"
    ok("-j", str(EXAMPLE), "export", "json", "-o", str(exported))
    fresh = tmp_path / "fresh.toml"
    ok("-j", str(fresh), "init")
    ok("-j", str(fresh), "import", str(exported))
    assert fresh.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")


# --- properties ------------------------------------------------------------------------

STAMP = dt.datetime(2026, 11, 28, 18, tzinfo=dt.UTC)
# Text a README can carry: printable characters, Markdown's own among them, single spaces.
words = st.text(
    st.sampled_from([*"abcxyzABC019 .,:;!?-+*_#|<>[]()`\\/&='\"~@$%^{}", "é", "ß", "–", "中"]),
    min_size=1,
    max_size=30,
).map(lambda s: " ".join(s.split()))
names = words.filter(lambda s: s and slugify(s) != "entry")
paragraph_text = st.lists(words.filter(bool), max_size=3).map("\n\n".join)


@st.composite
def readme_journals(draw: st.DrawFn) -> Journal:
    labels = draw(st.lists(names, min_size=1, max_size=12, unique_by=slugify))
    n_topics = draw(st.integers(0, min(6, len(labels))))
    n_challenges = draw(st.integers(0, min(3, len(labels) - n_topics)))
    topic_names = labels[:n_topics]
    challenge_names = labels[n_topics : n_topics + n_challenges]
    takeaway_names = labels[n_topics + n_challenges :][:3]
    topics: list[Topic] = []
    for i, name in enumerate(topic_names):
        parent = draw(st.sampled_from([None, *[t.id for t in topics]])) if i else None
        topics.append(
            Topic(
                id=slugify(name),
                name=name,
                category=draw(st.sampled_from(["technology", "concept", "tools", "soft-skills"])),
                parent=parent,
                status=draw(st.sampled_from(list(Status))),
                notes=draw(st.just("") | words),
                created=STAMP,
                updated=STAMP,
            )
        )
    challenges = []
    for title in challenge_names:
        solution = draw(paragraph_text)
        status = "resolved" if solution and draw(st.booleans()) else "open"
        challenges.append(
            Challenge(
                id=slugify(title),
                title=title,
                problem=draw(paragraph_text),
                solution=solution,
                status=status,
                opened=STAMP,
                resolved=STAMP if status == "resolved" else None,
            )
        )
    takeaways = [
        Takeaway(id=slugify(t), title=t, text=draw(st.just("") | words), created=STAMP)
        for t in takeaway_names
    ]
    program = Program(name=draw(names), description=draw(paragraph_text))
    return Journal(program=program, topics=topics, challenges=challenges, takeaways=takeaways)


def _content(journal: Journal) -> dict:
    ids = {t.id: t for t in journal.topics}
    top = {t.id for t in journal.topics if not t.parent}
    return {
        "program": (journal.program.name, journal.program.description) if journal.program else None,
        "topics": {
            t.name: (
                t.notes,
                ids[t.parent].name if t.parent else None,
                t.category if t.id in top else None,
                t.status if t.id in top else None,
            )
            for t in journal.topics
        },
        "challenges": [(c.title, c.problem, c.solution, c.status) for c in journal.challenges],
        "takeaways": [(t.title, t.text) for t in journal.takeaways],
    }


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(readme_journals())
def test_markdown_round_trip_keeps_topics_challenges_and_takeaways(journal):
    text = export_markdown(journal)
    fresh = Journal()
    apply_readme(fresh, parse_readme(text))
    assert _content(fresh) == _content(journal), text
    # A second import of the same README changes nothing.
    again = fresh.model_copy(deep=True)
    assert apply_readme(again, parse_readme(text)) == []
    assert again == fresh


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_json_export_merged_into_an_empty_journal_is_the_same_journal(data):
    from strategies import journals

    journal = data.draw(journals())
    copy = store.loads(store.dumps(journal, "json"), "json")
    fresh = Journal()
    changes = merge_journal(fresh, copy)
    assert all(c.action == "add" for c in changes)
    assert store.dumps(fresh, "toml") == store.dumps(journal, "toml")
    assert merge_journal(fresh, copy) == []


def test_a_readme_with_nothing_readable_says_what_it_saw_and_writes_nothing(
    nexus, ok, journal_path, tmp_path
):
    ok("init")
    empty = tmp_path / "empty.md"
    empty.write_text(
        "# Shop\n\n## Installation\n\n```\n# code\n```\n\n## Usage\n\nrun it\n", encoding="utf-8"
    )
    before = journal_path.read_bytes()
    result = nexus("import", str(empty))
    assert result.exit_code == 1
    assert "found no technologies, challenges or takeaways in empty.md" in result.stderr
    assert "'Installation' (line 3), 'Usage' (line 9)" in result.stderr
    assert "nexus looks for sections such as" in result.stderr
    assert "nothing new" not in result.stderr
    assert journal_path.read_bytes() == before


def test_dry_run_of_a_journal_merge_lists_the_additions(ok, journal_path, tmp_path):
    other = tmp_path / "other.toml"
    ok("init")
    ok("-j", str(other), "init")
    ok("-j", str(other), "add", "topic", "Go")
    before = journal_path.read_bytes()
    result = ok("import", str(other), "--dry-run")
    assert re.search(r"add\s+topic\s+go\s+Go", result.stdout)
    assert journal_path.read_bytes() == before


def test_hostile_readmes_parse_in_linear_time():
    import time

    # A quadratic pattern would take minutes on these; linear parsing takes well under a second.
    n = 50_000
    hostile = [
        "# a" + " \t" * n + "b\n",
        "## Topics\n\n- " + "a -" * n + "\n",
        "## Topics\n\n- **" + "a*" * n + "\n",
        "## Challenges\n\n**X**\n" + "Had it. " * n + "\n",
        "## Topics\n\n" + "".join("  " * i + f"- x{i}\n" for i in range(2000)),
    ]
    for text in hostile:
        started = time.perf_counter()
        parse_readme(text)
        assert time.perf_counter() - started < 20, text[:40]


def test_importing_a_journal_that_only_fills_empty_fields_is_not_a_clash(ok, journal_path, tmp_path):
    other = tmp_path / "other.json"
    ok("init", "--program", "ProDev")
    ok("add", "topic", "Python", "--notes", "mine")
    ok("add", "topic", "Docker")
    ok("-j", str(other), "init", "--program", "ProDev", "--description", "A year of backend work")
    ok("-j", str(other), "add", "topic", "Python")
    ok("-j", str(other), "add", "topic", "Docker", "--notes", "containers")
    result = ok("import", str(other))
    assert "clash" not in result.stderr + result.stdout
    journal = load(journal_path)
    assert journal.program is not None and journal.program.description == "A year of backend work"
    assert [(t.id, t.notes) for t in journal.topics] == [("python", "mine"), ("docker", "containers")]
    assert re.search(r"update\s+program.*filled description", result.stdout)
    before = journal_path.read_bytes()
    assert "nothing new" in ok("import", str(other)).stderr
    assert journal_path.read_bytes() == before
