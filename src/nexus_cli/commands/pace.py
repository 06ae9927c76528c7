from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from nexus_cli.commands._common import read_journal
from nexus_cli.core import clock
from nexus_cli.core.text import json_text


class PaceFormat(StrEnum):
    table = "table"
    json = "json"


def pace(
    fmt: Annotated[PaceFormat, typer.Option("--format", "-f", help="table or json.")] = PaceFormat.table,
) -> None:
    """Show hours still needed per target, recent pace and projected finish vs the end date.

    \b
    Examples:
      nexus pace
      nexus pace --format json | jq '.topics[] | select(.behind) | .topic'
    """
    from nexus_cli.core.pace import summarize

    summary = summarize(read_journal(), clock.today())
    if fmt is PaceFormat.json:
        sys.stdout.write(json_text(summary.to_dict()))
        return
    from nexus_cli.output import print_data
    from nexus_cli.render.pace import render_summary

    print_data(render_summary(summary))
