"""The one place that reads and writes journal files.

Everything outside this package goes through the names below; the modules
inside are its own business (a test holds the rest of nexus to that).

- files: atomic replacement with a backup (`atomic_write`), careful reads;
  `take_notices` hands over what a write that landed left undone (a backup).
- history: the journal's last versions; undo: `nexus undo` and `--redo` over them.
- lock: the journal's lock, so parallel writers queue up.
- journal: `load`, `update` and `transaction`, the read-modify-write every
  command goes through, and `create`.
- codec: text to journal and back, TOML or JSON (`loads`, `dumps`).
- tomlwrite: the one TOML writer; fasttoml: a fast reader of what it writes.
- cache: parsed journals kept in the user cache folder, keyed by the bytes.
- splice: inserting one new entry's block into a file nexus wrote; blocks: the
  model-free text and state surgery it shares with append, `nexus log`'s fast
  lane (a session added without Pydantic).

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

# The names below load their module on first use, so that what needs only a
# little of the store (TAB completion reads the cache) imports nothing else.
if TYPE_CHECKING:
    from nexus_cli.core.store.append import Pending, challenge_append, session_append, takeaway_append
    from nexus_cli.core.store.blocks import without_empty
    from nexus_cli.core.store.codec import (
        MAX_KEY_PARTS,
        check_key_chains,
        dumps,
        dumps_json,
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
        Format,
        atomic_write,
        backup_path,
        decode,
        denied_reason,
        ensure_folder,
        format_for,
        os_error_message,
        read_bytes,
        read_input,
        read_text,
        real_path,
        take_notices,
        write_journal,
    )
    from nexus_cli.core.store.history import (
        history_path,
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
    from nexus_cli.core.store.lock import (
        DEFAULT_LOCK_TIMEOUT,
        lock_path,
        locked,
    )
    from nexus_cli.core.store.peek import (
        cached_state,
        id_labels,
    )
    from nexus_cli.core.store.tomlwrite import (
        SECTIONS,
        dumps_toml,
    )
    from nexus_cli.core.store.undo import (
        UndoPlan,
    )
    from nexus_cli.core.store.undo import (
        apply as apply_undo,
    )
    from nexus_cli.core.store.undo import (
        plan as plan_undo,
    )

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "MAX_KEY_PARTS",
    "SECTIONS",
    "Format",
    "Loaded",
    "Pending",
    "UndoPlan",
    "apply_undo",
    "atomic_write",
    "backup_path",
    "cached_state",
    "challenge_append",
    "check_key_chains",
    "create",
    "decode",
    "denied_reason",
    "dumps",
    "dumps_json",
    "dumps_toml",
    "ensure_folder",
    "format_for",
    "history_path",
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
    "os_error_message",
    "parse_text",
    "plain",
    "plan_undo",
    "read_bytes",
    "read_input",
    "read_text",
    "read_toml",
    "real_path",
    "save",
    "schema_version_of",
    "session_append",
    "take_notices",
    "takeaway_append",
    "toml_error_position",
    "transaction",
    "update",
    "without_empty",
    "write_journal",
]

# name -> (the module inside this package that defines it, its name there)
_WHERE: dict[str, tuple[str, str]] = {
    "DEFAULT_LOCK_TIMEOUT": ("lock", "DEFAULT_LOCK_TIMEOUT"),
    "Format": ("files", "Format"),
    "Loaded": ("journal", "Loaded"),
    "Pending": ("append", "Pending"),
    "challenge_append": ("append", "challenge_append"),
    "MAX_KEY_PARTS": ("codec", "MAX_KEY_PARTS"),
    "SECTIONS": ("tomlwrite", "SECTIONS"),
    "UndoPlan": ("undo", "UndoPlan"),
    "apply_undo": ("undo", "apply"),
    "atomic_write": ("files", "atomic_write"),
    "backup_path": ("files", "backup_path"),
    "cached_state": ("peek", "cached_state"),
    "check_key_chains": ("codec", "check_key_chains"),
    "create": ("journal", "create"),
    "decode": ("files", "decode"),
    "denied_reason": ("files", "denied_reason"),
    "dumps": ("codec", "dumps"),
    "dumps_json": ("codec", "dumps_json"),
    "dumps_toml": ("tomlwrite", "dumps_toml"),
    "ensure_folder": ("files", "ensure_folder"),
    "format_for": ("files", "format_for"),
    "history_path": ("history", "history_path"),
    "id_labels": ("peek", "id_labels"),
    "json_ready": ("codec", "json_ready"),
    "load": ("journal", "load"),
    "load_journal": ("journal", "load_journal"),
    "load_journals": ("codec", "load_journals"),
    "load_recent": ("journal", "load_recent"),
    "loads": ("codec", "loads"),
    "lock_path": ("lock", "lock_path"),
    "locked": ("lock", "locked"),
    "long_key_chain_line": ("codec", "long_key_chain_line"),
    "os_error_message": ("files", "os_error_message"),
    "parse_text": ("codec", "parse_text"),
    "plain": ("codec", "plain"),
    "plan_undo": ("undo", "plan"),
    "read_bytes": ("files", "read_bytes"),
    "read_input": ("files", "read_input"),
    "read_text": ("files", "read_text"),
    "read_toml": ("codec", "read_toml"),
    "real_path": ("files", "real_path"),
    "save": ("journal", "save"),
    "schema_version_of": ("codec", "schema_version_of"),
    "session_append": ("append", "session_append"),
    "take_notices": ("files", "take_notices"),
    "takeaway_append": ("append", "takeaway_append"),
    "toml_error_position": ("codec", "toml_error_position"),
    "transaction": ("journal", "transaction"),
    "update": ("journal", "update"),
    "without_empty": ("blocks", "without_empty"),
    "write_journal": ("files", "write_journal"),
}


def __getattr__(name: str) -> Any:
    found = _WHERE.get(name)
    if found is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = found
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    globals()[name] = value
    return value
