"""Journal files on disk: atomic replacement with a backup, and careful reads.

Every write goes to a temporary file in the journal's folder, is flushed to disk,
and replaces the journal with one rename; the previous version is kept as a
backup beside it. docs/reliability.md lists the promises kept here and the
tests that hold the code to them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from nexus_cli.core.errors import JournalError

NEW_FILE_MODE = 0o600
NEW_DIR_MODE = 0o700
# A temp file this old, found while we hold the lock, belongs to a writer that was
# killed; younger ones are left alone in case a lock-free writer (an export) is busy.
STALE_TEMP_AGE = 10.0
# Ten years of daily sessions is about 2 MB; anything this big is not a journal.
MAX_JOURNAL_BYTES = 32 * 1024 * 1024
BOM = b"\xef\xbb\xbf"

# Held back while a file is being replaced, so Ctrl-C or a polite kill lands after
# the rename (or before the temp file exists), never in between.
# (Windows has neither SIGHUP nor SIGQUIT, nor signal masks.)
_DEFERRED_SIGNALS = {
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
}

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def open_flag(*names: str) -> int:
    """Return the os.open flags of these names that this system has (0 for the others).

    O_NOFOLLOW, O_CLOEXEC, O_NONBLOCK and O_DIRECTORY are POSIX; O_BINARY is
    Windows, where a file opened without it translates line endings.
    """
    flags = 0
    for name in names:
        flags |= getattr(os, name, 0)
    return flags


def real_path(path: Path) -> Path:
    """Return the file a journal path stands for, following symlinks."""
    return Path(os.path.realpath(path))


def backup_path(path: Path) -> Path:
    """Return where the previous version of a journal is kept."""
    target = real_path(path)
    return target.with_name(f".{target.name}.bak")


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _fsync_dir(folder: Path) -> None:
    if not open_flag("O_DIRECTORY"):  # Windows: a folder cannot be opened, its renames are durable
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | open_flag("O_DIRECTORY"))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def ensure_folder(folder: Path) -> None:
    """Create a journal's folder, and any missing parents, 0700 whatever the umask."""
    if folder.is_dir():
        return
    missing = []
    current = folder
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    try:
        for part in reversed(missing):
            try:
                os.mkdir(part, NEW_DIR_MODE)
            except FileExistsError:
                continue
            os.chmod(part, NEW_DIR_MODE)  # the umask may have taken bits away
    except OSError as exc:
        raise JournalError(f"cannot create folder {folder}: {_why(exc)}") from None
    if not folder.is_dir():
        raise JournalError(f"cannot create folder {folder}: something else is in the way")


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold back Ctrl-C and termination signals until the block ends."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED_SIGNALS)
    except (AttributeError, OSError, ValueError):  # no signal masks here: best effort
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _owner(info: os.stat_result) -> tuple[int, int]:
    return info.st_uid, info.st_gid


