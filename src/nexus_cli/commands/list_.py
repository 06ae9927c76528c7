from __future__ import annotations

import sys
from enum import StrEnum
from operator import itemgetter
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import AnyStatus, complete_topic, journal_path, read_journal, read_recent
from nexus_cli.core import clock, store
from nexus_cli.core.errors import InputError
from nexus_cli.core.models import LIST_OF, ChallengeStatus, Journal, Kind, Status
from nexus_cli.core.parse import parse_date
from nexus_cli.core.queries import (
    Filters,
    minutes_by_topic,
    plain_filters_suffice,
    plain_minutes_by_topic,
    select,
    select_plain_topics,
    sort_entries,
    sort_plain_topics,
    tree_order_and_depths,
)
from nexus_cli.render.rows import STREAM_ROWS

# One choice per list of the journal, in the model's order.
KIND_OF_LIST: dict[str, Kind] = {name: kind for kind, name in LIST_OF.items()}
ListKind = StrEnum("ListKind", {name: name for name in LIST_OF.values()})  # type: ignore[misc]


# The journal data a listing read, kept to the end of the process: the fast exit (cli._leave)
# then skips freeing its million small objects one by one (some 50 ms at 100,000 topics).
_KEPT: dict[str, object] = {}


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def list_(
    kind: Annotated[ListKind, typer.Argument(metavar="KIND", case_sensitive=False, help="What to list.")],
    status: Annotated[
        AnyStatus | None,
        typer.Option("--status", "-s", case_sensitive=False, metavar="STATUS", help="Only this status."),
    ] = None,
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic",
            "-t",
            metavar="TOPIC",
            help="Only entries of this topic (and its subtopics).",
            autocompletion=complete_topic,
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", metavar="TAG", help="Only entries with this tag (repeatable)."),
    ] = None,
    category: Annotated[
        str | None, typer.Option("--category", "-c", metavar="NAME", help="Only topics of this category.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="From this date: 2026-09-01, 7d, 2w.")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE", help="Up to this date.")] = None,
    open_: Annotated[bool, typer.Option("--open", help="Only open challenges.")] = False,
    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            metavar="FIELD",
            help="Sort by a field, -field for descending. Topics: name, id, category, status, hours,"
            " created, updated; challenges: opened, title, id, status, resolved; takeaways: created,"
            " title, id; sessions: date, minutes, topic, id.",
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, metavar="N", help="Show at most this many.")
    ] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="How to print them.")] = ListFormat.table,
) -> None:
    """List topics, challenges, takeaways or sessions.

    \b
    Examples:
      nexus list sessions --since 7d --format json
      nexus list challenges --open
      nexus list topics --sort -hours
    """
    today = clock.today()
    entry_kind = KIND_OF_LIST[kind.value]
    if status is not None:
        _check_status(kind, status)
    filters = Filters(
        status=status.value if status else None,
        topic=topic,
        tags=tuple(tag or ()),
        category=category,
        since=parse_date(since, today=today, allow_future=True) if since else None,
        until=parse_date(until, today=today, allow_future=True) if until else None,
        open_only=open_,
    )
    if (
        entry_kind == "topic"
        and plain_filters_suffice(filters)
        and _topics_from_cache(filters, sort, limit, fmt)
    ):
        return
    older_left_out = False
    if entry_kind == "session" and filters.since is not None:
        # `--since 7d` of a large journal: the older sessions need not be loaded at all
        journal, older_left_out = read_recent(filters.since)
    else:
        journal = read_journal()
    items = sort_entries(journal, entry_kind, select(journal, entry_kind, filters), sort)
    if limit is not None:
        items = items[-limit:] if entry_kind == "session" and sort is None else items[:limit]
    minutes = minutes_by_topic(journal) if entry_kind == "topic" else None
    if fmt is ListFormat.json:
        from nexus_cli.core.convert.tabular import to_json

        sys.stdout.write(to_json(items, minutes))
    elif fmt is ListFormat.csv:
        from nexus_cli.core.convert.tabular import to_csv

        sys.stdout.write(to_csv(entry_kind, items, minutes))
    elif not items:
        some = older_left_out or journal_has(journal, entry_kind)
        ui.say(f"no {kind.value} match" if some else f"no {kind.value} yet")
    elif len(items) > STREAM_ROWS:
        # a long list: printed as it is made, in a plain layout (Rich would take minutes)
        from nexus_cli.output import print_rows
        from nexus_cli.render.rows import HEADERS, RIGHT, cells

        rows = list(cells(journal, entry_kind, items, today, minutes or {}))
        print_rows(HEADERS[entry_kind], rows, right=RIGHT)
    else:
        from nexus_cli.output import print_data
        from nexus_cli.render.tables import render_list

        print_data(render_list(journal, entry_kind, items, today, minutes))


def _topics_from_cache(filters: Filters, sort: str | None, limit: int | None, fmt: ListFormat) -> bool:
    """List topics from the cache's plain copy of the journal; False when it has none.

    The same output as the path through the models, without validating every
    topic of a large journal (which costs most of the time at 100,000 topics).
    """
    state = store.cached_state(journal_path())
    if state is None:
        return False
    _KEPT["state"] = state
    topics = state.get("topics") or []
    minutes = plain_minutes_by_topic(state.get("sessions") or [])
    ids = list(map(itemgetter("id"), topics))
    order, level = tree_order_and_depths(ids, list(map(itemgetter("parent"), topics)))
    items = sort_plain_topics(select_plain_topics([topics[i] for i in order], filters), sort, minutes)
    if limit is not None:
        items = items[:limit]
    if fmt is ListFormat.json:
        from nexus_cli.core.convert.tabular import to_json

        sys.stdout.write(to_json(items, minutes))
    elif fmt is ListFormat.csv:
        from nexus_cli.core.convert.tabular import to_csv

        sys.stdout.write(to_csv("topic", items, minutes))
    elif not items:
        ui.say("no topics match" if topics else "no topics yet")
    else:
        from nexus_cli.render.rows import HEADERS, RIGHT, plain_topic_table

        widths, rows = plain_topic_table(items, level, minutes)
        if len(items) > STREAM_ROWS:
            from nexus_cli.output import print_rows

            # the rows are made as they are printed: `| head` ends the run after the first few
            print_rows(HEADERS["topic"], rows, right=RIGHT, widths=widths)
        else:
            from nexus_cli.output import print_data
            from nexus_cli.render.tables import list_view

            print_data(list_view("topic", rows))
    return True


def _check_status(kind: ListKind, status: AnyStatus) -> None:
    """Refuse a status the kind cannot have: `list topics --status resolved` is a mistake."""
    statuses: dict[str, list[str]] = {
        "topics": [s.value for s in Status],
        "challenges": [s.value for s in ChallengeStatus],
    }
    allowed = statuses.get(kind.value)
    if allowed is None:
        raise InputError(f"{kind.value} have no status", hint="--status filters topics and challenges")
    if status.value not in allowed:
        names = ", ".join(allowed)
        raise InputError(f"{status.value} is not a status of {kind.value}", hint=f"use one of: {names}")


def journal_has(journal: Journal, kind: Kind) -> bool:
    return bool(getattr(journal, LIST_OF[kind]))
