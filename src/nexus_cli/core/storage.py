"""Read and write journal files without ever losing or damaging one.

Every write goes to a temporary file in the journal's folder, is flushed to disk,
and replaces the journal with one rename; the previous version is kept as a
backup beside it. Read-modify-write runs under an exclusive lock, so parallel
writers queue up instead of overwriting each other. docs/reliability.md lists
the promises this module keeps and the tests that hold it to them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import math
import os
import re
import signal
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from nexus_cli.core import cache, codec, splice
from nexus_cli.core.errors import InputError, JournalError
from nexus_cli.core.models import SCHEMA_VERSION, Journal

DEFAULT_LOCK_TIMEOUT = 5.0
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
_DEFERRED_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT}

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


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
        value = float(os.environ.get("NEXUS_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT
    # nan or inf would wait forever; a lock that never comes must still end in a message.
    return value if math.isfinite(value) and value >= 0 else DEFAULT_LOCK_TIMEOUT


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


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
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        fd = os.open(where, flags, NEW_FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise JournalError(
                f"{where} is a symbolic link; nexus will not follow it",
                hint="remove that link and run the command again",
            ) from None
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
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
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
            os.pwrite(fd, stamp.ljust(40), 0)
        yield
    finally:
        os.close(fd)


def _lock_holder(fd: int) -> str:
    try:
        return os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
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
                if info is not None and (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                    # root editing someone's journal must not leave it owned by root
                    with contextlib.suppress(OSError):
                        os.fchown(fd, info.st_uid, info.st_gid)
                os.fchmod(fd, mode)
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            if info is not None and backup:
                staging = _stage_backup(target)
            os.replace(tmp_name, target)
            tmp_name = None
            if staging is not None:
                # only now, so a write that fails leaves the old backup alone too
                os.replace(staging, target.with_name(f".{target.name}.bak"))
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


def _stage_backup(target: Path) -> Path:
    """Keep the current file as `.NAME.bak.tmp` (a hard link if possible); return that path."""
    staging = target.with_name(f".{target.name}.bak.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(staging)
    try:
        os.link(target, staging, follow_symlinks=False)
    except OSError:
        with open(target, "rb") as src:
            content = src.read()
        fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, NEW_FILE_MODE)
        try:
            os.fchmod(fd, NEW_FILE_MODE)
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
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
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


@dataclass
class Loaded:
    """A journal as read from disk, with what is needed to write it back."""

    path: Path
    journal: Journal
    text: str
    read_only_reason: str | None = None
    bom: bool = False
    crlf: bool = False
    # The cache entry of the text as read (None with the cache off) and the
    # section lists then: what save() needs to append instead of rewriting.
    cached: cache.Entry | None = None
    sections: dict[str, list] | None = None


def _key(raw: bytes, path: Path) -> str:
    return cache.key(raw, codec.format_for(path), SCHEMA_VERSION)


def load(path: Path, *, check_canonical: bool = False, raw: bytes | None = None) -> Loaded:
    """Read and validate the journal at `path` (from the cache when its bytes are known).

    With `check_canonical`, also settle whether the file is exactly the text
    nexus would write for it (one dump of the journal), so that a following
    save() may insert a new entry's block, and the cache remembers it for the
    next change. Without, a file nexus has not written since it was last
    cached is saved in full. `raw` is the file's bytes when the caller has just
    read them (under the same lock, for a change).
    """
    if raw is None:
        raw = read_bytes(path)
    text = decode(raw, str(path))
    if not text.strip():
        # Never a valid journal (`nexus init` writes at least the schema version): most
        # likely a file cut short by another program, so it must not be written over.
        raise JournalError(
            f"{path} is empty; it is not a journal nexus wrote",
            hint="restore the backup beside it (`nexus where`), or delete it and run `nexus init`",
        )
    fmt = codec.format_for(path)
    entry = cache.lookup(_key(raw, path)) if cache.enabled() else None
    journal = None
    if entry is not None:
        try:
            journal = Journal.__pydantic_validator__.validate_json(entry.state)
        except ValueError:  # an entry from a nexus with other models: ignore it
            entry = None
    if journal is None:
        journal = codec.loads(text, fmt, str(path))
        if cache.enabled():
            entry = cache.Entry(
                _key(raw, path), _state(journal), None, sessions_sorted=splice.sessions_sorted(journal)
            )
            if not check_canonical:
                cache.store(entry)
    if check_canonical and entry is not None and entry.canonical is None:
        # decode() drops a BOM, so the bytes must be checked for one too
        entry.canonical = codec.dumps(journal, fmt) == text and not raw.startswith(BOM)
        cache.store(entry)
    reason = None
    if journal.schema_version > SCHEMA_VERSION:
        reason = (
            f"{path} was written by a newer nexus (schema {journal.schema_version}); it is read-only here"
        )
    first_line = text.partition("\n")
    crlf = bool(first_line[1]) and first_line[0].endswith("\r")
    return Loaded(
        path=path,
        journal=journal,
        text=text,
        read_only_reason=reason,
        bom=raw.startswith(BOM),
        crlf=crlf,
        cached=entry,
        sections=splice.snapshot(journal) if entry is not None else None,
    )


def load_journal(path: Path) -> Journal:
    """Return the journal at `path`."""
    return load(path).journal


def load_recent(path: Path, sessions_since: dt.date) -> tuple[Journal, bool]:
    """Return the journal at `path` for reading sessions dated `sessions_since` or later.

    Sessions dated before it may be left out: when the cache holds this file and
    its sessions are in date order, only the rest is validated (a fraction of a
    large journal). Also returns whether any sessions were left out. Everything
    else in the journal is whole.
    """
    raw = read_bytes(path)
    if cache.enabled():
        entry = cache.lookup(_key(raw, path))
        if entry is not None and entry.sessions_sorted:
            state = splice.partial_state(entry.state, sessions_since)
            if state is not None:
                try:
                    journal = Journal.__pydantic_validator__.validate_json(state)
                except ValueError:  # an entry from a nexus with other models: read it in full
                    pass
                else:
                    return journal, len(state) < len(entry.state)
    return load(path, raw=raw).journal, False


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start]
        shown = f"byte 0x{ord(bad) - 0xDC00:02x}" if 0xDC80 <= ord(bad) <= 0xDCFF else f"U+{ord(bad):04X}"
        raise InputError(
            f"some text is not valid UTF-8 ({shown}); nothing was saved",
            hint="retype it, or set your terminal to UTF-8",
        ) from None


def save(path: Path, journal: Journal, *, previous: Loaded | None = None) -> bool:
    """Write the journal if its text changed; return whether it was written.

    Given the `previous` load of a file nexus wrote itself (its cache entry says
    canonical), a change that only adds one entry is written by inserting that
    entry's block into the old text at its place (the same bytes as a full dump,
    proved on the journal's JSON state); any other change writes the full text,
    keeping the BOM and CRLF line ends of a file saved by a Windows editor.
    """
    journal.schema_version = max(journal.schema_version, SCHEMA_VERSION)
    fmt = codec.format_for(path)
    bom = previous is not None and previous.bom
    crlf = previous is not None and previous.crlf
    state = _state(journal) if cache.enabled() else None
    text = None
    if previous is not None and previous.cached is not None and previous.cached.canonical:
        assert state is not None and previous.sections is not None
        text = splice.appended_text(
            previous.text, fmt, previous.cached.state, previous.sections, journal, state
        )
    if text is None:
        text = codec.dumps(journal, fmt)
        if crlf:
            text = text.replace("\n", "\r\n")
    if previous is not None and text == previous.text:
        return False
    raw = (BOM if bom else b"") + _encode(text)
    atomic_write(path, raw)
    if state is not None:
        canonical = not bom and not crlf
        cache.store(
            cache.Entry(_key(raw, path), state, canonical, sessions_sorted=splice.sessions_sorted(journal))
        )
    return True


def _state(journal: Journal) -> bytes:
    """Return the journal's compact JSON (what the cache keeps), straight from pydantic-core."""
    return Journal.__pydantic_serializer__.to_json(journal)


