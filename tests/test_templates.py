"""`nexus init --template`: starting journals shipped as data files."""

from __future__ import annotations

import re
import shutil

import pytest

from nexus_cli.core import store
from nexus_cli.core.convert import templates
from nexus_cli.core.convert.markdown_export import export_markdown
from nexus_cli.core.convert.markdown_import import parse_readme
from support import FIXTURE_README, FIXTURE_TOPICS, MORE_TECHNOLOGIES

FIXTURE_NAMES = list(FIXTURE_TOPICS)


def test_prodev_backend_template(ok, journal_path):
    result = ok("init", "--template", "prodev-backend")
    assert "23 topics from prodev-backend" in result.stderr
    journal = store.loads(journal_path.read_text(encoding="utf-8"), "toml")
    assert journal.program is not None and journal.program.name == "ProDev Backend Engineering"
    assert journal.program.description
    topics = {t.name: t for t in journal.topics}
    for name in [*FIXTURE_NAMES, *MORE_TECHNOLOGIES]:
        assert name in topics
    assert {topics[n].category for n in FIXTURE_NAMES[:6]} == {"technology"}
    assert {topics[n].category for n in FIXTURE_NAMES[6:]} == {"concept"}
    # The concepts a technology covers are its subtopics.
    python_children = [t.name for t in journal.topics if t.parent == "python"]
    assert python_children == ["Decorators", "Generators", "Context Managers"]
    assert all(topics[n].category == "concept" for n in python_children)
    assert [t.name for t in journal.topics if t.parent == "django"][:2] == [
        "Models and the ORM",
        "Serializers",
    ]
    assert all(t.status == "planned" and t.notes for t in journal.topics)
    assert topics["Django"].target_hours == 60.0
    assert journal.sessions == [] and journal.challenges == []


def test_program_name_and_format_can_be_chosen(ok, tmp_path):
    path = tmp_path / "mine.json"
    ok(
        "-j",
        str(path),
        "init",
        "--template",
        "prodev-backend",
        "--program",
        "My cohort",
        "--description",
        "Spring",
    )
    journal = store.loads(path.read_text(encoding="utf-8"), "json")
    assert (journal.program.name, journal.program.description) == ("My cohort", "Spring")
    assert len(journal.topics) == 23


@pytest.mark.parametrize("args", [["--list-templates"], ["--template", "list"]])
def test_templates_are_listed(ok, journal_path, args):
    result = ok("init", *args)
    assert re.search(r"^prodev-backend\s+Backend engineering", result.stdout, re.M)
    assert not journal_path.exists()


def test_unknown_template_lists_the_ones_there_are(nexus, journal_path):
    result = nexus("init", "--template", "frontend")
    assert result.exit_code == 2
    assert "no template named 'frontend'" in result.stderr and "prodev-backend" in result.stderr
    assert not journal_path.exists()


def test_template_never_overwrites_a_journal(nexus, ok, journal_path):
    ok("init")
    before = journal_path.read_bytes()
    assert nexus("init", "--template", "prodev-backend").exit_code == 2
    assert journal_path.read_bytes() == before


