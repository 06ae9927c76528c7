from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import read_journal, write_output
from nexus_cli.core.convert.exporters import CSV_KINDS, FORMATS

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
) -> None:
    """Export the journal as a portfolio README, a journal file or a CSV table.

    \b
    Examples:
      nexus export markdown -o README.md
      nexus export csv --kind sessions > sessions.csv
      nexus export json -o backup.json
    """
    from nexus_cli.core.convert.exporters import export_text

    journal = read_journal()
    text = export_text(journal, fmt.value, kind.value if kind else None)
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    private = fmt.value in ("json", "toml")  # journal copies stay 0600
    write_output(Path(output), text, private=private)
    ui.success(f"wrote {output}")
