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
from typing import Literal, NamedTuple

from nexus_cli.core.errors import InputError, JournalError, NexusError

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


Format = Literal["toml", "json"]


def format_for(path: str | Path) -> Format:
    """Return the journal format a path implies: JSON for `.json`, else TOML."""
    return "json" if str(path).lower().endswith(".json") else "toml"


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


def blocked_folder(path: str | Path) -> Path | None:
    """Return the folder on `path`'s way that may not be entered (no search permission), if any."""
    target = Path(os.path.abspath(path))
    for item in [*reversed(target.parents[:-1]), target]:
        try:
            os.lstat(item)
        except PermissionError:
            return item.parent
        except OSError:
            return None
    return None


def os_error_message(exc: OSError, path: str | Path | None = None) -> str:
    """Return one line naming what an OSError was about and its real cause."""
    where = path if path is not None else exc.filename
    reason = _why(exc)
    if where is None:
        return reason
    if exc.errno in (errno.EACCES, errno.EPERM):
        folder = blocked_folder(where)
        if folder is not None:
            return f"{where}: permission denied: the folder {folder} may not be entered"
        return f"{where}: permission denied"
    return f"{where}: {reason}"


def denied_reason(path: str | Path) -> str:
    """Return why `path` could not be opened, when the answer was "permission denied"."""
    folder = blocked_folder(path)
    if folder is not None:
        return f"permission denied: the folder {folder} may not be entered"
    return "permission denied: its mode does not let you read it"


def exists(path: Path) -> bool:
    """Return whether anything (even a dangling link) is at `path`; raise JournalError if we cannot tell."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise JournalError(os_error_message(exc, path), hint="check the folder's permissions") from None
    return True


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


def atomic_write(path: Path, data: bytes, *, backup: bool = True, history: bool = False) -> None:
    """Replace `path` with `data` in one rename, keeping the old file as a backup.

    A symlinked path keeps its link and updates the target. The file keeps its
    mode (and, where allowed, its owner); a new file is created 0600 whatever the
    umask. On any failure before the rename the old file is left exactly as it
    was and no temp file remains. Once the rename has happened the write has
    landed: a backup that cannot be kept is a notice (see `take_notices`), not
    an error, and the backup there before stays as it was. A file with more than
    one hard link is written in place instead (`_write_in_place`), so that every
    name keeps seeing the journal. With `history`, the old file is also kept
    among the journal's recent versions (history.py) for `nexus undo`.
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
    if info is not None and _other_links(target, info):
        _write_in_place(path, target, info, data, backup=backup, history=history)
        return
    mode = stat.S_IMODE(info.st_mode) if info is not None else NEW_FILE_MODE
    with _signals_deferred():
        tmp_name = staging = None
        backup_problem: OSError | None = None
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
                try:
                    staging = _stage_backup(target)
                except OSError as exc:  # the journal matters more than its backup
                    backup_problem = exc
            _replace(tmp_name, target)
            tmp_name = None
        except OSError as exc:
            raise _write_failed(path, folder, exc) from None
        finally:
            if tmp_name is not None:  # the write failed: neither temp file may stay
                for leftover in (tmp_name, staging):
                    if leftover is not None:
                        with contextlib.suppress(OSError):
                            os.unlink(leftover)
        # The write has landed: from here on nothing may report it as failed.
        backup_problem = _settle_backup(path, target, staging, data, history) or backup_problem
        _fsync_dir(folder)
    if backup_problem is not None:
        _backup_notice(path, target, backup_problem)
    _remove_stale_temps(target)


def _write_failed(path: Path, folder: Path, exc: OSError) -> JournalError:
    if exc.errno in _FULL:
        hint = "free some disk space and run the command again; the file was left as it was"
    elif exc.errno in _DENIED:
        hint = f"check that you may write to {folder}; the file was left as it was"
    else:
        hint = "the file was left as it was"
    return JournalError(f"cannot write {path}: {_why(exc)}", hint=hint)


def _settle_backup(
    path: Path, target: Path, staging: Path | None, data: bytes, history: bool
) -> OSError | None:
    """After the rename: keep the old version for undo and move the backup into place.

    Only now, so that a write that fails leaves the old backup alone too. Returns
    the problem, if the backup could not be kept.
    """
    if staging is None:
        return None
    if history:
        _keep_version(path, target, staging, data)
    try:
        _replace(staging, backup_path(target))
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(staging)
        return exc
    return None


