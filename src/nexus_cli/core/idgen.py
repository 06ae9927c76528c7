"""New ids (slugs of names, sessions, timers) and the machine's name: nothing here needs the models.

The fast lane of `nexus log` and `nexus add challenge` makes its ids without
importing Pydantic, with the same functions as every other path.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable

from nexus_cli.core.shape import PROGRAMME_IDS

MAX_SLUG = 48
# Words commands take in place of an id (`nexus edit program`): never given to an entry.
RESERVED = PROGRAMME_IDS


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


ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: easy to read aloud


def letters(count: int) -> str:
    """Return `count` random letters of ALPHABET, from the OS's secure source.

    Its 32 letters divide 256, so each byte picks one letter uniformly; `secrets`
    would do the same at the cost of importing `random` and `hmac`.
    """
    return "".join(ALPHABET[byte % 32] for byte in os.urandom(count))


def new_session_id(day: dt.date, taken: Iterable[str]) -> str:
    """Return a session id such as `20261128-k3fq`.

    The random part keeps two machines logging on the same day from choosing
    the same id, without any shared counter.
    """
    taken_set = set(taken)
    while True:
        suffix = letters(4)
        candidate = f"{day:%Y%m%d}-{suffix}"
        if candidate not in taken_set:
            return candidate


def new_timer_id() -> str:
    """Return a random id for a timer, such as `t-k3fq9x2m`, the same on every machine it syncs to."""
    return "t-" + letters(8)


def host_name() -> str:
    """Return this machine's short name, as a timer records where it was started."""
    import socket

    name = socket.gethostname().split(".", 1)[0].strip()
    return name[:255]
