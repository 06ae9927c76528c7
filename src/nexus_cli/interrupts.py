"""Ctrl-C at any moment: exit 130 with one line, never a traceback or a half-written file.

While Python loads nexus, and after a command has finished, nothing is open for
writing, so Ctrl-C leaves at once. While a command runs it raises
KeyboardInterrupt as usual, so `finally` blocks remove temp files and release
the lock; storage holds it back during the few milliseconds of a rename.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator

EXIT_INTERRUPTED = 130


def _leave(signum: int, frame: object) -> None:
    with contextlib.suppress(OSError):
        os.write(2, b"\nerror: interrupted\n" if os.isatty(2) else b"error: interrupted\n")
    os._exit(EXIT_INTERRUPTED)


def _ignore(signum: int, frame: object) -> None:
    """Do nothing (a handler, not SIG_IGN, so a child process gets the default back)."""


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _is_nexus_process() -> bool:
    # Only the `nexus` program itself: a test runner importing nexus keeps its own Ctrl-C.
    argv0 = sys.argv[0] if sys.argv else ""
    return os.path.basename(argv0) == "nexus" or argv0.endswith(os.path.join("nexus_cli", "__main__.py"))


def quiet_while_loading() -> None:
    """Make Ctrl-C exit quietly with 130 until a command starts (in `nexus` only)."""
    if (
        _in_main_thread()
        and _is_nexus_process()
        and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    ):
        signal.signal(signal.SIGINT, _leave)


@contextlib.contextmanager
def raising() -> Iterator[None]:
    """Let Ctrl-C raise KeyboardInterrupt inside the block, then restore what was there."""
    if not _in_main_thread() or signal.getsignal(signal.SIGINT) is not _leave:
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, _leave)


@contextlib.contextmanager
def leaving() -> Iterator[None]:
    """Inside `raising()`, make Ctrl-C exit quietly again for the block: for loading modules.

    A command's modules load after the run has begun (the root app imports a
    command when it is named). Nothing is open for writing then, and a
    KeyboardInterrupt raised while Pydantic builds a model's validator is
    swallowed by pydantic-core and leaves that validator broken, so the
    command would go on and fail in strange words instead of stopping.
    """
    if not _in_main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    if not _is_nexus_process():
        yield
        return
    signal.signal(signal.SIGINT, _leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@contextlib.contextmanager
def left_to_child() -> Iterator[None]:
    """Ignore Ctrl-C in nexus while a child (the editor) runs; the child decides."""
    if not _in_main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, _ignore)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
