from __future__ import annotations

import sys
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import TableOrJson, read_journal
from nexus_cli.core import clock


def status(
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="How to print it.")] = TableOrJson.table,
) -> None:
    """Show the running timer: which topic, since when, for how long.

    \b
    Examples:
      nexus status
      nexus status --format json | jq .minutes
    """
    from nexus_cli.core.ops import timer_record

    timer = read_journal().timer
    now = clock.now()
    if fmt is TableOrJson.json:
        from nexus_cli.core.text import json_text

        record: dict[str, object] = {"running": timer is not None}
        if timer is not None:
            record |= timer_record(timer, now)
        sys.stdout.write(json_text(record))
        return
    if timer is None:
        ui.say("no timer is running; start one with `nexus start TOPIC`")
        return
    from nexus_cli.output import print_data
    from nexus_cli.render.timer import forgotten_hint, timer_line

    print_data(timer_line(timer, now))
    hint = forgotten_hint(timer, now)
    if hint:
        ui.say(hint)