def test_a_new_template_file_needs_no_code(ok, journal_path, tmp_path, monkeypatch):
    folder = tmp_path / "templates"
    shutil.copytree(templates.TEMPLATE_DIR, folder)
    (folder / "data-science.toml").write_text(
        '[template]\nsummary = "Numbers"\n\n[program]\nname = "Data"\n\n'
        '[[topics]]\nname = "Pandas"\n\n'
        '[[topics]]\nname = "Joins"\ncategory = "concept"\nparent = "pandas"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(templates, "TEMPLATE_DIR", folder)
    listing = ok("init", "--list-templates").stdout
    assert "data-science" in listing and "prodev-backend" in listing
    ok("init", "--template", "data-science")
    journal = store.loads(journal_path.read_text(encoding="utf-8"), "toml")
    assert [(t.id, t.parent) for t in journal.topics] == [("pandas", None), ("joins", "pandas")]


def test_a_template_can_be_a_file_and_bad_keys_are_errors(nexus, ok, journal_path, tmp_path):
    good = tmp_path / "mine.toml"
    good.write_text('[program]\nname = "Mine"\n\n[[topics]]\nname = "Go"\n', encoding="utf-8")
    ok("init", "--template", str(good))
    assert "Go" in journal_path.read_text(encoding="utf-8")
    journal_path.unlink()
    bad = tmp_path / "bad.toml"
    bad.write_text('[[topics]]\nname = "Go"\ncolour = "blue"\n', encoding="utf-8")
    result = nexus("init", "--template", str(bad))
    assert result.exit_code == 2 and "unknown key 'colour'" in result.stderr
    assert not journal_path.exists()


@pytest.mark.parametrize("template", templates.available(), ids=lambda t: t.name)
def test_every_shipped_template_builds_and_survives_a_readme_round_trip(template):
    assert template.summary
    journal = templates.build(template.name)
    names = {t.id: t.name for t in journal.topics}
    expected = {(t.name, names.get(t.parent or "")) for t in journal.topics}
    readme = parse_readme(export_markdown(journal))
    assert {(t.name, t.parent) for t in readme.topics} == expected


@pytest.mark.skipif(not FIXTURE_README.exists(), reason="fixture README not available")
def test_template_is_written_in_its_own_words():
    fixture = FIXTURE_README.read_text(encoding="utf-8")
    shipped = (templates.TEMPLATE_DIR / "prodev-backend.toml").read_text(encoding="utf-8")
    for notes in re.findall(r"^- \*\*.+?\*\*: (.+)$", fixture, re.M):
        assert notes not in shipped
    overview = fixture.split("## Overview", 1)[1].split("\n\n")[1]
    for sentence in overview.split(". "):
        assert sentence not in shipped


def test_init_ends_sets_the_programme_end(ok, nexus, journal_path):
    refused = nexus("init", "--ends", "2027-03-01")
    assert refused.exit_code == 2 and "--ends needs a programme" in refused.stderr
    assert not journal_path.exists()
    ok("init", "--template", "prodev-backend", "--ends", "2027-03-01")

    assert store.load_journal(journal_path).program.end.isoformat() == "2027-03-01"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('program = "Mine"\n', "program must be a table"),
        ('topics = ["Go"]\n', "topics must be tables"),
        ("topics = 3\n", "topics must be tables"),
        ('topics = ""\n', "topics must be tables"),
        ("program = 0\n", "program must be a table"),
        ("[[topics]]\nname = 7\n", "topics[0]: name must be text"),
        ('[[topics]]\nname = "Go"\ntags = "a,b"\n', "topics[0]: tags must be a list of words"),
        ('[[topics]]\nname = "Go"\ntags = [1]\n', "topics[0]: tags must be a list of words"),
        (
            '[[topics]]\nname = "Go"\ntarget_hours = "40h"\n',
            "topics[0]: target_hours must be a number of hours",
        ),
        ('[[topics]]\nname = "Go"\ntarget_hours = true\n', "target_hours must be a number of hours"),
        ('[[topics]]\nname = "Go"\nstatus = "bogus"\n', "topics[0]:"),
        ('[[topics]]\nname = "Go"\nparent = "nowhere"\n', "topics[0]:"),
        ('[[topics]]\ncategory = "x"\n', "topics[0] has no name"),
        ('[program]\nname = "P"\nstart = "soon"\n', "start must be a date"),
        ('[program]\nname = "P"\nstart = 2026-09-07T10:00:00Z\n', "start must be a date"),
        ("[[topics]\nname = 'x'\n", "invalid TOML"),
        (
            "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.aa.bb.cc.dd.ee.ff.gg.hh = 1\n" * 2,
            "invalid TOML",
        ),
    ],
)
def test_a_malformed_template_file_is_one_line_and_writes_nothing(
    nexus, journal_path, tmp_path, text, message
):
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    result = nexus("init", "--template", str(bad))
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "unexpected" not in result.stderr and "backup" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # the error, and maybe a hint
    assert not journal_path.exists()
