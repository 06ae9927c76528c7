"""Load, change and save a journal: the transaction every command goes through.

Read-modify-write runs under the journal's lock (lock.py) and ends in one atomic
write (files.py). A journal nexus wrote itself, and whose parsed form is in the
cache, is changed on the light path: only the new entry is validated and its
block inserted into the text as it stands (splice.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from nexus_cli.core.errors import InputError, JournalError, NexusError
from nexus_cli.core.models import SCHEMA_VERSION, Journal
from nexus_cli.core.store import blocks, cache, codec, files, layout, named, splice
from nexus_cli.core.store.files import BOM, decode, ensure_folder, read_bytes, write_journal
from nexus_cli.core.store.lock import locked


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
    # The journal's plain data as read, when the file is a TOML text of the
    # user's own (comments, layout) that a change must keep: see keep_layout().
    data_as_read: dict | None = None


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
            state = blocks.partial_state(entry.state, sessions_since)
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
    if text is None and previous is not None and previous.data_as_read is not None:
        text = _kept_layout(previous, journal, state)
    own_layout = text is not None and previous is not None and previous.data_as_read is not None
    if text is None:
        text = codec.dumps(journal, fmt)
        if crlf:
            text = text.replace("\n", "\r\n")
    if previous is not None and text == previous.text:
        return False
    raw = (BOM if bom else b"") + _encode(text)
    write_journal(path, raw)
    if state is not None:
        canonical = not bom and not crlf and not own_layout
        cache.store(
            cache.Entry(_key(raw, path), state, canonical, sessions_sorted=splice.sessions_sorted(journal))
        )
    return True


def keep_layout(loaded: Loaded) -> None:
    """Note the journal's data as read if its file is TOML laid out by hand, before a change.

    Then save() applies the change to the text as it stands (layout.py), so
    its comments and layout survive. A file nexus wrote itself (canonical) is
    left to the usual fast paths.
    """
    if codec.format_for(loaded.path) != "toml":
        return
    canonical = loaded.cached.canonical if loaded.cached is not None else None
    if canonical is None:
        canonical = not loaded.bom and codec.dumps(loaded.journal, "toml") == loaded.text
    if not canonical:
        loaded.data_as_read = codec.to_data(loaded.journal)


def _kept_layout(previous: Loaded, journal: Journal, state: bytes | None) -> str | None:
    """Return the previous text with the change applied in place, if it loads to `journal` exactly."""
    assert previous.data_as_read is not None
    crlf = previous.crlf
    text = layout.keep(previous.text, previous.data_as_read, codec.to_data(journal))
    if text is None:
        files.notice(
            f"{previous.path}: this change could not keep the file's own layout and comments;"
            " it was written in full (the previous file is the backup)"
        )
        return None
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    try:
        written = codec.loads(text, "toml", str(previous.path))
    except (JournalError, ValueError):
        written = None
    expected = state if state is not None else _state(journal)
    if written is None or _state(written) != expected:
        files.notice(
            f"{previous.path}: this change could not keep the file's own layout and comments;"
            " it was written in full (the previous file is the backup)"
        )
        return None
    return text


def _state(journal: Journal) -> bytes:
    """Return the journal's compact JSON (what the cache keeps), straight from pydantic-core."""
    return Journal.__pydantic_serializer__.to_json(journal)


def create(path: Path, journal: Journal) -> None:
    """Write a new journal; refuse if a file is already there."""
    if files.exists(path):
        if os.path.islink(path) and not os.path.exists(path):
            raise JournalError(
                f"{path} is a symbolic link to {os.readlink(path)}, which does not exist;"
                " nexus will not create a journal through it",
                hint="create the file it points to, fix the link, or remove it first",
            )
        raise JournalError(
            f"{path} already exists; nexus will not overwrite it",
            hint="pick another path with --journal, or remove the file first",
        )
    ensure_folder(path.parent)
    data = _encode(codec.dumps(journal, codec.format_for(path)))
    with locked(path):
        if files.exists(path):
            raise JournalError(f"{path} already exists; nexus will not overwrite it")
        write_journal(path, data)


T = TypeVar("T")
_NOT_LIGHT = object()


# Judges a change before it is written: given the changed journal and, when the change
# only put one entry in, (section, index) of it. It raises to refuse the change; given an
# entry, it may instead return False to have the change made again on the whole journal
# (where it gets None and must decide).
Guard = Callable[[Journal, "tuple[str, int] | None"], bool]


