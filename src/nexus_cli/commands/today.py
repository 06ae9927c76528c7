from __future__ import annotations

import sys
from typing import Annotated

import typer

from nexus_cli.commands._common import TableOrJson
from nexus_cli.core import clock


def today(
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="How to print it.")] = TableOrJson.table,
) -> None:
    """Show today's sessions and total, and this week's.

    `nexus log` with no arguments, at a terminal, shows the same.

    \b
    Examples:
      nexus today
      nexus today --format json | jq .minutes
    """
    show_today(fmt)


def show_today(fmt: TableOrJson = TableOrJson.table) -> None:
    """Print today's study (shared by `nexus today` and a bare `nexus log`)."""
    import datetime as dt

    from nexus_cli.commands._common import read_recent
    from nexus_cli.core.today import today_of

    now = clock.now()
    day = now.date()
    journal, _ = read_recent(day - dt.timedelta(days=day.weekday()))
    study = today_of(journal, day)
    if fmt is TableOrJson.json:
        from nexus_cli.core.ops import timer_record
        from nexus_cli.core.text import json_text

        record = {
            "today": day.isoformat(),
            "minutes": study.minutes,
            "sessions": [
                {
                    "id": s.id,
                    "topic": s.topic,
                    "minutes": s.minutes,
                    "start": s.start.isoformat() if s.start else None,
                    "note": s.note,
                }
                for s in study.sessions
            ],
            "week_minutes": study.week_minutes,
            "week_days": study.week_days,
            "week_topics": dict(study.week_topics),
            "timer": timer_record(journal.timer, now) if journal.timer else None,
        }
        sys.stdout.write(json_text(record))
        return
    from nexus_cli.output import print_data
    from nexus_cli.render.today import render_today

    if journal.timer is not None:
        from nexus_cli.render.timer import timer_line

        print_data(timer_line(journal.timer, now))
    print_data(render_today(study, {t.id: t.name for t in journal.topics}))
