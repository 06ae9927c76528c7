"""The journal lock on Windows: msvcrt.locking on one byte of the lock file.

Windows locks are mandatory: a locked range cannot even be read by others.
The holder's stamp lives in the first bytes, where waiters read it to see the
queue move, so the lock is taken on a byte well past it (locking past the end
of a file is allowed). Windows releases the lock when the process ends.
"""

from __future__ import annotations

import msvcrt
import os

LOCKED_BYTE = 4096


def try_lock(fd: int) -> bool:
    """Take the lock on `fd` if it is free; return whether we hold it now."""
    os.lseek(fd, LOCKED_BYTE, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined, unused-ignore]
    except OSError:  # EACCES or EDEADLOCK: someone else holds it
        return False
    return True


def unlock(fd: int) -> None:
    """Let the lock go (closing the file and the process ending do too)."""
    os.lseek(fd, LOCKED_BYTE, os.SEEK_SET)
    msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined, unused-ignore]
