"""The one place that reads and writes journal files.

Everything outside this package goes through the names below; the modules
inside are its own business (a test holds the rest of nexus to that).

- files: atomic replacement with a backup (`atomic_write`), careful reads.
- lock: the journal's lock, so parallel writers queue up.
- journal: `load`, `update` and `transaction`, the read-modify-write every
  command goes through, and `create`.
- codec: text to journal and back, TOML or JSON (`loads`, `dumps`).
- tomlwrite: the one TOML writer; fasttoml: a fast reader of what it writes.
- cache: parsed journals kept in the user cache folder, keyed by the bytes.
- splice: inserting one new entry's block into a file nexus wrote.
- peek: a cached journal's ids as plain data, without pydantic (TAB completion).

The names load on first use (`store.load` imports journal.py and pydantic;
`store.read_bytes` only files.py), so a caller that needs little pays little.

Words the code uses:

- canonical: a file whose text is exactly what `dumps` would write for it, so
  its layout carries nothing of the user's own.
- state: a journal's compact JSON as the cache keeps it; a partial state leaves
  out sessions older than a date.
- light path: a change to a canonical, cached file that validates only what it
  touches and splices the new entry into the text instead of rewriting it.
- splice: to insert an entry's block into the text at the place a full dump
  would put it, giving the same bytes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nexus_cli.core.store.codec import (
        MAX_KEY_PARTS,
        Format,
        check_key_chains,
        dumps,
        dumps_json,
        format_for,
        json_ready,
        load_journals,
        loads,
        long_key_chain_line,
        parse_text,
        plain,
        read_toml,
        schema_version_of,
        toml_error_position,
    )
    from nexus_cli.core.store.files import (
        atomic_write,
        backup_path,
        decode,
        ensure_folder,
        read_bytes,
        read_text,
        real_path,
    )
    from nexus_cli.core.store.journal import (
        Loaded,
        create,
        load,
        load_journal,
        load_recent,
        save,
        transaction,
        update,
    )
    from nexus_cli.core.store.lock import DEFAULT_LOCK_TIMEOUT, lock_path, locked
    from nexus_cli.core.store.peek import cached_state, id_labels
    from nexus_cli.core.store.tomlwrite import SECTIONS, dumps_toml

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "MAX_KEY_PARTS",
    "SECTIONS",
    "Format",
    "Loaded",
    "atomic_write",
    "backup_path",
    "cached_state",
    "check_key_chains",
    "create",
    "decode",
    "dumps",
    "dumps_json",
    "dumps_toml",
    "ensure_folder",
    "format_for",
    "id_labels",
    "json_ready",
    "load",
    "load_journal",
    "load_journals",
    "load_recent",
    "loads",
    "lock_path",
    "locked",
    "long_key_chain_line",
    "parse_text",
    "plain",
    "read_bytes",
    "read_text",
    "read_toml",
    "real_path",
    "save",
    "schema_version_of",
    "toml_error_position",
    "transaction",
    "update",
]

# name -> the module inside this package that defines it
_WHERE: dict[str, str] = {
    "DEFAULT_LOCK_TIMEOUT": "lock",
    "MAX_KEY_PARTS": "codec",
    "SECTIONS": "tomlwrite",
    "Format": "codec",
    "Loaded": "journal",
    "atomic_write": "files",
    "backup_path": "files",
    "cached_state": "peek",
    "check_key_chains": "codec",
    "create": "journal",
    "decode": "files",
    "dumps": "codec",
    "dumps_json": "codec",
    "dumps_toml": "tomlwrite",
    "ensure_folder": "files",
    "format_for": "codec",
    "id_labels": "peek",
    "json_ready": "codec",
    "load": "journal",
    "load_journal": "journal",
    "load_journals": "codec",
    "load_recent": "journal",
    "loads": "codec",
    "lock_path": "lock",
    "locked": "lock",
    "long_key_chain_line": "codec",
    "parse_text": "codec",
    "plain": "codec",
    "read_bytes": "files",
    "read_text": "files",
    "read_toml": "codec",
    "real_path": "files",
    "save": "journal",
    "schema_version_of": "codec",
    "toml_error_position": "codec",
    "transaction": "journal",
    "update": "journal",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
