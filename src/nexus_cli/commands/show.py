from __future__ import annotations

import sys
from typing import Annotated

import typer

from nexus_cli.commands._common import TableOrJson, complete_any, json_alias, read_journal
from nexus_cli.core import clock
from nexus_cli.core.ids import entries, nfc, resolve
from nexus_cli.core.models import Entry, Journal
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
    entry = _find(journal, entry_id)
    if as_json or fmt is TableOrJson.json:
        from nexus_cli.core.convert.tabular import record

        sys.stdout.write(json_text(record(entry, minutes_by_topic(journal))))
        return
    from nexus_cli.output import print_data
    from nexus_cli.render.show import render_entry

    print_data(render_entry(journal, entry, clock.today()))


def _find(journal: Journal, query: str) -> Entry:
    """Return what `resolve` returns, answering its first rule (an exact id) without its other scans.

    `resolve` also builds every entry's label (tens of milliseconds for a large
    journal) before it looks at them; the id typed in full is the common case.
    """
    raw = nfc(query.strip())
    exact = [entry for entry in entries(journal) if entry.id == raw]
    return exact[0] if len(exact) == 1 else resolve(journal, query)
