from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import journal_path, read_journal, write_output
from nexus_cli.core import clock, store
from nexus_cli.core.convert.exporters import CSV_KINDS, FORMATS
from nexus_cli.core.errors import InputError, NexusError
from nexus_cli.core.models import Journal

# The choices come from the exporters' registry, so a new format needs no second list here.
ExportFormat = StrEnum("ExportFormat", {name: name for name in FORMATS})  # type: ignore[misc]
CsvKind = StrEnum("CsvKind", {name: name for name in CSV_KINDS})  # type: ignore[misc]


def export(
    fmt: Annotated[ExportFormat, typer.Argument(metavar="FORMAT", help="markdown, json, toml or csv.")],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout."),
    ] = None,
    kind: Annotated[CsvKind | None, typer.Option("--kind", "-k", help="The table to export as CSV.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE even if nexus did not write it.")
    ] = False,
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

    -o replaces a file only if nexus wrote it (or with --force): a README you
    wrote by hand is never overwritten by accident.

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
        if fmt.value != "markdown":
            raise InputError(
                "--with-svg only applies to markdown", hint="nexus export markdown --with-svg FILE"
            )
        if not force:  # both files are checked before either is written
            _refuse_a_file_nexus_did_not_write(Path(with_svg), "svg")
            if output not in (None, "-"):
                _refuse_a_file_nexus_did_not_write(Path(output), "markdown")
        text = _markdown_with_picture(journal, Path(with_svg), output)
    else:
        text = export_text(journal, fmt.value, kind.value if kind else None)
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    if not force:
        _refuse_a_file_nexus_did_not_write(Path(output), fmt.value)
    private = fmt.value in ("json", "toml")  # journal copies stay 0600
    write_output(Path(output), text, private=private)
    ui.success(f"wrote {output}")


def _refuse_a_file_nexus_did_not_write(target: Path, fmt: str) -> None:
    """Refuse to replace an existing file that is not an earlier export of nexus."""
    from nexus_cli.core.convert.exporters import written_by_nexus

    if not target.is_file() or store.real_path(target) == store.real_path(journal_path()):
        return  # nothing there, or what write_output refuses with its own message
    try:
        text = store.decode(store.read_input(target), str(target))
    except NexusError:
        text = None
    if text is not None and written_by_nexus(text, fmt):
        return
    raise InputError(
        f"{target} exists and nexus did not write it; it was left as it was",
        hint="pass --force to replace it, or write elsewhere with -o FILE",
    )


def _markdown_with_picture(journal: Journal, picture: Path, output: str | None) -> str:
    """Save the dashboard as an SVG and return the README that shows it (linked relative to the README)."""
    import os

    from nexus_cli.commands.progress import save_svg
    from nexus_cli.core.convert.markdown_export import export_markdown
    from nexus_cli.core.stats import compute
    from nexus_cli.render.progress import render_progress

    now = clock.now()
    save_svg(render_progress(journal, compute(journal, now.date()), now=now), picture)
    readme_folder = Path(output).parent if output not in (None, "-") else Path.cwd()
    link = os.path.relpath(picture.resolve(), readme_folder.resolve())
    return export_markdown(journal, picture=Path(link).as_posix())
