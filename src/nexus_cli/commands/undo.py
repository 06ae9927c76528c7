from __future__ import annotations

from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import journal_path
from nexus_cli.core import store
from nexus_cli.core.errors import InputError
from nexus_cli.core.text import neutralize


def undo(
    steps: Annotated[
        int,
        typer.Option(
            "--steps", min=1, metavar="N", help="How many changes to take back (the last 10 are kept)."
        ),
    ] = 1,
    redo: Annotated[bool, typer.Option("--redo", help="Put back what the last undo took back.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask; needed when not on a terminal.")
    ] = False,
) -> None:
    """Take back the last change to the journal, after showing it as a diff.

    Refuses when the journal was changed since nexus wrote it (by hand or by a
    sync). An undo can itself be taken back with --redo.

    \b
    Examples:
      nexus undo
      nexus undo --steps 3 --yes
      nexus undo --redo
    """
    path = journal_path()
    change = store.plan_undo(path, steps=steps, redo=redo)
    what = f"{change.verb} {len(change.steps)} change" + ("s" if len(change.steps) > 1 else "")
    if not yes and not ui.is_interactive():
        raise InputError(f"not going to {what} without confirmation", hint="pass --yes")
    print(neutralize(change.diff(), keep_newlines=True), end="")
    if not yes and not typer.confirm(f"{what.capitalize()} to {path}?", default=False):
        ui.say("nothing changed")  # answering no is a choice, not a failure
        return
    store.apply_undo(change)
    ui.success(f"{change.verb}ne: {len(change.steps)} change" + ("s" if len(change.steps) > 1 else ""))