def create(path: Path, journal: Journal) -> None:
    """Write a new journal; refuse if a file is already there."""
    if path.exists() or path.is_symlink():
        raise JournalError(
            f"{path} already exists; nexus will not overwrite it",
            hint="pick another path with --journal, or remove the file first",
        )
    ensure_folder(path.parent)
    data = _encode(codec.dumps(journal, codec.format_for(path)))
    with locked(path):
        if path.exists() or path.is_symlink():
            raise JournalError(f"{path} already exists; nexus will not overwrite it")
        atomic_write(path, data)


T = TypeVar("T")
_NOT_LIGHT = object()


def update(path: Path, change: Callable[[Journal], T], *, sessions_since: dt.date | None = None) -> T:
    """Lock the journal, apply `change` to it, save it; return what `change` returned.

    `change` must only change the journal it is given (it may be called twice).
    When the file is a canonical text nexus has cached, `change` first gets a
    partial journal: every section but the sessions dated before
    `sessions_since` (all sessions when None). If it added one entry and
    nothing else, that entry's block is inserted into the file as it is, and the
    cache entry follows; otherwise, or if the new id is already used in the
    part left out, the partial result is dropped and `change` runs on the whole
    journal through the normal load and save. Either way the file ends up the
    same canonical text, written atomically under the lock with a backup.
    """
    if not path.exists():
        read_bytes(path)  # raises "no journal" (or names the dangling link), before any lock file
    with locked(path):
        raw = read_bytes(path)
        result = _update_light(path, raw, change, sessions_since)
        if result is not _NOT_LIGHT:
            return result  # type: ignore[return-value]
        loaded = load(path, check_canonical=True, raw=raw)  # an append can then be spliced in
        if loaded.read_only_reason:
            raise JournalError(loaded.read_only_reason, hint="upgrade nexus to change it")
        result = change(loaded.journal)
        save(path, loaded.journal, previous=loaded)
        return result