# Notices of a write that landed but left something undone (a backup that could
# not be kept). The core never prints; the command line shows them as warnings.
_notices: list[str] = []


def write_journal(path: Path, raw: bytes) -> None:
    """Write a journal's bytes atomically with a backup, keeping the old version for undo.

    A journal nexus could not read back (over the size limit of `read_bytes`)
    is refused here, before anything is written.
    """
    limit = MAX_JOURNAL_BYTES
    if len(raw) > limit:
        raise JournalError(
            f"cannot write {path}: it would be {len(raw) / (1024 * 1024):.1f} MB, over the"
            f" {limit // (1024 * 1024)} MB a journal may be; nothing was written",
            hint="remove old entries or start a new journal with `nexus init`; the file was left as it was",
        )
    atomic_write(path, raw, history=True)


def take_notices() -> list[str]:
    """Return and forget the notices of the writes made since the last call."""
    taken = list(_notices)
    _notices.clear()
    return taken


def notice(message: str) -> None:
    """Record a notice about a write that landed (shown as a warning)."""
    _notices.append(message)


def _backup_notice(path: Path, target: Path, problem: OSError) -> None:
    where = backup_path(target)
    if os.path.isfile(where) and not os.path.islink(where):
        kept = "it still holds an older version"
    elif os.path.lexists(where):
        kept = "move what is at that path away to get backups again"
    else:
        kept = "there is no backup now"
    notice(f"{path} was saved, but its backup {where} could not be updated ({_why(problem)}); {kept}")


def _keep_version(path: Path, target: Path, old: Path | bytes, new: bytes) -> None:
    from nexus_cli.core.store import history

    try:
        history.record(target, old, new)
    except OSError as exc:
        notice(f"{path} was saved, but its old version could not be kept for undo ({_why(exc)})")


def _other_links(target: Path, info: os.stat_result) -> bool:
    """Return whether the file has hard links other than the one nexus stages as a backup."""
    if info.st_nlink <= 1:
        return False
    staging = target.with_name(f".{target.name}.bak.tmp")
    with contextlib.suppress(OSError):
        staged = os.lstat(staging)
        if (staged.st_ino, staged.st_dev) == (info.st_ino, info.st_dev):
            # a writer killed between its two renames left this link: it is ours
            os.unlink(staging)
            return info.st_nlink - 1 > 1
    return True


def _write_in_place(
    path: Path, target: Path, info: os.stat_result, data: bytes, *, backup: bool, history: bool
) -> None:
    """Write a hard-linked file in place, so that its other names see the new text too.

    A rename would give this name a new file and leave the other names on the
    old one (the journal would silently split in two). So, under the caller's
    lock: first a full copy of the old text becomes the backup (a copy, not a
    link, since the file itself changes), then room for the new text is
    reserved, so that a full disk fails before any byte changes, then the text
    is written, the file cut to its length and flushed. If writing fails, the
    old text is written back.
    """
    with _signals_deferred():
        try:
            fd = os.open(target, os.O_RDWR | open_flag("O_CLOEXEC", "O_NOFOLLOW", "O_BINARY"))
        except OSError as exc:
            raise JournalError(
                f"cannot write {path}: {_why(exc)}", hint=_hint_for(exc, target.parent)
            ) from None
        try:
            old = _read_all(fd)
            if backup:
                try:
                    _copy_backup(target, old)
                except OSError as exc:
                    raise JournalError(
                        f"cannot write {path}: it has {info.st_nlink} hard links, so it must be written"
                        f" in place, and its backup could not be made first ({_why(exc)})",
                        hint="the file was left as it was; free the backup path or remove the other links",
                    ) from None
            try:
                if len(data) > len(old) and hasattr(os, "posix_fallocate"):
                    os.posix_fallocate(fd, 0, len(data))
            except OSError as exc:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, len(old))
                if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):  # else: no reserving here
                    raise JournalError(
                        f"cannot write {path}: {_why(exc)}", hint=_hint_for(exc, target.parent)
                    ) from None
            try:
                _pwrite_all(fd, data)
                os.ftruncate(fd, len(data))
                os.fsync(fd)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    _pwrite_all(fd, old)
                    os.ftruncate(fd, len(old))
                    os.fsync(fd)
                raise JournalError(
                    f"cannot write {path}: {_why(exc)}", hint=_hint_for(exc, target.parent)
                ) from None
        finally:
            os.close(fd)
        if history:
            _keep_version(path, target, old, data)


