"""What a change says when it is done, worded once for the Typer commands and the fast lane.

Imports nothing heavy: `nexus log`, `nexus add challenge` and `nexus add
takeaway` say the same whichever way they ran (fastlane.py).
"""

from __future__ import annotations

import datetime as dt

from nexus_cli.core.parse import format_minutes


def logged(minutes: int, topic: str, day: dt.date, session: str) -> str:
    """Return what `nexus log` says: `logged 1h30m of django on 2026-11-28 (20261128-k3fq)`."""
    return f"logged {format_minutes(minutes)} of {topic} on {day} ({session})"


def added_challenge(challenge: str, solution: str) -> str:
    """Return what `nexus add challenge` says; one given with a solution is resolved."""
    return f"added {'resolved' if solution else 'open'} challenge {challenge}"


def added_takeaway(takeaway: str) -> str:
    """Return what `nexus add takeaway` says: `added takeaway test-first`."""
    return f"added takeaway {takeaway}"
