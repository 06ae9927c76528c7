from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nexus_cli import ui


def merge_driver(
    base: Annotated[Path, typer.Argument(metavar="BASE", help="The common ancestor (git's %O).")],
    ours: Annotated[Path, typer.Argument(metavar="OURS", help="Our version; the result goes here (%A).")],
    theirs: Annotated[Path, typer.Argument(metavar="THEIRS", help="Their version (%B).")],
    real_path: Annotated[
        str | None,
        typer.Argument(metavar="PATH", help="The journal's path in the repository (%P): sets the format."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="toml or json (else from PATH, else from the content)."),
    ] = None,
) -> None:
    """Merge two versions of a journal entry by entry (git runs this; see `nexus sync setup`).

    Exits 0 on a clean merge; 1 when entries conflict, with both sides kept
    between <<<<<<< ours / >>>>>>> theirs markers in OURS.

    \b
    Examples:
      git config merge.nexus.driver "nexus merge-driver %O %A %B %P"
      nexus merge-driver base.toml ours.toml theirs.toml
    """
    from nexus_cli.core import store
    from nexus_cli.core.errors import InputError
    from nexus_cli.core.sync import gitsync

    if fmt is not None and fmt not in ("toml", "json"):
        raise InputError(f"unknown format {fmt!r}", hint="use --format toml or --format json")
    chosen = fmt or (store.format_for(real_path) if real_path else None)
    outcome = gitsync.merge_files(base, ours, theirs, chosen)  # type: ignore[arg-type]
    name = real_path or str(ours)
    if outcome.fallback is not None:
        ui.warn(f"{name}: not merged entry by entry ({outcome.fallback}); used git's line merge")
    for conflict in outcome.conflicts:
        ui.say(f"conflict in {name}: {conflict.where}: {conflict.reason}")
    if outcome.conflicts:
        ui.say(f"{name}: both versions are kept between conflict markers; edit the file, then `git add` it")
    raise typer.Exit(outcome.exit_code)
