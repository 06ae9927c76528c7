"""Read and write journal files without ever losing or damaging one.

Every write goes to a temporary file in the journal's folder, is flushed to disk,
and replaces the journal with one rename; the previous version is kept as a
backup beside it. Read-modify-write runs under an exclusive lock, so parallel
writers queue up instead of overwriting each other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from nexus_cli.core import cache, codec, splice
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


def read_bytes(path: Path) -> bytes:
    """Return a journal file's bytes, or raise JournalError saying why it cannot."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise JournalError(
            f"no journal at {path}",
            hint="create one with `nexus init`, or pick another with --journal",
        ) from None
    except IsADirectoryError:
        raise JournalError(f"{path} is a folder, not a journal file") from None
    except OSError as exc:
        raise JournalError(f"cannot read {path}: {exc.strerror}") from None


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
        raise JournalError(f"{source}:{line}: contains a NUL byte; the file looks damaged")
    return text


@dataclass
class Loaded:
    """A journal as read from disk, with what is needed to write it back."""

    path: Path
    journal: Journal
    text: str
    read_only_reason: str | None = None
    # The cache entry of the text as read (None with the cache off) and the
    # section lists then: what save() needs to append instead of rewriting.
    cached: cache.Entry | None = None
    sections: dict[str, list] | None = None


def _key(raw: bytes, path: Path) -> str:
    return cache.key(raw, codec.format_for(path), SCHEMA_VERSION)


def load(path: Path, *, check_canonical: bool = False) -> Loaded:
    """Read and validate the journal at `path` (from the cache when its bytes are known).

    With `check_canonical`, also settle whether the file is exactly the text
    nexus would write for it, so that a following save() may append.
    """
    raw = read_bytes(path)
    text = decode(raw, str(path))
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
        entry.canonical = codec.dumps(journal, fmt) == text
        cache.store(entry)
    reason = None
    if journal.schema_version > SCHEMA_VERSION:
        reason = (
            f"{path} was written by a newer nexus (schema {journal.schema_version}); it is read-only here"
        )
    return Loaded(
        path=path,
        journal=journal,
        text=text,
        read_only_reason=reason,
        cached=entry,
        sections=splice.snapshot(journal) if entry is not None else None,
    )


def load_journal(path: Path) -> Journal:
    """Return the journal at `path`."""
    return load(path).journal


def save(
    path: Path, journal: Journal, *, previous_text: str | None = None, previous: Loaded | None = None
) -> bool:
    """Write the journal if its text changed; return whether it was written.

    Given the `previous` load of a file known to be canonical, a change that
    only adds one entry is written by inserting that entry's block into the old
    text at its place (the same bytes as a full dump, proved on the journal's
    JSON state); any other change writes the full text.
    """
    journal.schema_version = max(journal.schema_version, SCHEMA_VERSION)
    fmt = codec.format_for(path)
    state = _state(journal) if cache.enabled() else None
    text = None
    if previous is not None and previous.cached is not None and previous.cached.canonical:
        assert state is not None and previous.sections is not None
        text = splice.appended_text(
            previous.text, fmt, previous.cached.state, previous.sections, journal, state
        )
    if text is None:
        text = codec.dumps(journal, fmt)
    if previous_text is None and previous is not None:
        previous_text = previous.text
    if text == previous_text:
        return False
    raw = text.encode("utf-8")
    atomic_write(path, raw)
    if state is not None:
        cache.store(
            cache.Entry(_key(raw, path), state, True, sessions_sorted=splice.sessions_sorted(journal))
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
    with locked(path):
        if path.exists():
            raise JournalError(f"{path} already exists; nexus will not overwrite it")
        atomic_write(path, codec.dumps(journal, codec.format_for(path)).encode("utf-8"))


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
    if not path.exists() and not path.is_symlink():
        read_text(path)  # raises the "no journal" error
    with locked(path):
        result = _update_light(path, change, sessions_since)
        if result is not _NOT_LIGHT:
            return result  # type: ignore[return-value]
        loaded = load(path, check_canonical=True)
        if loaded.read_only_reason:
            raise JournalError(loaded.read_only_reason, hint="upgrade nexus to change it")
        result = change(loaded.journal)
        save(path, loaded.journal, previous=loaded)
        return result


def _update_light(path: Path, change: Callable[[Journal], T], sessions_since: dt.date | None) -> object:
    if not cache.enabled():
        return _NOT_LIGHT
    raw = read_bytes(path)
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
    new_raw = found.text.encode("utf-8")
    atomic_write(path, new_raw)
    cache.store(cache.Entry(_key(new_raw, path), full_state, True, sessions_sorted=True))
    return result


@contextlib.contextmanager
def transaction(path: Path) -> Iterator[Journal]:
    """Lock, load, yield the journal for changes, then save it if it changed.

    If the block raises, nothing is written.
    """
    if not path.exists() and not path.is_symlink():
        read_text(path)  # raises the "no journal" error
    with locked(path):
        loaded = load(path, check_canonical=True)
        if loaded.read_only_reason:
            raise JournalError(loaded.read_only_reason, hint="upgrade nexus to change it")
        yield loaded.journal
        save(path, loaded.journal, previous=loaded)
