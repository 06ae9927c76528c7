from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import read_journal, write_output
from nexus_cli.core.errors import InputError
from nexus_cli.core.models import Journal


class ExportFormat(StrEnum):
    markdown = "markdown"
    json = "json"
    toml = "toml"
    csv = "csv"


class CsvKind(StrEnum):
    sessions = "sessions"
    topics = "topics"
    challenges = "challenges"
    takeaways = "takeaways"


def export(
    fmt: Annotated[ExportFormat, typer.Argument(metavar="FORMAT", help="markdown, json, toml or csv.")],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout."),
    ] = None,
    kind: Annotated[CsvKind | None, typer.Option("--kind", "-k", help="The table to export as CSV.")] = None,
    with_svg: Annotated[
        str | None,
        typer.Option(
            "--with-svg",
            metavar="FILE",
            help="markdown: also save the dashboard as FILE and show it in the README.",
        ),
    ] = None,
) -> None:
    """Export the journal as a portfolio README, a journal file or a CSV table.

    \b
    Examples:
      nexus export markdown -o README.md
      nexus export markdown -o README.md --with-svg progress.svg
      nexus export csv --kind sessions > sessions.csv
      nexus export json -o backup.json
    """
    from nexus_cli.core.convert.exporters import export_text

    journal = read_journal()
    if with_svg is not None:
        if fmt is not ExportFormat.markdown:
            raise InputError(
                "--with-svg only applies to markdown", hint="nexus export markdown --with-svg FILE"
            )
        text = _markdown_with_picture(journal, Path(with_svg), output)
    else:
        text = export_text(journal, fmt.value, kind.value if kind else None)
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    private = fmt not in (ExportFormat.markdown, ExportFormat.csv)  # journal copies stay 0600
    write_output(Path(output), text, private=private)
    ui.success(f"wrote {output}")


def _markdown_with_picture(journal: Journal, picture: Path, output: str | None) -> str:
    """Save the dashboard as an SVG and return the README that shows it (linked relative to the README)."""
    import os

    from nexus_cli.commands.progress import save_svg
    from nexus_cli.core.convert.markdown_export import export_markdown

    save_svg(journal, picture)
    readme_folder = Path(output).parent if output not in (None, "-") else Path.cwd()
    link = os.path.relpath(picture.resolve(), readme_folder.resolve())
    return export_markdown(journal, picture=Path(link).as_posix())
