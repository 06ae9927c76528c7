"""Ctrl-C at any moment and readers that go away: exit 130 or quiet, never a traceback or a temp file."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from attack import (
    BIN,
    HANG,
    TEMP_NAME,
    build_journal,
    canonical,
    has_command,
    nexus,
    temp_files,
    write_journal,
)

from nexus_cli.core import store

SEED = 1302


def _spawn(args: tuple[str, ...], **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
        **kwargs,  # type: ignore[arg-type]
    )


def _waiting_for(proc: subprocess.Popen[bytes], lock: Path) -> bool:
    """Wait until the process has the lock file open: it is queueing for the lock.

    `log`'s fast lane gets there without loading pydantic, so this looks at the
    process's open files instead.
    """
    deadline = time.monotonic() + HANG
    fds = Path(f"/proc/{proc.pid}/fd")
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if any(os.readlink(fd) == str(lock) for fd in fds.iterdir()):
                return True
        except OSError:
            pass  # a descriptor closed while we looked
        time.sleep(0.001)
    return False


def _running_nexus_code(proc: subprocess.Popen[bytes]) -> bool:
    """Wait until the process runs nexus's own code (Python itself has started).

    A Ctrl-C in the first tenth of a second, while the interpreter starts, is
    Python's to handle; from the moment nexus's modules load, it is ours. The
    journal model (pydantic) loads just after nexus installs its handler.
    """
    deadline = time.monotonic() + HANG
    maps = Path(f"/proc/{proc.pid}/maps")
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if "pydantic_core" in maps.read_text():
                return True
        except OSError:
            return False
        time.sleep(0.001)
    return False


def _interrupted_cleanly(proc: subprocess.Popen[bytes]) -> str:
    """Wait for the process; assert it was interrupted cleanly or had already finished."""
    _, err = proc.communicate(timeout=HANG)
    stderr = err.decode("utf-8", "replace")
    assert "Traceback" not in stderr and "Exception" not in stderr, stderr
    if proc.returncode == 130:
        assert stderr.strip() == "error: interrupted", stderr
        return "interrupted"
    if proc.returncode == -signal.SIGINT:
        # Ctrl-C after the command finished, while Python shuts down: Python dies of the
        # signal, which a shell reports as 130 too. The command's own output came first.
        return "interrupted"
    assert proc.returncode == 0, f"exit {proc.returncode}: {stderr}"
    return "finished"


@pytest.mark.slow
def test_ctrl_c_at_random_moments_exits_130_and_leaves_no_temp_file(journal_path):
    write_journal(journal_path, build_journal(300))
    folder = journal_path.parent
    rng = random.Random(SEED)
    started = time.monotonic()
    assert nexus("log", "python", "1m").returncode == 0
    full_run = time.monotonic() - started
    outcomes = {"interrupted": 0, "finished": 0, "old": 0, "new": 0}
    for i in range(12):
        marker = f"ctrl-c-{i:03d}"
        before = journal_path.read_bytes()
        proc = _spawn(("log", "django", f"{i + 1}m", "--note", marker))
        if i % 3 == 2:
            # the moment the temp file appears: the write must finish or never start
            deadline = time.monotonic() + HANG
            while proc.poll() is None and time.monotonic() < deadline:
                if any(TEMP_NAME.match(name) for name in os.listdir(folder)):
                    proc.send_signal(signal.SIGINT)
                    break
        elif _running_nexus_code(proc):
            time.sleep(rng.uniform(0, 0.6) * full_run)
            proc.send_signal(signal.SIGINT)
        outcomes[_interrupted_cleanly(proc)] += 1
        assert not temp_files(folder), f"run {i} left a temp file"
        after = journal_path.read_bytes()
        if after == before:
            outcomes["old"] += 1
        else:
            assert canonical(journal_path) and marker.encode() in after
            outcomes["new"] += 1
    print(f"Ctrl-C outcomes: {outcomes}")
    assert outcomes["interrupted"] >= 6, outcomes
    store.load(journal_path)


def test_ctrl_c_while_waiting_for_the_lock(journal):
    fd = os.open(store.lock_path(journal), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        before = journal.read_bytes()
        proc = _spawn(("log", "python", "1h"))
        assert _waiting_for(proc, store.lock_path(journal))
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        assert _interrupted_cleanly(proc) == "interrupted"
        assert journal.read_bytes() == before
    finally:
        os.close(fd)


def test_ctrl_c_in_the_editor_changes_nothing(journal, tmp_path):
    before = journal.read_bytes()
    env = {**os.environ, "EDITOR": "sh -c 'exec sleep 60' editor"}
    proc = subprocess.Popen(
        [str(BIN), "edit", "python"], stderr=subprocess.PIPE, env=env, start_new_session=True
    )
    deadline = time.monotonic() + HANG
    while time.monotonic() < deadline and not _editor_running(proc.pid):
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: nexus and its editor
    assert _interrupted_cleanly(proc) == "interrupted"
    assert journal.read_bytes() == before


def _editor_running(pid: int) -> bool:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return any(Path(f"/proc/{child}/comm").read_text().strip() == "sleep" for child in children)
    except OSError:
        return False


BIG_OUTPUT = [
    ("list", "sessions"),
    ("list", "sessions", "--format", "json"),
    ("show", "python"),
    ("export", "markdown"),
    ("progress",),
]


@pytest.mark.parametrize("args", BIG_OUTPUT, ids=" ".join)
def test_a_reader_that_goes_away_is_fine(journal_path, args):
    write_journal(journal_path, build_journal(1200))
    if not has_command(args[0]):
        pytest.skip(f"nexus has no {args[0]} command yet")
    command = " ".join([str(BIN), *args])
    script = f'{command} 2>"$ERR" | head -1 >/dev/null; echo "${{PIPESTATUS[0]}}" >"$RC"'
    err, rc = journal_path.parent / "stderr", journal_path.parent / "rc"
    subprocess.run(
        ["bash", "-c", script], env={**os.environ, "ERR": str(err), "RC": str(rc)}, timeout=HANG, check=True
    )
    assert err.read_text() == "", err.read_text()
    assert rc.read_text().strip() == "0"


def test_a_command_loads_with_ctrl_c_leaving_at_once(monkeypatch):
    # A KeyboardInterrupt while Pydantic builds a validator is swallowed by
    # pydantic-core and leaves the validator broken: while a command's modules
    # load, Ctrl-C must exit at once instead of raising.
    import importlib

    from nexus_cli import interrupts, root

    monkeypatch.setattr(interrupts, "_is_nexus_process", lambda: True)
    handlers = []
    real = importlib.import_module

    def noting(name: str):
        handlers.append(signal.getsignal(signal.SIGINT))
        return real(name)

    monkeypatch.setattr(root.importlib, "import_module", noting)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as inside interrupts.raising()
    try:
        assert root.load_command("log") is not None
        assert handlers == [interrupts._leave]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
