"""A cache of loaded journals, keyed by a hash of the file's exact bytes.

Parsing and validating a large journal is most of what a command costs (TOML is
parsed in pure Python). Each time nexus loads or writes a journal it keeps the
validated journal as JSON in the user cache folder, under a key made of the
SHA-256 hash of the file's bytes, the nexus version, the schema version and the
format. A later run that reads the same bytes loads that copy with one call into
pydantic-core instead. Any change to the file changes the key, so stale data is
never served; an entry that is missing, unreadable or fails its own checksum is
ignored. `NEXUS_NO_CACHE=1` turns the cache off.

An entry also says whether the file is known to be exactly the canonical text
nexus writes for that journal (`canonical`), which lets storage append a new
entry's block instead of writing the whole journal again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
import zlib
from pathlib import Path

from nexus_cli import __version__

ENV_DISABLE = "NEXUS_NO_CACHE"
MAGIC = b"nexus-journal-cache 1"
KEEP = 8  # entries kept; older ones are removed when a new one is stored
FOLDER_MODE = 0o700


def enabled() -> bool:
    """Return whether the cache is in use (NEXUS_NO_CACHE unset, empty or 0)."""
    return os.environ.get(ENV_DISABLE, "") in ("", "0")


def folder() -> Path:
    """Return the cache folder (platformdirs' user cache folder for nexus)."""
    from platformdirs import user_cache_path

    return user_cache_path("nexus") / "journals"


def key(raw: bytes, fmt: str, schema_version: int) -> str:
    """Return the cache key of a journal file's bytes."""
    # sha256 runs on the CPU's SHA instructions: twice as fast as blake2b here.
    digest = hashlib.sha256()
    digest.update(f"{__version__}\0{schema_version}\0{fmt}\0".encode())
    digest.update(raw)
    return digest.hexdigest()


class Entry:
    """A cached journal: its validated JSON and whether the file is canonical."""

    __slots__ = ("canonical", "key", "sessions_sorted", "state")

    def __init__(self, key: str, state: bytes, canonical: bool | None, sessions_sorted: bool = False) -> None:
        self.key = key
        self.state = state  # Journal.model_dump_json() of the file's journal
        self.canonical = canonical  # None: not yet checked
        self.sessions_sorted = sessions_sorted  # sessions in (date, start, id) order


def _checksum(payload: bytes) -> str:
    # Guards against a damaged file, not an adversary (the folder is private): crc32
    # is five times cheaper than a cryptographic hash on a 20 MB entry.
    return f"{zlib.crc32(payload):08x}"


def _usable_folder(create: bool) -> Path | None:
    """Return the cache folder if it is ours and private (creating it if asked), else None."""
    where = folder()
    try:
        if create and not where.is_dir():
            # every folder made here is 0700 whatever the umask (mkdir's parents=True
            # would leave ~/.cache/nexus open to everyone under umask 000)
            from nexus_cli.core.errors import JournalError
            from nexus_cli.core.store.files import ensure_folder

            try:
                ensure_folder(where)
            except JournalError:
                return None
        info = os.lstat(where)
    except OSError:
        return None
    # Never trust a folder someone else could write to: they could plant entries.
    # (Windows has no uids: the folder is in the user's own profile.)
    if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        return None
    if stat.S_IMODE(info.st_mode) & 0o077:
        try:
            os.chmod(where, FOLDER_MODE)
        except OSError:
            return None
    return where


def lookup(cache_key: str) -> Entry | None:
    """Return the entry for a key, or None if there is none or it is damaged."""
    if not enabled():
        return None
    where = _usable_folder(create=False)
    if where is None:
        return None
    try:
        with open(where / cache_key, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    header, _, payload = blob.partition(b"\n")
    parts = header.split(b" ")
    # header: MAGIC (two words), key, canonical, sessions sorted, checksum
    if len(parts) != 6 or b" ".join(parts[:2]) != MAGIC or parts[2].decode(errors="replace") != cache_key:
        return None
    if parts[5].decode(errors="replace") != _checksum(payload):
        return None
    canonical = {b"1": True, b"0": False, b"?": None}.get(parts[3], False)
    with contextlib.suppress(OSError):
        os.utime(where / cache_key)  # pruning removes the least recently used entries
    return Entry(key=cache_key, state=payload, canonical=canonical, sessions_sorted=parts[4] == b"1")


def store(entry: Entry) -> None:
    """Write an entry (0600, atomically); any failure just leaves the cache as it was."""
    if not enabled():
        return
    where = _usable_folder(create=True)
    if where is None:
        return
    flag = {True: b"1", False: b"0", None: b"?"}[entry.canonical]
    ordered = b"1" if entry.sessions_sorted else b"0"
    header = b" ".join([MAGIC, entry.key.encode(), flag, ordered, _checksum(entry.state).encode()])
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=where)  # mkstemp: 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(header + b"\n")
            handle.write(entry.state)
        os.replace(tmp, where / entry.key)
        tmp = None
        _prune(where, keep=entry.key)
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(where: Path, keep: str) -> None:
    """Remove all but the KEEP most recently used entries."""
    entries = []
    for item in os.scandir(where):
        if item.name == keep:
            continue
        with contextlib.suppress(OSError):
            entries.append((item.stat(follow_symlinks=False).st_mtime, item.path))
    entries.sort(reverse=True)
    for _mtime, path in entries[KEEP - 1 :]:
        with contextlib.suppress(OSError):
            os.unlink(path)
