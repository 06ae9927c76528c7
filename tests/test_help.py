"""Every command has help that ends with an example."""

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
