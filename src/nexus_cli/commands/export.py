from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import journal_path, read_journal, write_output
from nexus_cli.core import store
from nexus_cli.core.convert.exporters import CSV_KINDS, FORMATS
from nexus_cli.core.errors import InputError, NexusError

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
) -> None:
    """Export the journal as a portfolio README, a journal file or a CSV table.

    -o replaces a file only if nexus wrote it (or with --force): a README you
    wrote by hand is never overwritten by accident.

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
