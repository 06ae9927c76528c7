"""Read and write journal files without ever losing or damaging one.

Every write goes to a temporary file in the journal's folder, is flushed to disk,
and replaces the journal with one rename; the previous version is kept as a
backup beside it. Read-modify-write runs under an exclusive lock, so parallel
writers queue up instead of overwriting each other.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nexus_cli.core import codec
from nexus_cli.core.errors import JournalError
from nexus_cli.core.models import SCHEMA_VERSION, Journal

DEFAULT_LOCK_TIMEOUT = 5.0
NEW_FILE_MODE = 0o600
NEW_DIR_MODE = 0o700


def real_path(path: Path) -> Path:
    """Return the file a journal path stands for, following symlinks."""
    return Path(os.path.realpath(path))


def lock_path(path: Path) -> Path:
    """Return the lock file of a journal: `.NAME.lock` beside the real file."""
    target = real_path(path)
    return target.with_name(f".{target.name}.lock")


def backup_path(path: Path) -> Path:
    """Return where the previous version of a journal is kept."""
    target = real_path(path)
    return target.with_name(f".{target.name}.bak")


def _lock_timeout() -> float:
    try:
        return float(os.environ.get("NEXUS_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the journal's lock; raise JournalError if it is busy for `timeout` s.

    The lock is an flock on a separate file, so it dies with its process: a
    killed writer never leaves a lock that blocks the next run.
    """
    timeout = _lock_timeout() if timeout is None else timeout
    where = lock_path(path)
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(where, flags, NEW_FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise JournalError(
                f"{where} is a symbolic link; nexus will not follow it",
                hint="remove that link and run the command again",
            ) from None
        raise JournalError(f"cannot create lock file {where}: {exc.strerror}") from None
    try:
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise JournalError(
                        f"{path} is busy: another nexus has held its lock for {timeout:g}s",
                        hint="wait for it to finish; set NEXUS_LOCK_TIMEOUT to wait longer",
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        yield
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def ensure_folder(folder: Path) -> None:
    """Create a journal's folder (0700) if it does not exist."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(mode=NEW_DIR_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(f"cannot create folder {folder}: {exc.strerror}") from None


def atomic_write(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Replace `path` with `data` in one rename, keeping the old file as a backup.

    A symlinked path keeps its link and updates the target. The file keeps its
    mode; a new file is created 0600 whatever the umask.
    """
    target = real_path(path)
    folder = target.parent
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
        exists = True
    except FileNotFoundError:
        mode, exists = NEW_FILE_MODE, False
    except OSError as exc:
        raise JournalError(f"cannot read {path}: {exc.strerror}") from None
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        try:
            os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if exists and backup:
            _keep_backup(target)
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_dir(folder)
    except OSError as exc:
        raise JournalError(
            f"cannot write {path}: {exc.strerror or exc}",
            hint="check free space and permissions; the journal was left as it was",
        ) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _keep_backup(target: Path) -> None:
    """Make `.NAME.bak` the current file before it is replaced (a hard link if possible)."""
    backup = target.with_name(f".{target.name}.bak")
    staging = target.with_name(f".{target.name}.bak.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(staging)
    try:
        os.link(target, staging)
    except OSError:
        with open(target, "rb") as src:
            content = src.read()
        fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE)
        try:
            os.write(fd, content)
            os.fsync(fd)
        finally:
            os.close(fd)
    os.replace(staging, backup)


def read_text(path: Path) -> str:
    """Return a journal file's text, or raise JournalError saying why it cannot."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise JournalError(
            f"no journal at {path}",
            hint="create one with `nexus init`, or pick another with --journal",
        ) from None
    except IsADirectoryError:
        raise JournalError(f"{path} is a folder, not a journal file") from None
    except OSError as exc:
        raise JournalError(f"cannot read {path}: {exc.strerror}") from None
    return decode(raw, str(path))


def decode(raw: bytes, source: str) -> str:
    """Return the text of a journal's bytes (UTF-8, a BOM tolerated)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise JournalError(
            f"{source}:{line}: not valid UTF-8 (byte {exc.start})",
            hint="save the file as UTF-8, or restore the backup beside it",
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise JournalError(f"{source}:{line}: contains a NUL byte; the file looks damaged")
    return text


@dataclass
class Loaded:
    """A journal as read from disk, with what is needed to write it back."""

    path: Path
    journal: Journal
    text: str
    read_only_reason: str | None = None


def load(path: Path) -> Loaded:
    """Read and validate the journal at `path`."""
    text = read_text(path)
    fmt = codec.format_for(path)
    journal = codec.loads(text, fmt, str(path))
    reason = None
    if journal.schema_version > SCHEMA_VERSION:
        reason = (
            f"{path} was written by a newer nexus (schema {journal.schema_version}); it is read-only here"
        )
    return Loaded(path=path, journal=journal, text=text, read_only_reason=reason)


def load_journal(path: Path) -> Journal:
    """Return the journal at `path`."""
    return load(path).journal


def save(path: Path, journal: Journal, *, previous_text: str | None = None) -> bool:
    """Write the journal if its text changed; return whether it was written."""
    journal.schema_version = max(journal.schema_version, SCHEMA_VERSION)
    text = codec.dumps(journal, codec.format_for(path))
    if text == previous_text:
        return False
    atomic_write(path, text.encode("utf-8"))
    return True


def create(path: Path, journal: Journal) -> None:
    """Write a new journal; refuse if a file is already there."""
    if path.exists() or path.is_symlink():
        raise JournalError(
            f"{path} already exists; nexus will not overwrite it",
            hint="pick another path with --journal, or remove the file first",
        )
    ensure_folder(path.parent)
    with locked(path):
        if path.exists():
            raise JournalError(f"{path} already exists; nexus will not overwrite it")
        atomic_write(path, codec.dumps(journal, codec.format_for(path)).encode("utf-8"))


@contextlib.contextmanager
def transaction(path: Path) -> Iterator[Journal]:
    """Lock, load, yield the journal for changes, then save it if it changed.

    If the block raises, nothing is written.
    """
    if not path.exists() and not path.is_symlink():
        read_text(path)  # raises the "no journal" error
    with locked(path):
        loaded = load(path)
        if loaded.read_only_reason:
            raise JournalError(loaded.read_only_reason, hint="upgrade nexus to change it")
        yield loaded.journal
        save(path, loaded.journal, previous_text=loaded.text)
