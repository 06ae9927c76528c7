"""Golden files: `pytest --update-golden` (or UPDATE_GOLDEN=1) rewrites them after an intended change.

Registered from tests/conftest.py with `pytest_plugins = ["golden_plugin"]`; until then
UPDATE_GOLDEN=1 does the same job.
"""

from __future__ import annotations

import contextlib
import difflib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    with contextlib.suppress(ValueError):  # another plugin may have added it already
        parser.addoption(
            "--update-golden",
            action="store_true",
            default=False,
            help="Rewrite golden files under tests/golden/ with the current output.",
        )


def updating(config: pytest.Config) -> bool:
    """Return whether golden files should be rewritten rather than compared."""
    return bool(config.getoption("--update-golden", default=False) or os.environ.get("UPDATE_GOLDEN"))


def check(config: pytest.Config, name: str, text: str) -> None:
    """Compare text with tests/golden/NAME, or rewrite that file when updating."""
    path = GOLDEN / name
    if updating(config):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run pytest --update-golden (or UPDATE_GOLDEN=1)"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), text.splitlines(keepends=True), str(path), "output"
            )
        )
        pytest.fail(f"output differs from {path} (pytest --update-golden if intended):\n{diff}")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """golden("views/stats.txt", text): compare with (or rewrite) a golden file."""
    return lambda name, text: check(request.config, name, text)
