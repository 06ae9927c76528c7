from __future__ import annotations

from typing import Annotated, Any

import typer

from nexus_cli import ui
from nexus_cli.commands._common import AnyStatus, changing_journal, complete_any, complete_topic
from nexus_cli.core import clock, ops
from nexus_cli.core.errors import InputError
from nexus_cli.core.ids import resolve
from nexus_cli.core.models import Challenge, Entry, Session, Takeaway, Topic
from nexus_cli.core.parse import parse_date, parse_duration, parse_hours
from nexus_cli.core.shape import PROGRAMME_IDS


def edit(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Id (any unique prefix), or `program`.",
            autocompletion=complete_any,
            is_eager=True,  # read before --status, so that `edit program --status x` can say why it fails
        ),
    ],
    new_id: Annotated[
        str | None,
        typer.Option(
            "--id", metavar="NEW", help="New id; sessions, subtopics, challenges and takeaways follow."
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", "--title", metavar="TEXT", help="New name or title.")
    ] = None,
    status: Annotated[
        AnyStatus | None,
        typer.Option(
            "--status",
            "-s",
            case_sensitive=False,
            metavar="STATUS",
            help="New status. Topics: planned, learning, practicing, confident; challenges: open, resolved.",
        ),
    ] = None,
    category: Annotated[
        str | None, typer.Option("--category", "-c", metavar="NAME", help="New category (topics).")
    ] = None,
    parent: Annotated[
        str | None,
        typer.Option(
            "--parent", metavar="TOPIC", help="New parent topic; '' for none.", autocompletion=complete_topic
        ),
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", metavar="TEXT", help="New notes (topics).")] = None,
    text: Annotated[str | None, typer.Option("--text", metavar="TEXT", help="New text (takeaways).")] = None,
    problem: Annotated[
        str | None, typer.Option("--problem", metavar="TEXT", help="New problem (challenges).")
    ] = None,
    solution: Annotated[
        str | None, typer.Option("--solution", metavar="TEXT", help="New solution (challenges).")
    ] = None,
    topic: Annotated[
        list[str] | None,
        typer.Option(
            "--topic",
            "-t",
            metavar="TOPIC",
            help="Topics (replaces; repeatable).",
            autocompletion=complete_topic,
        ),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", metavar="TAG", help="Tags (replaces; repeatable).")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", metavar="HOURS", help="Target hours (topics), e.g. 20h.")
    ] = None,
    duration: Annotated[
        str | None, typer.Option("--duration", metavar="DURATION", help="New duration (sessions).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="New date (sessions).")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", "-n", metavar="TEXT", help="New note (sessions).")
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", metavar="TEXT", help="New description (program).")
    ] = None,
    starts: Annotated[
        str | None, typer.Option("--starts", metavar="DATE", help="Programme start date (program).")
    ] = None,
    ends: Annotated[
        str | None, typer.Option("--ends", metavar="DATE", help="Programme end date (program).")
    ] = None,
) -> None:
    """Change an entry with flags, or with no flags in $EDITOR (validated before saving).

    \b
    Examples:
      nexus edit django --status practicing
      nexus edit rest --id rest-apis
      nexus edit kube    # in $EDITOR
    """
    today = clock.today()
    if entry_id.lower() in PROGRAMME_IDS:
        other = {
            "--status": status, "--category": category, "--parent": parent, "--notes": notes, "--text": text,
            "--problem": problem, "--solution": solution, "--topic": topic, "--tag": tag, "--target": target,
            "--duration": duration, "--date": date, "--note": note, "--id": new_id,
        }  # fmt: skip
        given_flags = [flag for flag, value in other.items() if value is not None]
        if given_flags:
            what = "has no status" if given_flags[0] == "--status" else f"has no {given_flags[0]}"
            raise InputError(
                f"the programme {what}", hint="a programme has --name, --description, --starts and --ends"
            )
        program = {
            "name": name,
            "description": description,
            "start": parse_date(starts, today=today, allow_future=True) if starts else None,
            "end": parse_date(ends, today=today, allow_future=True) if ends else None,
        }
        if all(v is None for v in program.values()):
            raise InputError("say what to change", hint="e.g. nexus edit program --ends 2027-03-01")
        with changing_journal() as journal:
            ops.set_program(journal, **program)
        ui.success("updated the programme")
        return
    if solution and not solution.strip():  # as `add` and `solve` refuse it; "" clears the solution
        raise InputError("the solution is blank", hint="say what worked, or --solution '' to clear it")
    given: dict[str, Any] = {
        "name": name,
        "status": status.value if status else None,
        "category": category,
        "parent": parent,
        "notes": notes,
        "text": text,
        "problem": problem,
        "solution": solution,
        "topics": topic,
        "tags": tag,
        "target_hours": parse_hours(target) if target else None,
        "minutes": parse_duration(duration) if duration else None,
        "date": parse_date(date, today=today) if date else None,
        "note": note,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    programme_only = [flag for flag, value in (("--description", description), ("--starts", starts),
                      ("--ends", ends)) if value is not None]  # fmt: skip
    if programme_only:
        raise InputError(
            f"{programme_only[0]} belongs to the programme, not to {entry_id}",
            hint=f"nexus edit program {programme_only[0]} ...",
        )
    if not changes and new_id is None:
        from nexus_cli.commands._editor import edit_in_editor

        edit_in_editor(entry_id)
        return
    with changing_journal() as journal:  # a rename and the other changes are one write
        entry = resolve(journal, entry_id)
        old_id = entry.id
        if new_id is not None:
            entry = ops.rename(journal, entry, new_id)
        updated = ops.update_entry(journal, entry, _fields_for(entry, changes)) if changes else entry
    ui.success(f"renamed {old_id} to {updated.id}" if new_id is not None else f"updated {updated.id}")


_NAME_FIELD = {Topic: "name", Challenge: "title", Takeaway: "title"}


def _fields_for(entry: Entry, changes: dict[str, Any]) -> dict[str, Any]:
    """Map flags to the entry's own field names, refusing ones it does not have."""
    fields = dict(changes)
    if "name" in fields:
        if type(entry) not in _NAME_FIELD:
            raise InputError("a session has no name", hint="change its --topic or --note")
        fields[_NAME_FIELD[type(entry)]] = fields.pop("name")
    if "parent" in fields and fields["parent"] == "":
        fields["parent"] = None
    if isinstance(entry, Session) and "topics" in fields:
        topics = fields.pop("topics")
        if len(topics) != 1:
            raise InputError("a session belongs to exactly one topic")
        fields["topic"] = topics[0]
    allowed = set(type(entry).model_fields)
    for key in fields:
        if key not in allowed:
            flag = {"topics": "topic", "tags": "tag", "target_hours": "target", "minutes": "duration"}.get(
                key, key
            )
            raise InputError(f"a {type(entry).__name__.lower()} has no --{flag}")
    return fields
