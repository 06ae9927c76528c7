"""Every command has help that ends with an example."""

import re

import pytest
from typer.main import get_command

from nexus_cli.cli import app


def all_commands():
    root = get_command(app)
    found = []

    def walk(group, prefix):
        # Commands load lazily: ask the group for each one rather than reading .commands.
        for name in group.list_commands(None):
            command = group.get_command(None, name)
            path = [*prefix, name]
            if hasattr(command, "list_commands"):
                walk(command, path)
            else:
                found.append(path)

    walk(root, [])
    return found


def test_there_are_commands():
    names = {" ".join(path) for path in all_commands()}
    assert {"init", "log", "add topic", "list", "show", "where"} <= names


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_help_has_text_and_an_example(ok, path):
    output = ok(*path, "--help").stdout
    assert "Usage:" in output
    assert "Example" in output, f"nexus {' '.join(path)} --help shows no example"
    assert "nexus " in output.split("Example", 1)[1]


def _params(path):
    root = get_command(app)
    command = root
    for name in path:
        command = command.get_command(None, name)
    return command.params


@pytest.mark.parametrize("columns", ["40", "80", "200"])
@pytest.mark.parametrize("path", [[], ["add"], ["sync"], *all_commands()], ids=" ".join)
def test_help_reads_like_a_person_wrote_it(ok, path, columns):
    output = ok(*path, "--help", env={"COLUMNS": columns}).stdout
    for machine_word in (r"\{[A-Z]", r"<str>", r"<int", r"<path>", r"list\[", r"x>=", r"<=x", r"\]\.\.\."):
        found = re.search(machine_word, output)
        assert not found, f"nexus {' '.join(path)} --help shows {found.group()!r}:\n{output}"
    too_wide = [line for line in output.splitlines() if len(line) > int(columns)]
    assert not too_wide, f"nexus {' '.join(path)} --help is wider than {columns} columns: {too_wide}"
    usage = output.splitlines()[0]
    assert usage.startswith("Usage: nexus"), usage


def test_top_level_help_says_each_command_in_full_and_hides_the_merge_driver(ok):
    output = ok("--help", env={"COLUMNS": "80"}).stdout
    assert "..." not in output.split("Commands:", 1)[1]
    assert "merge-driver" not in output
    assert "what chose the journal." in " ".join(output.split())  # the end of the longest description
    assert ok("merge-driver", "--help").stdout.startswith("Usage: nexus merge-driver")


def test_usage_line_names_arguments_plainly(ok):
    assert ok("log", "--help").stdout.startswith("Usage: nexus log [OPTIONS] [TOPIC] [DURATION]\n")
    assert ok("validate", "--help").stdout.startswith("Usage: nexus validate [OPTIONS] [PATH...]\n")
    assert ok("solve", "--help").stdout.startswith("Usage: nexus solve [OPTIONS] CHALLENGE\n")
    assert ok("report", "--help").stdout.startswith("Usage: nexus report [OPTIONS] PATH...\n")


def test_edit_status_lists_its_values(ok):
    output = " ".join(ok("edit", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert "--status STATUS" in output
    for value in ("planned", "learning", "practicing", "confident", "open", "resolved"):
        assert value in output


def test_each_short_flag_means_one_long_option_everywhere():
    meanings: dict[str, set[str]] = {}
    for path in [[], *all_commands()]:
        for param in _params(path):
            opts = getattr(param, "opts", [])
            longs = [o for o in opts if o.startswith("--")]
            for short in (o for o in opts if len(o) == 2 and o.startswith("-")):
                meanings.setdefault(short, set()).update(longs[:1])
    clashes = {short: longs for short, longs in meanings.items() if len(longs) > 1}
    assert not clashes, f"short flags with more than one meaning: {clashes}"
    assert meanings["-t"] == {"--topic"} and meanings["-s"] == {"--status"} and meanings["-f"] == {"--format"}


def test_format_is_a_choice_wherever_it_is_offered():
    for path in all_commands():
        for param in _params(path):
            if "--format" in getattr(param, "opts", []) or "--status" in getattr(param, "opts", []):
                descriptor = param.type_descriptor
                assert descriptor.choices, f"nexus {' '.join(path)} {param.opts[0]} takes any text"


@pytest.mark.parametrize("command", ["show python", "where", "progress"])
def test_json_through_format_json_and_the_hidden_json_alias(ok, started, command):
    import json

    args = command.split()
    via_format = json.loads(ok(*args, "--format", "json").stdout)
    assert via_format
    if command != "progress":
        assert json.loads(ok(*args, "--json").stdout) == via_format
        assert "--json" not in ok(*args[:1], "--help").stdout
