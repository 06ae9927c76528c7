"""The journal lock on POSIX systems (Linux, macOS): flock on the whole lock file."""

from __future__ import annotations

import fcntl


def try_lock(fd: int) -> bool:
    """Take the lock on `fd` if it is free; return whether we hold it now."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def unlock(fd: int) -> None:
    """Let the lock go (closing the file does too, and so does the process ending)."""
    fcntl.flock(fd, fcntl.LOCK_UN)
