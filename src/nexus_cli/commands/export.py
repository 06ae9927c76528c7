from __future__ import annotations

import contextlib
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import journal_path, read_journal
from nexus_cli.core import storage
from nexus_cli.core.errors import InputError


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
) -> None:
    """Export the journal as a portfolio README, a journal file or a CSV table.

    \b
    Examples:
      nexus export markdown -o README.md
      nexus export csv --kind sessions > sessions.csv
      nexus export json -o backup.json
    """
    from nexus_cli.core.exporters import export_text

    journal = read_journal()
    text = export_text(journal, fmt.value, kind.value if kind else None)
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    target = Path(output)
    if storage.real_path(target) == storage.real_path(journal_path()):
        raise InputError(
            f"{output} is the journal itself; nexus will not export over it",
            hint="pick another file name",
        )
    if target.is_dir():
        raise InputError(f"{output} is a folder", hint="give a file name, e.g. README.md")
    existed = target.exists()
    storage.atomic_write(target, text.encode("utf-8"), backup=False)
    if not existed and fmt in (ExportFormat.markdown, ExportFormat.csv):
        _umask_mode(target)
    ui.success(f"wrote {output}")


def _umask_mode(path: Path) -> None:
    # A README or a table is made to be shared: give it the mode any new file gets.
    # Journal copies (json, toml) stay private (0600), like the journal itself.
    import os

    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):
        os.chmod(storage.real_path(path), 0o666 & ~umask)
