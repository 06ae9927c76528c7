"""nexus without the POSIX-only parts of Python, as on Windows.

No Windows machine runs these tests, so each command runs in a subprocess
whose Python has lost what Windows lacks (fcntl, O_NOFOLLOW and the other
POSIX open flags, pread/pwrite, uids and gids, fchown/fchmod, SIGHUP, SIGQUIT,
signal masks) and gained a stand-in `msvcrt` whose `locking` behaves like
Windows' byte-range lock. The CI workflow runs the whole suite on a real
windows-latest as well.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from nexus_cli.commands._editor import split_command
from nexus_cli.core import store

pytestmark = pytest.mark.skipif(os.name == "nt", reason="on Windows these run for real")

# Runs `nexus ARGS...` after taking away what Windows does not have.
SHIM = r"""
import errno, os, signal, sys, types
import fcntl as _posix_fcntl  # kept privately: the stand-in msvcrt locks with it
# These decide "am I on Windows?" by importing msvcrt: they must keep their answer.
import getpass, subprocess, tempfile  # noqa: F401
# platformdirs has a Windows backend of its own; here its POSIX one must keep working.
import platformdirs
for _module in ("platformdirs.unix", "platformdirs._runtime", "platformdirs._xdg"):
    try:
        __import__(_module)
    except ImportError:
        pass

msvcrt = types.ModuleType("msvcrt")
msvcrt.LK_NBLCK, msvcrt.LK_UNLCK = 2, 0

def locking(fd, mode, nbytes):
    # Like Windows: lock `nbytes` from the current position, fail at once if taken.
    where = os.lseek(fd, 0, os.SEEK_CUR)
    try:
        if mode == msvcrt.LK_UNLCK:
            _posix_fcntl.lockf(fd, _posix_fcntl.LOCK_UN, nbytes, where)
        else:
            _posix_fcntl.lockf(fd, _posix_fcntl.LOCK_EX | _posix_fcntl.LOCK_NB, nbytes, where)
    except BlockingIOError:
        raise OSError(errno.EDEADLOCK, "Resource deadlock avoided") from None

msvcrt.locking = locking
sys.modules["msvcrt"] = msvcrt
sys.modules["fcntl"] = None  # `import fcntl` now raises ImportError
for name in ("O_NOFOLLOW", "O_DIRECTORY", "O_CLOEXEC", "O_NONBLOCK", "pread", "pwrite", "geteuid",
             "getegid", "getuid", "getgid", "fchown", "fchmod", "sync"):
    if hasattr(os, name):
        delattr(os, name)
for name in ("SIGHUP", "SIGQUIT", "pthread_sigmask"):
    if hasattr(signal, name):
        delattr(signal, name)

if sys.argv[1:] == ["--which-lock"]:
    from nexus_cli.core.store import lock
    print(lock.try_lock.__module__)
    sys.exit(0)
sys.argv = ["nexus", *sys.argv[1:]]
from nexus_cli.cli import main
main()
"""


@pytest.fixture
def windows_like(tmp_path: Path):
    shim = tmp_path / "windows_like.py"
    shim.write_text(SHIM, encoding="utf-8")

    def run(*args: str, expect: int = 0, now: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, **({"NEXUS_NOW": now} if now else {})}
        result = subprocess.run(
            [sys.executable, str(shim), *args], capture_output=True, text=True, timeout=120, env=env
        )
        assert result.returncode == expect, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    return run


def test_the_lock_takes_the_windows_branch(windows_like):
    assert windows_like("--which-lock").stdout.strip() == "nexus_cli.core.store._lock_windows"


def test_the_main_commands_work_without_posix_apis(windows_like, journal_path: Path, tmp_path: Path):
    windows_like("init", "--program", "ProDev Backend", "--ends", "2027-03-01")
    windows_like("add", "topic", "Python", "--target", "40h")
    windows_like("add", "topic", "Decorators", "--parent", "python", "--category", "concept")
    windows_like("add", "topic", "Django")
    windows_like("log", "python", "1h30m", "--note", "generators")
    windows_like("log", "decorators", "45m", "--date", "yesterday")
    windows_like("start", "django", now="2026-11-28T16:30:00+00:00")
    windows_like("stop", "--note", "class-based views")
    windows_like("add", "challenge", "RabbitMQ routing", "--topic", "python", "--problem", "exchanges")
    windows_like("solve", "rabbit", "--solution", "drew every message's path")
    windows_like("edit", "django", "--status", "learning")
    listed = windows_like("list", "sessions", "--format", "json").stdout
    assert "class-based views" in listed and "generators" in listed
    assert "Python" in windows_like("progress").stdout
    windows_like("export", "markdown", "-o", str(tmp_path / "README.md"))
    windows_like("export", "json", "-o", str(tmp_path / "copy.json"))
    windows_like("validate", str(journal_path), str(tmp_path / "copy.json"))
    windows_like("import", str(tmp_path / "README.md"), "--dry-run")
    windows_like("demo", "--write", str(tmp_path / "demo.toml"))
    windows_like("import", str(tmp_path / "demo.toml"), "--skip-clashes")
    windows_like("rm", "decorators", "--with-sessions", "--yes")
    journal = store.load_journal(journal_path)
    assert "decorators" not in {t.id for t in journal.topics}
    assert {t.id for t in journal.topics} >= {"python", "django", "kubernetes"}
    assert store.backup_path(journal_path).exists()
    # a bad journal is still one line and exit 2
    (tmp_path / "bad.toml").write_text("schema_version = [", encoding="utf-8")
    windows_like("-j", str(tmp_path / "bad.toml"), "log", "python", "1h", expect=2)


def test_parallel_writers_queue_on_the_windows_lock(windows_like, journal_path: Path):
    windows_like("init")
    windows_like("add", "topic", "Python")
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: windows_like("log", "python", f"{n + 1}m", "--note", f"w{n}"), range(8)))
    notes = sorted(s.note for s in store.load_journal(journal_path).sessions)
    assert notes == sorted(f"w{n}" for n in range(8))


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (
            '"C:\\Program Files\\Notepad++\\notepad++.exe" -multiInst',
            ["C:\\Program Files\\Notepad++\\notepad++.exe", "-multiInst"],
        ),
        ("C:\\tools\\vim\\gvim.exe -f", ["C:\\tools\\vim\\gvim.exe", "-f"]),
        ("code --wait", ["code", "--wait"]),
        ("notepad", ["notepad"]),
    ],
)
def test_editor_command_lines_split_the_windows_way(line: str, words: list[str]):
    assert split_command(line, windows=True) == words


def test_editor_command_lines_split_the_posix_way():
    assert split_command("'/opt/my editor/bin/ed' -w", windows=False) == ["/opt/my editor/bin/ed", "-w"]


def test_a_stream_under_a_legacy_code_page_gets_utf8(monkeypatch):
    # `nexus progress > view.txt` on Windows: the file is opened in cp1252, which has no box lines.
    import io

    from nexus_cli import cli

    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    out = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", out)
    cli._streams_that_hold_any_text()
    out.write("╭─ Topics ✓ 日本")
    out.flush()
    assert out.buffer.getvalue().decode("utf-8") == "╭─ Topics ✓ 日本"


def test_an_encoding_asked_for_is_kept_with_a_mark_for_what_it_lacks(monkeypatch):
    import io

    from nexus_cli import cli

    monkeypatch.setenv("PYTHONIOENCODING", "latin-1")
    out = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    monkeypatch.setattr(sys, "stdout", out)
    cli._streams_that_hold_any_text()
    out.write("café ✓")
    out.flush()
    assert out.buffer.getvalue() == "café ?".encode("latin-1")
