from __future__ import annotations

import sys
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import TableOrJson, read_journal
from nexus_cli.core import clock
from nexus_cli.core.text import json_text


def next_(
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="How to print it.")] = TableOrJson.table,
) -> None:
    """Suggest three things to do in your next study block, each with its reason.

    \b
    Examples:
      nexus next
      nexus next --format json | jq -r '.[0].command'
    """
    from nexus_cli.core.suggest import suggest

    suggestions = suggest(read_journal(), clock.today())
    if fmt is TableOrJson.json:
        sys.stdout.write(json_text([s.to_dict() for s in suggestions]))
    elif not suggestions:
        ui.say("nothing to suggest yet: add a topic with `nexus add topic NAME`")
    else:
        from nexus_cli.output import print_data
        from nexus_cli.render.review import render_suggestions

        print_data(render_suggestions(suggestions))