def _hint_for(exc: OSError, folder: Path) -> str:
    if exc.errno in _FULL:
        return "free some disk space and run the command again; the file was left as it was"
    if exc.errno in _DENIED:
        return f"check that you may write to {folder}; the file was left as it was"
    return "the file was left as it was"


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _pwrite_all(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    _write_all(fd, data)


def _copy_backup(target: Path, content: bytes) -> None:
    """Make `content` the backup of `target`: a private copy, flushed, then renamed into place."""
    fd, staging = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        try:
            _set_mode(fd, staging, NEW_FILE_MODE)
            _write_all(fd, content)
            os.fsync(fd)
        finally:
            os.close(fd)
        _replace(staging, backup_path(target))
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(staging)
        raise


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


class _Words(NamedTuple):
    """How a careful read names what it refused: a journal, or a file the user gave."""

    error: type[NexusError]
    missing: str
    missing_hint: str | None
    link_hint: str | None
    folder: str
    not_plain: str
    not_plain_hint: str | None
    too_big: str
    too_big_hint: str | None


_JOURNAL = _Words(
    error=JournalError,
    missing="no journal at {path}",
    missing_hint="create one with `nexus init`, or pick another with --journal",
    link_hint="fix the link, or pick another journal with --journal",
    folder="{path} is a folder, not a journal file",
    not_plain="{path} is not a plain file (a device, pipe or socket), not a journal",
    not_plain_hint=None,
    too_big="{path} is {size}, too big to be a journal",
    too_big_hint="check that --journal points at the right file",
)
_INPUT = _Words(
    error=InputError,
    missing="no file at {path}",
    missing_hint=None,
    link_hint=None,
    folder="{path} is a folder, not a file",
    not_plain="{path} is not a plain file (a device, pipe or socket)",
    not_plain_hint="save it to a file first",
    too_big="{path} is {size}; nexus reads at most {limit} here",
    too_big_hint=None,
)


def _read_plain(path: Path, limit: int, words: _Words) -> bytes:
    """Return a plain file's bytes; refuse folders, pipes, devices and files over `limit`."""
    error = words.error
    try:
        # O_NONBLOCK: a FIFO planted at the path must not hang the open
        fd = os.open(path, os.O_RDONLY | open_flag("O_CLOEXEC", "O_NONBLOCK", "O_BINARY"))
    except FileNotFoundError:
        if os.path.islink(path):
            raise error(
                f"{path} is a symbolic link to {os.readlink(path)}, which does not exist",
                hint=words.link_hint,
            ) from None
        raise error(words.missing.format(path=path), hint=words.missing_hint) from None
    except IsADirectoryError:  # Windows opens no folder
        raise error(words.folder.format(path=path)) from None
    except PermissionError:
        raise error(f"cannot read {path}: {denied_reason(path)}") from None
    except OSError as exc:
        raise error(f"cannot read {path}: {_why(exc)}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error(words.folder.format(path=path))
        if not stat.S_ISREG(info.st_mode):
            raise error(words.not_plain.format(path=path), hint=words.not_plain_hint)
        if info.st_size > limit:
            too_big = words.too_big.format(path=path, size=_size(info.st_size), limit=_size(limit))
            raise error(too_big, hint=words.too_big_hint)
        chunks = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise error(f"{path} grew past {_size(limit)} while being read")
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"cannot read {path}: {_why(exc)}") from None
    finally:
        os.close(fd)


def read_bytes(path: Path) -> bytes:
    """Return a journal file's bytes; refuse folders, pipes, devices and giant files."""
    return _read_plain(path, MAX_JOURNAL_BYTES, _JOURNAL)


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


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n // (1024 * 1024)} MiB"
    return f"{n // 1024} KiB" if n >= 1024 else f"{n} bytes"


def read_input(path: Path, limit: int = MAX_JOURNAL_BYTES) -> bytes:
    """Return the bytes of a file the user names as input (import, check, merge).

    Like `read_bytes`, it refuses what only a plain file should be: a folder, a
    pipe or device (which would hang or never end) and anything bigger than
    `limit` (what a journal may be), each with a one-line InputError that names the file.
    """
    return _read_plain(path, limit, _INPUT)
