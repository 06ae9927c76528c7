"""Fixtures of the reliability suite; the tools themselves are in attack.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from attack import build_journal, write_journal


@pytest.fixture
def journal(journal_path: Path) -> Path:
    """A small, realistic journal at the test's journal path."""
    write_journal(journal_path, build_journal())
    return journal_path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every reliability test slow: they run the installed nexus, many times over."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.slow)
