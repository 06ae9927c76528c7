"""New ids for sessions and timers, and the machine's name: nothing here needs the models.

`nexus log`'s fast lane makes a session id without importing Pydantic, with
the same function as every other path.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: easy to read aloud


def new_session_id(day: dt.date, taken: Iterable[str]) -> str:
    """Return a session id such as `20261128-k3fq`.

    The random part keeps two machines logging on the same day from choosing
    the same id, without any shared counter.
    """
    taken_set = set(taken)
    while True:
        suffix = "".join(secrets.choice(_ALPHABET) for _ in range(4))
        candidate = f"{day:%Y%m%d}-{suffix}"
        if candidate not in taken_set:
            return candidate


def new_timer_id() -> str:
    """Return a random id for a timer, such as `t-k3fq9x2m`, the same on every machine it syncs to."""
    return "t-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def host_name() -> str:
    """Return this machine's short name, as a timer records where it was started."""
    import socket

    name = socket.gethostname().split(".", 1)[0].strip()
    return name[:255]
