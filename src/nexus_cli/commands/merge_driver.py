from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import JournalFormat


def merge_driver(
    base: Annotated[Path, typer.Argument(metavar="BASE", help="The common ancestor (git's %O).")],
    ours: Annotated[Path, typer.Argument(metavar="OURS", help="Our version; the result goes here (%A).")],
    theirs: Annotated[Path, typer.Argument(metavar="THEIRS", help="Their version (%B).")],
    real_path: Annotated[
        str | None,
        typer.Argument(metavar="PATH", help="The journal's path in the repository (%P): sets the format."),
    ] = None,
    fmt: Annotated[
        JournalFormat | None,
        typer.Option(
            "--format", "-f", case_sensitive=False, help="The files' format (else from PATH or content)."
        ),
    ] = None,
) -> None:
    """Merge two versions of a journal entry by entry (git runs this; see `nexus sync setup`).

    Exits 0 on a clean merge; 1 when entries conflict (or the merged journal
    would fail `nexus validate`), with both sides kept between
    <<<<<<< ours / >>>>>>> theirs markers in OURS.

    \b
    Examples:
      git config merge.nexus.driver "nexus merge-driver %O %A %B %P"
      nexus merge-driver base.toml ours.toml theirs.toml
    """
    from nexus_cli.core import store
    from nexus_cli.core.sync import gitsync

    chosen = fmt.value if fmt else (store.format_for(real_path) if real_path else None)
    outcome = gitsync.merge_files(base, ours, theirs, chosen)
    name = real_path or str(ours)
    if outcome.fallback is not None:
        ui.warn(f"{name}: not merged entry by entry ({outcome.fallback}); used git's line merge")
    for conflict in outcome.conflicts:
        ui.say(f"conflict in {name}: {conflict.where}: {conflict.reason}")
    if outcome.conflicts:
        ui.say(f"{name}: both versions are kept between conflict markers; edit the file, then `git add` it")
    raise typer.Exit(outcome.exit_code)
