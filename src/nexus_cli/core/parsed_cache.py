"""A parsed copy of big TOML journals, so that reading one costs a JSON parse, not a TOML parse.

TOML is parsed in pure Python: for a journal of 10,000 sessions that is most of
a second, every run. The first read of a big TOML journal stores the validated
journal as JSON in the user cache folder, keyed by a hash of the file's exact
bytes and the nexus version; later reads of the same bytes load that copy.
Any change to the file changes the hash, so a stale copy is never used, and a
missing, unreadable or invalid copy just means a normal parse.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from nexus_cli import __version__
from nexus_cli.core import codec, storage
from nexus_cli.core.errors import NexusError
from nexus_cli.core.models import SCHEMA_VERSION, Journal

MIN_BYTES = 256 * 1024  # smaller journals parse in a few milliseconds: not worth a file


def cache_folder() -> Path:
    """Return the folder of parsed copies (platformdirs' user cache folder)."""
    from platformdirs import user_cache_path

    return user_cache_path("nexus") / "parsed"


def _key(data: bytes) -> bytes:
    digest = hashlib.blake2b(data, digest_size=20)
    digest.update(f"\0{__version__}\0{SCHEMA_VERSION}".encode())
    return digest.hexdigest().encode("ascii")


def _copy_path(path: Path) -> Path:
    name = hashlib.blake2b(str(storage.real_path(path)).encode("utf-8"), digest_size=16).hexdigest()
    return cache_folder() / f"{name}.json"


def load_journal(path: Path, *, min_bytes: int = MIN_BYTES) -> Journal:
    """Return the journal at `path`, from the parsed copy when the file is unchanged."""
    if codec.format_for(path) != "toml" or os.environ.get("NEXUS_NO_CACHE"):
        return storage.load_journal(path)
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size < min_bytes:
        return storage.load_journal(path)
    text = storage.read_text(path)
    key = _key(text.encode("utf-8"))
    copy = _copy_path(path)
    with contextlib.suppress(OSError, ValueError):
        head, _, body = copy.read_bytes().partition(b"\n")
        if head == key:
            return Journal.model_validate_json(body)
    journal = codec.loads(text, "toml", str(path))
    with contextlib.suppress(OSError, NexusError):
        storage.ensure_folder(copy.parent)
        storage.atomic_write(copy, key + b"\n" + codec.dumps_json(journal).encode("utf-8"), backup=False)
    return journal
