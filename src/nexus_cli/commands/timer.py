from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import changing_journal, complete_topic
from nexus_cli.core import clock, ops
from nexus_cli.core.ids import host_name
from nexus_cli.core.parse import format_minutes, parse_moment

if TYPE_CHECKING:
    from nexus_cli.core.models import Timer


def start(
    topic: Annotated[
        str,
        typer.Argument(metavar="TOPIC", help="Topic id (any unique prefix).", autocompletion=complete_topic),
    ],
    note: Annotated[str, typer.Option("--note", "-n", help="What you are about to do.")] = "",
) -> None:
    """Start a timer for a study session; `nexus stop` logs it.

    \b
    Example:
      nexus start kubernetes --note "services and ingress"
    """
    with changing_journal() as journal:
        timer = ops.start_timer(journal, topic, note=note)
    ui.success(f"timing {timer.topic}; run `nexus stop` when you are done")


def _elsewhere(timer: Timer | None) -> str:
    """Return ", started on HOST" for a timer started on another machine, else ""."""
    if timer is None or not timer.host or timer.host == host_name():
        return ""
    return f"; the timer was started on {timer.host}"


def stop(
    note: Annotated[str | None, typer.Option("--note", "-n", help="Add to the session's note.")] = None,
    cancel: Annotated[bool, typer.Option("--cancel", help="Discard the timer without logging.")] = False,
    at: Annotated[
        str | None, typer.Option("--at", help="When you stopped: HH:MM today, or YYYY-MM-DD HH:MM.")
    ] = None,
) -> None:
    """Stop the running timer and log the session.

    \b
    Examples:
      nexus stop --note "got ingress working"
      nexus stop --at 18:30          (you stopped earlier, and forgot the timer)
    """
    end = parse_moment(at, now=clock.now()) if at is not None else None
    with changing_journal() as journal:
        running = journal.timer
        if cancel:
            timer = ops.cancel_timer(journal)
            message = f"discarded the timer for {timer.topic}"
        else:
            session = ops.stop_timer(journal, note=note, end=end)
            message = f"logged {format_minutes(session.minutes)} of {session.topic} ({session.id})"
    ui.success(message + _elsewhere(running))
