"""Stable, typable ids, and finding entries by any unique prefix of one."""

from __future__ import annotations

from collections.abc import Sequence

from nexus_cli.core.errors import InputError, NotFoundError
from nexus_cli.core.idgen import MAX_SLUG as MAX_SLUG  # imported from here too
from nexus_cli.core.idgen import RESERVED as RESERVED
from nexus_cli.core.idgen import nfc as nfc
from nexus_cli.core.idgen import slugify as slugify
from nexus_cli.core.idgen import unique_slug as unique_slug
from nexus_cli.core.models import LIST_OF, Entry, Journal, Kind, kind_of, label_of


def entries(journal: Journal, kinds: Sequence[Kind] | None = None) -> list[Entry]:
    """Return all entries of the given kinds (all kinds when None)."""
    out: list[Entry] = []
    for kind in kinds or ("topic", "challenge", "takeaway", "session"):
        out.extend(getattr(journal, LIST_OF[kind]))
    return out


def all_ids(journal: Journal) -> set[str]:
    """Return every id in use in the journal."""
    return {entry.id for entry in entries(journal)}


def resolve(journal: Journal, query: str, kinds: Sequence[Kind] | None = None) -> Entry:
    """Return the one entry whose id is `query` or starts with it.

    A name typed as shown (`"REST APIs"`) works too. An ambiguous prefix raises
    an error that lists the candidates.
    """
    pool = entries(journal, kinds)
    what = " or ".join(kinds) if kinds else "entry"
    raw = nfc((query or "").strip())
    if not raw:
        raise InputError(f"give the id of {'an' if what[0] in 'aeiou' else 'a'} {what}")
    # An id or a name typed exactly beats the same text lower-cased or slugged:
    # `C` is the topic named "C", even when "C++" took the id `c`.
    for found in (
        [e for e in pool if e.id == raw],
        [e for e in pool if nfc(label_of(e)) == raw],
    ):
        if len(found) == 1:
            return found[0]
    keys = {raw.lower(), slugify(raw)}
    exact = [e for e in pool if e.id in keys]
    if len(exact) == 1:
        return exact[0]
    by_name = [e for e in pool if nfc(label_of(e)).casefold() == raw.casefold()]
    if not exact and len(by_name) == 1:
        return by_name[0]
    matches = exact or [e for e in pool if any(e.id.startswith(k) for k in keys)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        listing = "nexus list " + LIST_OF[kinds[0]] if kinds and len(kinds) == 1 else "nexus list"
        near = nearest_ids(pool, raw)
        guess = f"; did you mean {' or '.join(near)}?" if near else ""
        raise NotFoundError(f"no {what} matches {raw!r}{guess}", hint=f"see the ids with `{listing}`")
    shown = ", ".join(f"{e.id} ({kind_of(e)})" for e in matches[:8])
    more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
    raise InputError(
        f"{raw!r} matches {len(matches)} entries: {shown}{more}",
        hint="type more of the id",
    )


def nearest_ids(pool: Sequence[Entry], typed: str, n: int = 3) -> list[str]:
    """Return the ids that look most like a mistyped one (`djnago` -> django)."""
    from difflib import get_close_matches

    ids = [e.id for e in pool]
    typed = slugify(typed) or typed.lower()
    near = get_close_matches(typed, ids, n=n, cutoff=0.6)
    if not near:  # a mistyped prefix: `djnago-r` still finds django-rest
        near = [i for i in ids if get_close_matches(typed, [i[: len(typed)]], n=1, cutoff=0.75)][:n]
    return near


def complete(journal: Journal, incomplete: str, kinds: Sequence[Kind] | None = None) -> list[tuple[str, str]]:
    """Return (id, label) pairs for shell completion of a partial id."""
    prefix = incomplete.lower()
    return [(e.id, label_of(e)) for e in entries(journal, kinds) if e.id.startswith(prefix)]
