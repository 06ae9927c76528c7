from __future__ import annotations

import sys
from typing import Annotated

import typer

from nexus_cli import views
from nexus_cli.commands._common import TableOrJson, complete_any, json_alias, read_journal
from nexus_cli.core.queries import minutes_by_topic
from nexus_cli.core.text import json_text


def show(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Id of any entry (any unique prefix).", autocompletion=complete_any
        ),
    ],
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="How to print it.")] = TableOrJson.table,
    as_json: Annotated[bool, json_alias()] = False,
) -> None:
    """Show one entry; a topic with its subtopics, sessions, challenges and resources.

    \b
    Examples:
      nexus show django
      nexus show kube --format json
    """
    journal = read_journal()
    entry = views.find_entry(journal, entry_id)
    if as_json or fmt is TableOrJson.json:
        from nexus_cli.core.convert.tabular import record

        sys.stdout.write(json_text(record(entry, minutes_by_topic(journal))))
        return
    views.print_entry(journal, entry)
