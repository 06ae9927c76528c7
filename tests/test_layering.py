"""The layers of nexus, held by its imports.

- The core knows nothing of the terminal: no typer, rich or click anywhere in it.
- Journal bytes are made in one place: outside `core/store/`, code imports the
  package's face (`from nexus_cli.core import store`) and public names only.
- The checker is used through its face too: outside `core/check/`, code imports
  `nexus_cli.core.check` and nothing under it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "nexus_cli"
CORE = SRC / "core"
STORE = CORE / "store"
CHECK = CORE / "check"
TERMINAL = {"typer", "rich", "click"}


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """Return (module, names) for every absolute import in a file, nested ones too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def imported_roots(path: Path) -> set[str]:
    return {module.split(".")[0] for module, _ in imports(path)}


def store_reaches(path: Path) -> list[str]:
    """Return the imports in `path` that reach inside the store package."""
    bad = []
    for module, names in imports(path):
        if module.startswith("nexus_cli.core.store."):
            bad.append(module)
        elif module == "nexus_cli.core.store":
            bad.extend(f"{module}.{name}" for name in names if name.startswith("_"))
    return bad


def rel(path: Path) -> str:
    return str(path.relative_to(SRC))


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=rel)
def test_core_module_imports_no_terminal_library(path: Path) -> None:
    assert not imported_roots(path) & TERMINAL, f"{rel(path)} imports {imported_roots(path) & TERMINAL}"


OUTSIDE_STORE = sorted(p for p in SRC.rglob("*.py") if STORE not in p.parents)


@pytest.mark.parametrize("path", OUTSIDE_STORE, ids=rel)
def test_only_the_store_reaches_inside_the_store(path: Path) -> None:
    assert store_reaches(path) == [], f"{rel(path)} imports the store's insides"


def test_the_store_face_names_only_public_things() -> None:
    from nexus_cli.core import store

    assert store.__all__ and all(not name.startswith("_") for name in store.__all__)
    assert all(hasattr(store, name) for name in store.__all__)


def test_the_checks_see_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from rich.text import Text\n"
        "    from nexus_cli.core.store.codec import plain\n"
        "    from nexus_cli.core.store import _key\n"
    )
    assert "rich" in imported_roots(sample)
    assert store_reaches(sample) == ["nexus_cli.core.store.codec", "nexus_cli.core.store._key"]


def check_reaches(path: Path) -> list[str]:
    """Return the imports in `path` that reach inside the check package."""
    return [module for module, _ in imports(path) if module.startswith("nexus_cli.core.check.")]


OUTSIDE_CHECK = sorted(p for p in SRC.rglob("*.py") if CHECK not in p.parents)


@pytest.mark.parametrize("path", OUTSIDE_CHECK, ids=rel)
def test_only_the_checker_reaches_inside_the_checker(path: Path) -> None:
    assert check_reaches(path) == [], f"{rel(path)} imports the checker's insides"


def test_the_check_face_names_only_public_things() -> None:
    from nexus_cli.core import check

    assert check.__all__ and all(not name.startswith("_") for name in check.__all__)
    assert all(hasattr(check, name) for name in check.__all__)