def update(
    path: Path,
    change: Callable[[Journal], T],
    *,
    sessions_since: dt.date | None = None,
    topics_named: Sequence[str] | None = None,
    guard: Guard | None = None,
) -> T:
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

    `topics_named` are the words `change` looks topics up by (a topic's id or
    name, a prefix of an id), when it reads the topics for nothing else: then
    the partial journal holds only the topics those words could name (named.py),
    and a change that raises there runs again on the whole journal. `guard`
    judges the change before anything is written (see Guard).
    """
    if not files.exists(path) or not os.path.exists(path):
        read_bytes(path)  # raises "no journal" (or names the dangling link), before any lock file
    with locked(path):
        raw = read_bytes(path)
        result = _update_light(path, raw, change, sessions_since, topics_named, guard)
        if result is not _NOT_LIGHT:
            return result  # type: ignore[return-value]
        loaded = load(path, check_canonical=True, raw=raw)  # an append can then be spliced in
        if loaded.read_only_reason:
            raise JournalError(loaded.read_only_reason, hint="upgrade nexus to change it")
        keep_layout(loaded)
        result = change(loaded.journal)
        if guard is not None:
            guard(loaded.journal, None)
        save(path, loaded.journal, previous=loaded)
        return result


def _update_light(
    path: Path,
    raw: bytes,
    change: Callable[[Journal], T],
    sessions_since: dt.date | None,
    topics_named: Sequence[str] | None,
    guard: Guard | None,
) -> object:
    if not cache.enabled():
        return _NOT_LIGHT
    entry = cache.lookup(_key(raw, path))
    if entry is None or not entry.canonical or not entry.sessions_sorted:
        return _NOT_LIGHT
    state = blocks.partial_state(entry.state, sessions_since)
    if state is not None and topics_named is not None:
        state = named.named_topics(state, topics_named)
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
    if topics_named is None:
        result = change(journal)
    else:
        try:
            result = change(journal)
        except NexusError:
            return _NOT_LIGHT  # its message may name topics left out: say it from the whole journal
    new_state = _state(journal)
    if new_state == state:
        return result  # nothing changed
    found = splice.insertion(
        text, fmt, state, before, journal, new_state, present=blocks.present_in_state(entry.state)
    )
    if found is None or blocks.id_taken(text, fmt, found.entry.id):
        return _NOT_LIGHT
    if not _may_insert(journal, found, entry.state, topics_named is not None, guard):
        return _NOT_LIGHT
    if found.section == "sessions" and (
        # The sessions left out all sort before `sessions_since`: the new one must not.
        sessions_since is None or found.entry.date < sessions_since or not splice.sessions_sorted(journal)
    ):
        return _NOT_LIGHT
    full_state = blocks.insert_state(
        entry.state, found.section, found.entry.model_dump_json().encode(), found.before
    )
    if full_state is None:
        return _NOT_LIGHT
    new_raw = _encode(found.text)
    write_journal(path, new_raw)
    cache.store(cache.Entry(_key(new_raw, path), full_state, True, sessions_sorted=True))
    return result


def _may_insert(
    journal: Journal, found: splice.Insertion, full_state: bytes, narrowed: bool, guard: Guard | None
) -> bool:
    """Return whether the light path may write this one insertion (False: take the full path).

    A topic added to the topics kept must go last among all of them too, and
    no topic left out may name it as its parent (the guard sees only those
    kept); the guard must find that the entry adds no error.
    """
    if (
        narrowed
        and found.section == "topics"
        and (found.before is not None or b'"parent":"' + found.entry.id.encode() + b'"' in full_state)
    ):
        return False
    if guard is None:
        return True
    items = getattr(journal, found.section)
    index = next(n for n, item in enumerate(items) if item is found.entry)
    return guard(journal, (found.section, index))


@contextlib.contextmanager
def transaction(path: Path) -> Iterator[Journal]:
    """Lock, load, yield the journal for changes, then save it if it changed.

    If the block raises, nothing is written.
    """
    if not files.exists(path) or not os.path.exists(path):
        read_bytes(path)  # raises "no journal" (or names the dangling link), before any lock file
    with locked(path):
        loaded = load(path, check_canonical=True)
        if loaded.read_only_reason:
            raise JournalError(loaded.read_only_reason, hint="upgrade nexus to change it")
        keep_layout(loaded)
        yield loaded.journal
        save(path, loaded.journal, previous=loaded)