def _update_light(
    path: Path, raw: bytes, change: Callable[[Journal], T], sessions_since: dt.date | None
) -> object:
    if not cache.enabled():
        return _NOT_LIGHT
    entry = cache.lookup(_key(raw, path))
    if entry is None or not entry.canonical or not entry.sessions_sorted:
        return _NOT_LIGHT
    state = splice.partial_state(entry.state, sessions_since)
    if state is None:
        return _NOT_LIGHT
    try:
        journal = Journal.__pydantic_validator__.validate_json(state)
    except ValueError:
        return _NOT_LIGHT
    if journal.schema_version != SCHEMA_VERSION:
        return _NOT_LIGHT  # older: save() migrates; newer: read-only, said by the full path
    text = decode(raw, str(path))
    fmt = codec.format_for(path)
    before = splice.snapshot(journal)
    result = change(journal)
    new_state = _state(journal)
    if new_state == state:
        return result  # nothing changed
    found = splice.insertion(
        text, fmt, state, before, journal, new_state, present=splice.present_in_state(entry.state)
    )
    if found is None or splice.id_taken(text, fmt, found.entry.id):
        return _NOT_LIGHT
    if found.section == "sessions" and (
        # The sessions left out all sort before `sessions_since`: the new one must not.
        sessions_since is None or found.entry.date < sessions_since or not splice.sessions_sorted(journal)
    ):
        return _NOT_LIGHT
    full_state = splice.insert_state(
        entry.state, found.section, found.entry.model_dump_json().encode(), found.before
    )
    if full_state is None:
        return _NOT_LIGHT
    new_raw = _encode(found.text)
    atomic_write(path, new_raw)
    cache.store(cache.Entry(_key(new_raw, path), full_state, True, sessions_sorted=True))
    return result


@contextlib.contextmanager
def transaction(path: Path) -> Iterator[Journal]:
    """Lock, load, yield the journal for changes, then save it if it changed.

    If the block raises, nothing is written.
    """
    if not path.exists():
        read_bytes(path)  # raises "no journal" (or names the dangling link), before any lock file
    with locked(path):
        loaded = load(path)
        if loaded.read_only_reason:
            raise JournalError(loaded.read_only_reason, hint="upgrade nexus to change it")
        yield loaded.journal
        save(path, loaded.journal, previous=loaded)
