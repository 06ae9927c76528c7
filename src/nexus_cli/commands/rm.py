from __future__ import annotations

from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import changing_journal, complete_any, complete_topic, read_journal
from nexus_cli.core import ops
from nexus_cli.core.errors import InputError, JournalError
from nexus_cli.core.ids import resolve
from nexus_cli.core.models import Journal, Topic, kind_of, label_of
from nexus_cli.core.text import one_line


def rm(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Id of the entry (any unique prefix).", autocompletion=complete_any
        ),
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask; needed when not on a terminal.")
    ] = False,
    with_sessions: Annotated[
        bool, typer.Option("--with-sessions", help="Delete the topic's sessions with it.")
    ] = False,
    move_to: Annotated[
        str | None,
        typer.Option(
            "--move-to",
            metavar="TOPIC",
            help="Move the topic's sessions to another topic.",
            autocompletion=complete_topic,
        ),
    ] = None,
) -> None:
    """Remove an entry. A topic with sessions needs --with-sessions or --move-to.

    \b
    Examples:
      nexus rm 20261128-k3fq
      nexus rm graphql --move-to rest-apis
      nexus rm graphql --with-sessions --yes
    """
    if with_sessions and move_to is not None:
        raise InputError("--with-sessions and --move-to contradict each other", hint="pick one")
    journal = read_journal()
    entry = resolve(journal, entry_id)
    what = f"{kind_of(entry)} {entry.id} ({one_line(label_of(entry), 60)})"
    if not isinstance(entry, Topic) and (with_sessions or move_to is not None):
        flag = "--with-sessions" if with_sessions else "--move-to"
        raise InputError(f"{flag} is for topics; {entry.id} is a {kind_of(entry)}", hint=f"drop {flag}")
    plan = ops.removal_plan(journal, entry)
    if move_to is not None:
        move_to = resolve(journal, move_to, ["topic"]).id
        if move_to == entry.id:
            raise InputError(f"cannot move {entry.id}'s sessions to itself", hint="name another topic")
    if (plan.sessions or plan.timer) and not with_sessions and move_to is None:
        move_to = _ask_where_sessions_go(journal, entry.id, plan, what)
        if move_to == "":
            ui.say("nothing changed")  # no answer is a choice, not a failure
            return
    parts = plan.parts(move_to)
    if not yes:
        if not ui.is_interactive():
            raise InputError(f"not removing {what} without confirmation", hint="pass --yes")
        question = f"Remove {what}" + (": " + "; ".join(parts) if parts else "") + "?"
        if not typer.confirm(question, default=False):
            ui.say("nothing changed")  # answering no is a choice, not a failure
            return
    with changing_journal() as current:
        target = resolve(current, entry.id)
        if ops.removal_plan(current, target) != plan:
            # something was logged or changed while the question was on screen: what
            # was agreed to is no longer what would go
            raise JournalError(
                f"{entry.id} changed while you were deciding; nothing was removed",
                hint=f"run `nexus rm {entry.id}` again to see what would go now",
            )
        ops.remove(current, target, move_to=move_to)
    ui.success(f"removed {what}" + ("; " + "; ".join(parts) if parts else ""))


def _ask_where_sessions_go(journal: Journal, topic_id: str, plan: ops.RemovalPlan, what: str) -> str | None:
    """Ask what becomes of a topic's sessions: a topic id, None to delete them, "" for nothing.

    Off a terminal the choice must be given with a flag.
    """
    held = plan.held()
    if not ui.is_interactive():
        raise InputError(
            f"{what} holds {held}: say what becomes of them",
            hint="pass --with-sessions to delete them, or --move-to TOPIC to keep them",
        )
    answer = typer.prompt(
        f"{what} holds {held}. Move them to which topic? (a topic id; 'delete' deletes them)",
        default="",
        show_default=False,
    ).strip()
    if not answer:
        return ""
    if answer.lower() == "delete":
        return None
    target = resolve(journal, answer, ["topic"]).id
    if target == topic_id:
        raise InputError(f"cannot move {topic_id}'s sessions to itself", hint="name another topic")
    return target
