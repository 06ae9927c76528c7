"""The journal's recent versions, kept beside its backup so that `nexus undo` can go back.

Each write of the journal keeps the version it replaced in `.NAME.history/`
(0700, files 0600): a hard link to the old file where possible, so a version
costs no space and no time. An entry's name holds a sequence number and the
hash of the text that replaced it, so undo can tell whether the journal is
still exactly what nexus wrote after that version (and refuse if it was edited
or synced since). Only the last KEEP versions are kept. An undone change is
kept as a redo entry until the next ordinary write.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import NamedTuple

from nexus_cli.core.store.files import _set_mode, real_path

KEEP = 10
FOLDER_MODE = 0o700
FILE_MODE = 0o600
_NAME = re.compile(r"(redo-)?(\d{8})-([0-9a-f]{16})")


def folder(target: Path) -> Path:
    """Return the history folder of a journal's real file."""
    return target.with_name(f".{target.name}.history")


def history_path(path: Path) -> Path:
    """Return where the last versions of the journal at `path` are kept (for `nexus where`)."""
    return folder(real_path(path))


def digest(data: bytes) -> str:
    """Return the short hash that names the text a version was replaced by."""
    return hashlib.sha256(data).hexdigest()[:16]


class Version(NamedTuple):
    """One kept version: its file, its place in the order, and the hash of what replaced it."""

    path: Path
    seq: int
    replaced_by: str
    redo: bool

    def read(self) -> bytes:
        with open(self.path, "rb") as handle:
            return handle.read()


def versions(target: Path, *, redo: bool = False) -> list[Version]:
    """Return the kept versions (or the redo entries), oldest first."""
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder(target)):
            match = _NAME.fullmatch(entry.name)
            if match and bool(match.group(1)) == redo and entry.is_file(follow_symlinks=False):
                found.append(Version(Path(entry.path), int(match.group(2)), match.group(3), redo))
    return sorted(found, key=lambda version: version.seq)


def _ensure_folder(target: Path) -> Path:
    where = folder(target)
    with contextlib.suppress(FileExistsError):
        os.mkdir(where, FOLDER_MODE)
    info = os.lstat(where)
    if not os.path.isdir(where) or os.path.islink(where):
        raise NotADirectoryError(f"{where} is not a folder")
    if info.st_mode & 0o077:
        os.chmod(where, FOLDER_MODE)  # the umask may have left it open
    return where


def record(target: Path, old: Path | bytes, new: bytes, *, clear_redo: bool = True) -> None:
    """Keep the version `old` (a file to link, or its bytes) as replaced by `new`; raise OSError."""
    where = _ensure_folder(target)
    kept = versions(target)
    seq = (max((v.seq for v in kept + versions(target, redo=True)), default=0) + 1) % 10**8
    name = where / f"{seq:08d}-{digest(new)}"
    _place(where, name, old)
    if clear_redo:
        for version in versions(target, redo=True):
            with contextlib.suppress(OSError):
                os.unlink(version.path)
    for version in versions(target)[:-KEEP]:
        with contextlib.suppress(OSError):
            os.unlink(version.path)


def record_redo(target: Path, undone: bytes, restored: bytes) -> None:
    """Keep `undone` (the text an undo replaced) so that `undo --redo` can bring it back."""
    where = _ensure_folder(target)
    seq = max((v.seq for v in versions(target) + versions(target, redo=True)), default=0) + 1
    _place(where, where / f"redo-{seq:08d}-{digest(restored)}", undone)


def forget(version: Version) -> None:
    """Remove one kept version (after it was restored)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(version.path)


def _place(where: Path, name: Path, old: Path | bytes) -> None:
    if isinstance(old, Path):
        try:
            os.link(old, name, follow_symlinks=False)
            return
        except OSError:
            with open(old, "rb") as handle:
                old = handle.read()
    fd, tmp = tempfile.mkstemp(prefix=".version.", suffix=".tmp", dir=where)
    try:
        try:
            _set_mode(fd, tmp, FILE_MODE)
            view = memoryview(old)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, name)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
