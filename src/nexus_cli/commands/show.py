from __future__ import annotations

import sys
from typing import Annotated

import typer

from nexus_cli.commands._common import complete_any, read_journal
from nexus_cli.core import clock
from nexus_cli.core.ids import resolve
from nexus_cli.core.queries import minutes_by_topic
from nexus_cli.core.text import json_text


def show(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Id of any entry (any unique prefix).", autocompletion=complete_any
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the entry as JSON.")] = False,
) -> None:
    """Show one entry; a topic with its subtopics, sessions, challenges and resources.

    \b
    Examples:
      nexus show django
      nexus show kube --json
    """
    journal = read_journal()
    entry = resolve(journal, entry_id)
    if as_json:
        from nexus_cli.core.convert.tabular import record

        sys.stdout.write(json_text(record(entry, minutes_by_topic(journal))))
        return
    from nexus_cli.output import print_data
    from nexus_cli.render.show import render_entry

    print_data(render_entry(journal, entry, clock.today()))
