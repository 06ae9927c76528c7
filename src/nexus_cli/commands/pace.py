from __future__ import annotations

import sys
from typing import Annotated

import typer

from nexus_cli.commands._common import TableOrJson, read_journal
from nexus_cli.core import clock
from nexus_cli.core.text import json_text


def pace(
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="How to print it.")] = TableOrJson.table,
) -> None:
    """Show hours still needed per target, recent pace and projected finish vs the end date.

    \b
    Examples:
      nexus pace
      nexus pace --format json | jq .topics
    """
    from nexus_cli.core.pace import summarize

    summary = summarize(read_journal(), clock.today())
    if fmt is TableOrJson.json:
        sys.stdout.write(json_text(summary.to_dict()))
        return
    from nexus_cli.output import print_data
    from nexus_cli.render.pace import render_summary

    print_data(render_summary(summary))
