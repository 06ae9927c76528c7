from __future__ import annotations

from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import changing_journal, complete_challenge, read_journal, require_text
from nexus_cli.core import ops
from nexus_cli.core.errors import InputError
from nexus_cli.core.ids import resolve
from nexus_cli.core.models import Challenge
from nexus_cli.core.text import one_line


def solve(
    challenge: Annotated[
        str,
        typer.Argument(
            metavar="CHALLENGE", help="Challenge id (any unique prefix).", autocompletion=complete_challenge
        ),
    ],
    solution: Annotated[str | None, typer.Option("--solution", metavar="TEXT", help="What worked.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace a solution already written.")] = False,
    append: Annotated[bool, typer.Option("--append", help="Add to a solution already written.")] = False,
) -> None:
    """Mark a challenge resolved and record what worked.

    \b
    Examples:
      nexus solve kube --solution "one piece at a time"
      nexus solve kube --append --solution "and a local registry"
    """
    if replace and append:
        raise InputError("--replace and --append contradict each other", hint="pick one")
    mode = (
        ops.SolutionMode.replace if replace else ops.SolutionMode.append if append else ops.SolutionMode.keep
    )
    target = resolve(read_journal(), challenge, ["challenge"])
    assert isinstance(target, Challenge)
    if not (solution or "").strip() and not target.solution.strip():
        solution = require_text(solution, "solution", "--solution")  # asked before locking
    new, old = (solution or "").strip(), target.solution.strip()
    if new and old and new != old and mode == ops.SolutionMode.keep and ui.is_interactive():
        chosen = _ask_replace_or_append(target)
        if chosen is None:
            ui.say("nothing changed")  # cancelling is a choice, not a failure
            return
        mode = chosen
    with changing_journal() as journal:
        solved, done = ops.solve(journal, target.id, solution, mode=mode)
    if done == "unchanged":
        ui.success(f"{solved.id} was already resolved; nothing changed")
    elif done == "replaced":
        ui.success(f"replaced the solution of {solved.id} (it was: {one_line(old, 60)})")
    elif done == "appended":
        ui.success(f"added to the solution of {solved.id}")
    else:
        ui.success(f"resolved {solved.id}")


def _ask_replace_or_append(target: Challenge) -> ops.SolutionMode | None:
    """Ask, on a terminal, what to do with the solution already written."""
    ui.say(f"{target.id} already has a solution: {one_line(target.solution, 70)}")
    answer = typer.prompt("Replace it, append to it, or cancel? [r/a/c]", default="c").strip().lower()
    if answer in ("r", "replace"):
        return ops.SolutionMode.replace
    if answer in ("a", "append"):
        return ops.SolutionMode.append
    return None
