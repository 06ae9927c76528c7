from __future__ import annotations

from typing import Annotated

import typer

from nexus_cli import said, ui
from nexus_cli.commands._common import complete_topic, update_journal
from nexus_cli.core import clock, ops
from nexus_cli.core.errors import InputError
from nexus_cli.core.parse import parse_date, parse_duration


def log(
    topic: Annotated[
        str | None,
        typer.Argument(metavar="TOPIC", help="Topic id (any unique prefix).", autocompletion=complete_topic),
    ] = None,
    duration: Annotated[
        str | None, typer.Argument(metavar="DURATION", help="How long: 90m, 1h30m, 1.5h, 2h.")
    ] = None,
    date: Annotated[
        str, typer.Option("--date", "-d", metavar="DATE", help="When: YYYY-MM-DD, today, yesterday, -3d.")
    ] = "today",
    note: Annotated[str, typer.Option("--note", "-n", metavar="TEXT", help="What you did.")] = "",
) -> None:
    """Record a study session.

    With no arguments, at a terminal, shows today's study (as `nexus today`).

    \b
    Examples:
      nexus log django 1h30m --note "class-based views"
      nexus log docker 45m --date yesterday
    """
    if topic is None and ui.is_interactive():
        from nexus_cli.commands.today import show_today

        show_today()
        return
    if topic is None or duration is None:
        missing = "TOPIC and DURATION" if topic is None else "DURATION"
        raise InputError(
            f"say what you studied and for how long: {missing} missing", hint="nexus log django 1h30m"
        )
    minutes = parse_duration(duration)
    day = parse_date(date, today=clock.today())
    session = update_journal(
        lambda journal: ops.log_session(journal, topic, minutes, day=day, note=note),
        sessions_since=day,
        topics_named=[topic],
    )
    ui.success(said.logged(minutes, session.topic, day, session.id))


# `nexus log python -30m` should reach the duration parser and get its message,
# not "no such option: -3".
log.context_settings = {"ignore_unknown_options": True}  # type: ignore[attr-defined]
