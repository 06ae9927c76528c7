from __future__ import annotations

from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import changing_journal, complete_topic
from nexus_cli.core import ops
from nexus_cli.core.parse import format_minutes


def start(
    topic: Annotated[
        str,
        typer.Argument(metavar="TOPIC", help="Topic id (any unique prefix).", autocompletion=complete_topic),
    ],
    note: Annotated[str, typer.Option("--note", "-n", metavar="TEXT", help="What you are about to do.")] = "",
) -> None:
    """Start a timer for a study session; `nexus stop` logs it.

    \b
    Example:
      nexus start kubernetes --note "services and ingress"
    """
    with changing_journal() as journal:
        timer = ops.start_timer(journal, topic, note=note)
    ui.success(f"timing {timer.topic}; run `nexus stop` when you are done")


def stop(
    note: Annotated[
        str | None, typer.Option("--note", "-n", metavar="TEXT", help="Add to the session's note.")
    ] = None,
    cancel: Annotated[bool, typer.Option("--cancel", help="Discard the timer without logging.")] = False,
) -> None:
    """Stop the running timer and log the session.

    \b
    Example:
      nexus stop --note "got ingress working"
    """
    with changing_journal() as journal:
        if cancel:
            timer = ops.cancel_timer(journal)
            message = f"discarded the timer for {timer.topic}"
        else:
            session = ops.stop_timer(journal, note=note)
            message = f"logged {format_minutes(session.minutes)} of {session.topic} ({session.id})"
    ui.success(message)
