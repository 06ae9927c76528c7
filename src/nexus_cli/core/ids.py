"""Stable, typable ids, and finding entries by any unique prefix of one."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from nexus_cli.core.errors import InputError, NotFoundError
from nexus_cli.core.models import LIST_OF, Entry, Journal, Kind, kind_of, label_of

MAX_SLUG = 48
# Words commands take in place of an id (`nexus edit program`): never given to an entry.
RESERVED = frozenset({"program"})


def nfc(text: str) -> str:
    """Return text in Unicode's composed form (NFC), so `é` typed two ways is one name."""
    return unicodedata.normalize("NFC", text)


def slugify(text: str) -> str:
    """Return a lowercase, dash-separated id for a name: `CI/CD` -> `ci-cd`, `C++` -> `cpp`."""
    text = re.sub(r"\+\+", "pp", text)  # C++ is not C
    text = re.sub(r"(?<=[A-Za-z])#", "sharp", text)  # nor is C#
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:MAX_SLUG].rstrip("-")
    return slug or "entry"


def unique_slug(name: str, taken: Iterable[str]) -> str:
    """Return the slug of `name`, with `-2`, `-3`... added if it is taken (or reserved)."""
    taken_set = set(taken) | RESERVED
    base = slugify(name)
    candidate, n = base, 2
    while candidate in taken_set:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


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
        raise InputError(f"give the id of a {what}")
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
