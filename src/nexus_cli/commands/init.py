from __future__ import annotations

from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import journal_path
from nexus_cli.core import ops, storage
from nexus_cli.core.errors import InputError
from nexus_cli.core.models import Journal


def init(
    program: Annotated[str | None, typer.Option("--program", "-p", help="Name of your programme.")] = None,
    description: Annotated[str, typer.Option("--description", help="One paragraph about it.")] = "",
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="toml or json (default: from the file name, else toml)."),
    ] = None,
) -> None:
    """Create a new journal (never overwrites one).

    \b
    Example:
      nexus init --program "ProDev Backend"
    """
    path = journal_path()
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in ("toml", "json"):
            raise InputError(f"unknown format {fmt!r}", hint="use toml or json")
        if path.suffix.lower() not in (".toml", ".json"):
            path = path.with_suffix("." + fmt)
        elif path.suffix.lower() != "." + fmt:
            raise InputError(f"{path} is not a .{fmt} file", hint=f"name the journal *.{fmt}")
    journal = Journal()
    if program:
        ops.set_program(journal, name=program, description=description)
    storage.create(path, journal)
    ui.success(f"created {path}")
    ui.say("next: nexus add topic Python   ·   nexus log python 1h")
