"""The core knows nothing of the terminal: no typer, rich or click anywhere in it."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parent.parent / "src" / "nexus_cli" / "core"
TERMINAL = {"typer", "rich", "click"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_module_imports_no_terminal_library(path):
    assert not imported_roots(path) & TERMINAL, f"{path.name} imports {imported_roots(path) & TERMINAL}"


def test_the_check_sees_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from rich.text import Text\n")
    assert "rich" in imported_roots(sample)
