from __future__ import annotations

from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import changing_journal, complete_challenge, read_journal, require_text
from nexus_cli.core import ops
from nexus_cli.core.ids import resolve


def solve(
    challenge: Annotated[
        str,
        typer.Argument(
            metavar="CHALLENGE", help="Challenge id (any unique prefix).", autocompletion=complete_challenge
        ),
    ],
    solution: Annotated[str | None, typer.Option("--solution", metavar="TEXT", help="What worked.")] = None,
) -> None:
    """Mark a challenge resolved and record what worked.

    \b
    Example:
      nexus solve kube --solution "one piece at a time"
    """
    target = resolve(read_journal(), challenge, ["challenge"])
    if not (solution or "").strip() and not getattr(target, "solution", "").strip():
        solution = require_text(solution, "solution", "--solution")  # asked before locking
    with changing_journal() as journal:
        solved = ops.solve(journal, target.id, solution)
    ui.success(f"resolved {solved.id}")
