"""A FIFO or a device given to validate or the merge driver is one line, never a hang."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def finishes(run: Callable[[], Result], fifo: Path) -> Result:
    """Run in a thread; fail (after unblocking a reader) if it waits on the FIFO."""
    outcome: dict[str, Result] = {}
    worker = threading.Thread(target=lambda: outcome.update(result=run()))
    worker.start()
    worker.join(10)
    if worker.is_alive():
        with open(fifo, "wb"):
            pass
        worker.join(10)
        pytest.fail("waited on a FIFO")
    return outcome["result"]


@pytest.fixture
def endless(tmp_path: Path) -> list[Path]:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    found = [fifo]
    if Path("/dev/zero").exists():
        zero = tmp_path / "zero.toml"
        zero.symlink_to("/dev/zero")
        found.append(zero)
    return found


def test_validate_names_a_fifo_or_device_and_goes_on(nexus, endless, tmp_path):
    fifo = endless[0]
    for path in endless:
        result = finishes(lambda path=path: nexus("validate", str(path)), fifo)
        assert result.exit_code == 2, result.output
        assert "NX001" in result.output and "not a plain file" in result.output
    folder = finishes(lambda: nexus("validate", str(tmp_path)), fifo)
    assert folder.exit_code == 2 and folder.output.count("not a plain file") == len(endless)


def test_the_merge_driver_refuses_a_fifo_or_device_in_one_line(ok, nexus, endless, journal_path, tmp_path):
    ok("init", "--program", "P")
    ours = tmp_path / "ours.toml"
    ours.write_bytes(journal_path.read_bytes())
    before = ours.read_bytes()
    fifo = endless[0]
    for path in endless:
        for args in ((path, ours, journal_path), (journal_path, ours, path)):
            result = finishes(lambda args=args: nexus("merge-driver", *map(str, args)), fifo)
            assert result.exit_code == 2, result.output
            errors = [line for line in result.output.splitlines() if line.startswith("error:")]
            assert len(errors) == 1 and "not a plain file" in errors[0]
            assert ours.read_bytes() == before
