from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nexus_cli import ui, views
from nexus_cli.commands._common import TableOrJson, read_journal
from nexus_cli.core import clock
from nexus_cli.core.errors import InputError

if TYPE_CHECKING:
    from rich.console import RenderableType


def progress(
    svg: Annotated[
        Path | None, typer.Option("--svg", metavar="FILE", help="Save the view as an SVG picture.")
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", metavar="FILE", help="Save the view as an HTML page.")
    ] = None,
    width: Annotated[
        int | None,
        typer.Option(
            "--width",
            "-w",
            min=30,
            max=400,
            metavar="COLUMNS",
            help="Lay the view out for this many columns (30 to 400).",
        ),
    ] = None,
    fmt: Annotated[
        TableOrJson,
        typer.Option("--format", "-f", help="How to print it; json gives the numbers, as `stats` does."),
    ] = TableOrJson.table,
    every_topic: Annotated[
        bool,
        typer.Option(
            "--all", "-a", help="List every subtopic, however many (past 60 topics only top-level ones are)."
        ),
    ] = False,
) -> None:
    """Show the dashboard: topic tree, totals, streaks and a calendar of study days.

    A journal of more than 60 topics shows its top-level topics, each with the
    open challenges of its subtree and a count of its subtopics; --all lists them all.

    With --svg the view is saved as a picture (in colour, 100 columns unless
    --width says otherwise); with --html as a web page that fits the window and
    follows its light or dark mode.

    \b
    Examples:
      nexus progress
      nexus progress --svg progress.svg --width 100
      nexus progress --all
    """
    if fmt is TableOrJson.json and (svg is not None or html is not None):
        flag = "--svg" if svg is not None else "--html"
        raise InputError(f"{flag} saves the dashboard; --format json prints numbers", hint="use one of them")
    journal = read_journal()
    if fmt is TableOrJson.json:
        import sys

        from nexus_cli.core.stats import compute, to_record
        from nexus_cli.core.text import json_text

        sys.stdout.write(json_text(to_record(compute(journal, clock.today()))))
        return
    saving = svg is not None or html is not None
    if not saving or (not journal.topics and not journal.sessions):  # an empty one: how to begin
        views.print_progress(journal, every_topic=every_topic, width=width)
        return
    view = views.progress_view(journal, every_topic=every_topic)
    if svg is not None:
        save_svg(view, svg, width or 100)
    if html is not None:
        from nexus_cli.commands._common import write_output
        from nexus_cli.render.html import WIDTHS, render_html

        name = journal.program.name if journal.program else "Study"
        page = render_html(lambda: view, f"{name} · progress", widths=(width,) if width else WIDTHS)
        write_output(html, page)
        ui.success(f"saved the progress page to {html}")


def save_svg(view: RenderableType, path: Path, width: int = 100) -> None:
    """Save a rendered dashboard as an SVG picture (for --svg and `export markdown --with-svg`)."""
    from nexus_cli.commands._common import write_output
    from nexus_cli.output import export_console

    console = export_console(width)
    console.print(view)
    write_output(path, console.export_svg(title="nexus progress", clear=False))
    ui.success(f"saved the progress view to {path}")
