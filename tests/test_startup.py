"""Startup stays cheap: commands load on demand, --version and --help import little."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from nexus_cli import __version__, cli
from nexus_cli.commands import table
from nexus_cli.root import NexusGroup, load_command

pytestmark = pytest.mark.slow  # starts fresh interpreters

# Run main() in a fresh interpreter and report which heavy packages got imported.
PROBE = """
import atexit, json, sys
def report():
    # packages themselves: the console script plants a stub pydantic.plugin._loader, not pydantic
    heavy = sorted(set(sys.modules) & {"typer", "pydantic", "rich"})
    commands = sorted(m for m in sys.modules if m.startswith("nexus_cli.commands."))
    commands = [m for m in commands if m != "nexus_cli.commands.table"]  # the table, not a command
    extra = sorted(m for m in ("tomllib", "importlib.metadata") if m in sys.modules)
    print("\\nPROBE " + json.dumps({"heavy": heavy, "commands": commands, "extra": extra}))
atexit.register(report)
sys.argv = ["nexus", ARGS]
from nexus_cli.cli import main
main()
"""


def probe(*args: str) -> tuple[str, dict]:
    code = PROBE.replace("ARGS", json.dumps(list(args))[1:-1] or "")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False).stdout
    head, _, tail = out.rpartition("\nPROBE ")
    return head, json.loads(tail)


def test_version_imports_no_framework():
    out, loaded = probe("--version")
    assert out.strip() == f"nexus {__version__}"
    assert loaded["heavy"] == []


def test_help_lists_every_command_without_importing_them():
    out, loaded = probe("--help")
    for name, _module, _attr in table.COMMANDS + table.GROUPS:
        assert (f"\n  {name} " in out) is (name not in table.HIDDEN), name
    assert loaded["commands"] == []
    assert loaded["heavy"] == ["typer"]  # neither Rich nor Pydantic


def test_log_imports_only_its_command_and_no_rich(journal_path: Path, started: Path):
    # Django is planned: logging it changes its status, which only the normal path does.
    _out, loaded = probe("-j", str(journal_path), "log", "django", "20m")
    assert loaded["commands"] == ["nexus_cli.commands._common", "nexus_cli.commands.log"]
    assert "rich" not in loaded["heavy"]
    # A cached journal needs no TOML parser, and pydantic's plugin scan is skipped.
    assert loaded["extra"] == []


def test_every_command_has_its_short_help_in_the_table():
    # table.HELP lets --help list commands without importing them; it must say
    # what each command's own help says. Add a missing command's first docstring line.
    for name, _module, _attr in table.COMMANDS + table.GROUPS:
        command = load_command(name)
        assert command is not None
        first = (command.help or "").split("\n\n")[0].strip()
        assert table.HELP.get(name) == first, f'add to table.HELP: "{name}": "{first}",'


def test_lazy_help_reads_like_the_eager_one():
    group = get_command(cli.app)
    assert isinstance(group, NexusGroup)
    with group.make_context("nexus", [], resilient_parsing=True) as ctx:
        lazy = group.get_help(ctx)
        for name in group.list_commands(ctx):
            group.commands[name] = load_command(name)  # type: ignore[assignment]
        eager = group.get_help(ctx)
    assert "Commands:" in lazy
    assert lazy == eager


def test_unknown_command_suggests_a_near_one(nexus):
    result = nexus("lgo")
    assert result.exit_code == 2
    assert "Did you mean 'log'" in result.stderr


def test_version_answers_the_same_through_the_app(ok):
    assert ok("--version").stdout.strip() == f"nexus {__version__}"
    assert ok("-V").stdout.strip() == f"nexus {__version__}"


def test_a_change_a_model_refuses_is_one_line_and_exit_2(nexus, started: Path, monkeypatch):
    """pydantic's ValidationError is recognised without root importing pydantic."""
    from nexus_cli.core import ops
    from nexus_cli.core.models import Session

    before = started.read_bytes()
    monkeypatch.setattr(ops, "log_session", lambda *args, **kwargs: Session.model_validate({"minutes": 0}))
    result = nexus("log", "python", "1h")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "unexpected" not in result.stderr
    assert "session: id: Field required" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert started.read_bytes() == before


def _nexus_imports(path: Path) -> set[str]:
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nexus_cli"):
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("nexus_cli"))
    return found


def test_the_entry_point_and_the_root_app_do_not_import_each_other():
    # One way only: cli -> root -> commands.table, and the table imports nothing of nexus.
    src = Path(cli.__file__).parent
    assert not {m for m in _nexus_imports(src / "root.py") if m.startswith("nexus_cli.cli")}
    assert _nexus_imports(src / "commands" / "table.py") == set()
