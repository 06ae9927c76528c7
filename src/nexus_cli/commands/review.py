from __future__ import annotations

import sys
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import TableOrJson, changing_journal, complete_reviewable, read_journal
from nexus_cli.core import clock
from nexus_cli.core.errors import InputError
from nexus_cli.core.models import Grade
from nexus_cli.core.parse import parse_date
from nexus_cli.core.text import json_text


def _complete_grade(incomplete: str) -> list[str]:
    return [grade.value for grade in Grade if grade.value.startswith(incomplete)]


def _in_days(days: int) -> str:
    return "today" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days"


def review(
    item_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID",
            help="Takeaway or topic just reviewed (any unique prefix); none lists what is due.",
            autocompletion=complete_reviewable,
            show_default=False,
        ),
    ] = None,
    grade: Annotated[
        str | None,
        typer.Option(
            "--grade",
            "-g",
            metavar="GRADE",
            help="How well you remembered it: again, hard, good or easy.",
            autocompletion=_complete_grade,
        ),
    ] = None,
    date: Annotated[
        str, typer.Option("--date", "-d", metavar="DATE", help="When you reviewed it (default today).")
    ] = "today",
    limit: Annotated[int, typer.Option("--limit", min=1, metavar="N", help="Reviews per day at most.")] = 10,
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="How to print it.")] = TableOrJson.table,
) -> None:
    """List what is due for review today, or record a review of one item.

    \b
    Examples:
      nexus review
      nexus review test-driven --grade good
    """
    from nexus_cli.core import review as reviews

    today = clock.today()
    if item_id is None:
        if grade is not None:
            raise InputError("--grade needs the id of the item reviewed", hint="nexus review ID --grade good")
        queue = reviews.plan(read_journal(), today, limit)
        due = reviews.due_today(queue, today)
        waiting = len(reviews.backlog(queue, today))
        later = [q.day for q in queue if q.day > today]
        next_day = min(later) if later else None
        if fmt is TableOrJson.json:
            data = {
                "today": today.isoformat(),
                "limit": limit,
                "due": [reviews.queue_record(q, today) for q in due],
                "waiting": waiting,
                "next_day": next_day.isoformat() if next_day else None,
            }
            sys.stdout.write(json_text(data))
        elif not due:
            after = f"; next on {next_day} ({_in_days((next_day - today).days)})" if next_day else ""
            ui.say(f"nothing to review today{after}")
        else:
            from nexus_cli.output import print_data
            from nexus_cli.render.review import render_queue

            print_data(render_queue(due, waiting, next_day, today))
        return
    if grade is None:
        raise InputError(
            "say how well you remembered it", hint=f"nexus review {item_id} --grade again|hard|good|easy"
        )
    grade = grade.strip().lower()
    day = parse_date(date, today=today)
    with changing_journal() as journal:
        item, sched = reviews.record_review(journal, item_id, grade, day)
    if fmt is TableOrJson.json:
        data = {"id": item.id, "grade": grade, "date": day.isoformat(), **reviews.schedule_record(sched)}
        sys.stdout.write(json_text(data))
        return
    ui.success(f"reviewed {item.id} ({grade}); next due {sched.due}, {_in_days((sched.due - today).days)}")