def _set_mode(fd: int, name: str, mode: int) -> None:
    """Give an open file its mode (by name where there is no fchmod: Windows before 3.13)."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:
        os.chmod(name, mode)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def atomic_write(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Replace `path` with `data` in one rename, keeping the old file as a backup.

    A symlinked path keeps its link and updates the target. The file keeps its
    mode (and, where allowed, its owner); a new file is created 0600 whatever the
    umask. On any failure the old file is left exactly as it was and no temp
    file remains.
    """
    target = real_path(path)
    folder = target.parent
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise JournalError(f"cannot read {path}: {_why(exc)}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise JournalError(f"{path} is not a plain file; nexus will not replace it")
    mode = stat.S_IMODE(info.st_mode) if info is not None else NEW_FILE_MODE
    with _signals_deferred():
        tmp_name = staging = None
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
            try:
                if (
                    info is not None
                    and hasattr(os, "fchown")
                    and _owner(info) != (os.geteuid(), os.getegid())
                ):
                    # root editing someone's journal must not leave it owned by root
                    with contextlib.suppress(OSError):
                        os.fchown(fd, info.st_uid, info.st_gid)
                _set_mode(fd, tmp_name, mode)
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            if info is not None and backup:
                staging = _stage_backup(target)
            _replace(tmp_name, target)
            tmp_name = None
            if staging is not None:
                # only now, so a write that fails leaves the old backup alone too
                _replace(staging, target.with_name(f".{target.name}.bak"))
                staging = None
            _fsync_dir(folder)
        except OSError as exc:
            if exc.errno in _FULL:
                hint = "free some disk space and run the command again; the file was left as it was"
            elif exc.errno in _DENIED:
                hint = f"check that you may write to {folder}; the file was left as it was"
            else:
                hint = "the file was left as it was"
            raise JournalError(f"cannot write {path}: {_why(exc)}", hint=hint) from None
        finally:
            for leftover in (tmp_name, staging):
                if leftover is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(leftover)
    _remove_stale_temps(target)


def _replace(source: str | Path, target: Path) -> None:
    """Rename `source` over `target`; on Windows, wait a moment for a reader to close it."""
    if os.name != "nt":
        os.replace(source, target)
        return
    # Windows refuses to replace a file another process has open (a reader, a
    # virus scanner); such opens are short, so try again for about a second.
    for delay in (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            time.sleep(delay)
    os.replace(source, target)


def _stage_backup(target: Path) -> Path:
    """Keep the current file as `.NAME.bak.tmp` (a hard link if possible); return that path."""
    staging = target.with_name(f".{target.name}.bak.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(staging)
    try:
        os.link(target, staging, follow_symlinks=False)
    except (OSError, NotImplementedError):  # no hard links here, or no follow_symlinks (Windows)
        with open(target, "rb") as src:
            content = src.read()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | open_flag("O_NOFOLLOW", "O_BINARY")
        fd = os.open(staging, flags, NEW_FILE_MODE)
        try:
            _set_mode(fd, str(staging), NEW_FILE_MODE)
            _write_all(fd, content)
            os.fsync(fd)
        except OSError:
            os.unlink(staging)
            raise
        finally:
            os.close(fd)
    return staging


def _remove_stale_temps(target: Path) -> None:
    """Remove temp files that killed writers left beside `target` (old ones only)."""
    pattern = re.compile(re.escape(f".{target.name}.") + r"(?:[A-Za-z0-9_]{8}|bak)\.tmp")
    cutoff = time.time() - STALE_TEMP_AGE
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                os.unlink(entry.path)


def read_bytes(path: Path) -> bytes:
    """Return a journal file's bytes; refuse folders, pipes, devices and giant files."""
    try:
        # O_NONBLOCK: a FIFO planted at the journal path must not hang the open
        fd = os.open(path, os.O_RDONLY | open_flag("O_CLOEXEC", "O_NONBLOCK", "O_BINARY"))
    except FileNotFoundError:
        if os.path.islink(path):
            raise JournalError(
                f"{path} is a symbolic link to {os.readlink(path)}, which does not exist",
                hint="fix the link, or pick another journal with --journal",
            ) from None
        raise JournalError(
            f"no journal at {path}",
            hint="create one with `nexus init`, or pick another with --journal",
        ) from None
    except OSError as exc:
        raise JournalError(f"cannot read {path}: {_why(exc)}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise JournalError(f"{path} is a folder, not a journal file")
        if not stat.S_ISREG(info.st_mode):
            raise JournalError(f"{path} is not a plain file (a device, pipe or socket), not a journal")
        if info.st_size > MAX_JOURNAL_BYTES:
            raise JournalError(
                f"{path} is {info.st_size // (1024 * 1024)} MB, too big to be a journal",
                hint="check that --journal points at the right file",
            )
        chunks = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_JOURNAL_BYTES:
                raise JournalError(f"{path} is too big to be a journal")
        return b"".join(chunks)
    except OSError as exc:
        raise JournalError(f"cannot read {path}: {_why(exc)}") from None
    finally:
        os.close(fd)


def read_text(path: Path) -> str:
    """Return a journal file's text, or raise JournalError saying why it cannot."""
    return decode(read_bytes(path), str(path))


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
        raise JournalError(
            f"{source}:{line}: contains a NUL byte; the file looks damaged",
            hint="restore the backup beside it (`nexus where` shows it)",
        )
    return text
