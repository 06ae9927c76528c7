from __future__ import annotations

import sys
from typing import Annotated

import typer

from nexus_cli.commands._common import TableOrJson, read_journal
from nexus_cli.core import clock
from nexus_cli.core.text import json_text


def stats(
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="How to print it.")] = TableOrJson.table,
    weeks: Annotated[
        int, typer.Option("--weeks", min=1, max=520, metavar="N", help="Weeks shown in the table (1 to 520).")
    ] = 12,
) -> None:
    """Show the numbers: total time, weeks, streaks, time per topic and category.

    JSON keys (stable): today, total_minutes, sessions, study_days, first_day,
    last_day, this_week_minutes, last_week_minutes, streak {current_days,
    longest_days}, topics_by_status, challenges {open, resolved}, categories
    {name: minutes}, topics {id: {name, category, parent, status, minutes,
    total_minutes, target_hours}}, weeks {monday: minutes}, days {date: minutes}.
    All durations are whole minutes; see docs/stats.md.

    \b
    Examples:
      nexus stats
      nexus stats --format json | jq .streak
    """
    from nexus_cli.core.stats import compute, to_record

    numbers = compute(read_journal(), clock.today())
    if fmt is TableOrJson.json:
        sys.stdout.write(json_text(to_record(numbers)))
        return
    from nexus_cli.output import print_data
    from nexus_cli.render.stats import render_stats

    print_data(render_stats(numbers, weeks=weeks))
