"""The journal's lock: parallel writers queue up instead of overwriting each other."""

from __future__ import annotations

import contextlib
import errno
import math
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from nexus_cli.core.errors import JournalError
from nexus_cli.core.store.files import _DENIED, NEW_FILE_MODE, _why, open_flag, real_path

try:
    from nexus_cli.core.store._lock_posix import try_lock, unlock
except ImportError:  # no fcntl: Windows
    from nexus_cli.core.store._lock_windows import try_lock, unlock

DEFAULT_LOCK_TIMEOUT = 5.0


def lock_path(path: Path) -> Path:
    """Return the lock file of a journal: `.NAME.lock` beside the real file."""
    target = real_path(path)
    return target.with_name(f".{target.name}.lock")


def _lock_timeout() -> float:
    try:
        value = float(os.environ.get("NEXUS_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT
    # nan or inf would wait forever; a lock that never comes must still end in a message.
    return value if math.isfinite(value) and value >= 0 else DEFAULT_LOCK_TIMEOUT


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the journal's lock; raise JournalError if one holder keeps it for `timeout` s.

    The lock is an flock on a separate file, so it dies with its process: a
    killed writer never leaves a lock that blocks the next run. A symlink or
    anything but a plain file at the lock path is refused, never followed.
    Each holder writes its pid and a stamp into the file; while the stamp keeps
    changing the queue is moving, so fifty writers at once all get their turn,
    and only a lock that stays with one holder for `timeout` seconds is an error.
    """
    timeout = _lock_timeout() if timeout is None else timeout
    where = lock_path(path)
    flags = os.O_RDWR | os.O_CREAT | open_flag("O_CLOEXEC", "O_NOFOLLOW", "O_NONBLOCK", "O_BINARY")
    try:
        if not open_flag("O_NOFOLLOW") and os.path.islink(where):  # no O_NOFOLLOW to refuse it
            raise OSError(errno.ELOOP, "a symbolic link")
        fd = os.open(where, flags, NEW_FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise JournalError(
                f"{where} is a symbolic link; nexus will not follow it",
                hint="remove that link and run the command again",
            ) from None
        if exc.errno in _DENIED:
            _refuse_foreign_lock(path, where, exc)
        hint = "the journal's folder is not writable; reading still works" if exc.errno in _DENIED else None
        raise JournalError(
            f"cannot write {path}: cannot create its lock file {where}: {_why(exc)}", hint=hint
        ) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise JournalError(
                f"{where} is not a plain file; nexus will not use it as a lock",
                hint="remove it and run the command again",
            )
        holder = _lock_holder(fd)
        deadline = time.monotonic() + timeout
        delay = 0.002
        while not try_lock(fd):
            now = time.monotonic()
            current = _lock_holder(fd)
            if current != holder:  # someone else had their turn: the queue moves
                holder, deadline = current, now + timeout
            elif now >= deadline:
                pid = holder.split(" ", 1)[0] if holder else ""
                who = f"another nexus (pid {pid})" if pid.isdigit() else "another nexus"
                raise JournalError(
                    f"{path} is busy: {who} has held its lock for {timeout:g}s",
                    hint="wait for it to finish; set NEXUS_LOCK_TIMEOUT to wait longer",
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.02)
        with contextlib.suppress(OSError):
            stamp = f"{os.getpid()} {time.time_ns()}\n".encode()
            _write_at_start(fd, stamp.ljust(40))
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                unlock(fd)
    finally:
        os.close(fd)


def _refuse_foreign_lock(path: Path, where: Path, exc: OSError) -> None:
    """Say so when the lock file exists but may not be opened (another user's, or read-only)."""
    try:
        info = os.lstat(where)
    except OSError:
        return  # no lock file: the folder itself refused to make one
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        try:
            import pwd

            owner = f"user {pwd.getpwuid(info.st_uid).pw_name}"
        except (ImportError, KeyError):
            owner = f"user id {info.st_uid}"
        raise JournalError(
            f"cannot write {path}: its lock file {where} belongs to {owner} and you may not open it",
            hint="ask its owner to remove it (or remove it if no nexus is running); reading still works",
        ) from None
    raise JournalError(
        f"cannot write {path}: its lock file {where} is read-only ({_why(exc)})",
        hint=f"make it writable (chmod u+w {where}) or remove it; reading still works",
    ) from None


def _lock_holder(fd: int) -> str:
    try:
        return _read_at_start(fd, 64).decode("ascii", "replace").strip()
    except OSError:
        return ""


def _read_at_start(fd: int, size: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, size, 0)
    os.lseek(fd, 0, os.SEEK_SET)  # Windows: the fd is this process's own, so seeking is safe
    return os.read(fd, size)


def _write_at_start(fd: int, data: bytes) -> None:
    if hasattr(os, "pwrite"):
        os.pwrite(fd, data, 0)
        return
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)
