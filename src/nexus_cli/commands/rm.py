from __future__ import annotations

from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import changing_journal, complete_any, read_journal
from nexus_cli.core import ops
from nexus_cli.core.errors import InputError
from nexus_cli.core.ids import resolve
from nexus_cli.core.models import kind_of, label_of
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
) -> None:
    """Remove an entry. A topic takes its sessions with it.

    \b
    Examples:
      nexus rm 20261128-k3fq
      nexus rm graphql --yes
    """
    journal = read_journal()
    entry = resolve(journal, entry_id)
    what = f"{kind_of(entry)} {entry.id} ({one_line(label_of(entry), 60)})"
    plan = ops.removal_plan(journal, entry)
    also = ", ".join(f"{n} {name}" for name, n in plan.items() if n)
    if not yes:
        if not ui.is_interactive():
            raise InputError(f"not removing {what} without confirmation", hint="pass --yes")
        question = f"Remove {what}" + (f", touching {also}" if also else "") + "?"
        if not typer.confirm(question, default=False):
            ui.say("nothing changed")  # answering no is a choice, not a failure
            return
    with changing_journal() as current:
        ops.remove(current, resolve(current, entry.id))
    ui.success(f"removed {what}" + (f" and updated {also}" if also else ""))
