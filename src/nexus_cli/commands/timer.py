from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import changing_journal, complete_topic
from nexus_cli.core import clock, ops
from nexus_cli.core.idgen import host_name
from nexus_cli.core.parse import format_minutes, parse_moment

if TYPE_CHECKING:
    from nexus_cli.core.models import Timer

AT_HELP = "When, if not now: 18:30, yesterday 18:30, 2026-11-27 18:30 or 20m ago."


def start(
    topic: Annotated[
        str,
        typer.Argument(metavar="TOPIC", help="Topic id (any unique prefix).", autocompletion=complete_topic),
    ],
    note: Annotated[str, typer.Option("--note", "-n", metavar="TEXT", help="What you are about to do.")] = "",
    at: Annotated[str | None, typer.Option("--at", metavar="TIME", help=AT_HELP)] = None,
) -> None:
    """Start a timer for a study session; `nexus stop` logs it.

    \b
    Examples:
      nexus start kubernetes --note "services"
      nexus start django --at 14:00
    """
    now = clock.now()
    started = parse_moment(at, now=now) if at else None
    with changing_journal() as journal:
        timer = ops.start_timer(journal, topic, note=note, at=started)
    if started:
        from nexus_cli.render.timer import since_text

        since = f" since {since_text(timer.started, now)}"
    else:
        since = ""
    ui.success(f"timing {timer.topic}{since}; run `nexus stop` when you are done")


def _elsewhere(timer: Timer | None) -> str:
    """Return ", started on HOST" for a timer started on another machine, else ""."""
    if timer is None or not timer.host or timer.host == host_name():
        return ""
    return f"; the timer was started on {timer.host}"


def stop(
    note: Annotated[
        str | None, typer.Option("--note", "-n", metavar="TEXT", help="Add to the session's note.")
    ] = None,
    at: Annotated[str | None, typer.Option("--at", metavar="TIME", help=AT_HELP)] = None,
    cancel: Annotated[bool, typer.Option("--cancel", help="Discard the timer without logging.")] = False,
) -> None:
    """Stop the running timer and log the session.

    \b
    Examples:
      nexus stop --note "got ingress working"
      nexus stop --at 18:30
    """
    end = parse_moment(at, now=clock.now()) if at is not None else None
    with changing_journal() as journal:
        running = journal.timer
        if cancel:
            timer = ops.cancel_timer(journal)
            message = f"discarded the timer for {timer.topic}"
        else:
            session = ops.stop_timer(journal, note=note, end=end)
            spent = format_minutes(session.minutes)
            message = f"logged {spent} of {session.topic} on {session.date} ({session.id})"
    ui.success(message + _elsewhere(running))
