"""New ids for sessions and timers, and the machine's name: nothing here needs the models.

`nexus log`'s fast lane makes a session id without importing Pydantic, with
the same function as every other path.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

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
