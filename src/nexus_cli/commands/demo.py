from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.core import clock


def demo(
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            metavar="PATH",
            help="Save the demo as a journal file to try commands on (never overwrites a file).",
        ),
    ] = None,
    width: Annotated[
        int | None,
        typer.Option("--width", "-w", min=30, max=400, help="Lay the dashboard out for this many columns."),
    ] = None,
) -> None:
    """Show the dashboard of a demo journal dated up to today; your own journal is not touched.

    The demo is a learner twelve weeks into a backend programme. It is made
    afresh on every run, so it always has this week's hours and a live streak.

    \b
    Examples:
      nexus demo
      nexus demo --write demo.toml && nexus -j demo.toml next
    """
    from nexus_cli.core.demo import build_live

    journal = build_live(clock.now())
    if write is not None:
        from nexus_cli.core import store
        from nexus_cli.core.errors import InputError

        if write.exists() or write.is_symlink():
            raise InputError(f"{write} already exists; nexus will not overwrite it", hint="pick another path")
        store.create(write, journal)
        ui.success(f"saved the demo journal to {write}")
        shown = f'"{write}"' if " " in str(write) else str(write)
        ui.say(f"try it: nexus -j {shown} progress")
        return
    from nexus_cli.core.stats import compute
    from nexus_cli.output import print_data
    from nexus_cli.render.progress import render_progress

    print_data(render_progress(journal, compute(journal, clock.today())), width=width)
    ui.say("This is a demo journal; nothing was saved. `nexus init` starts your own.")
