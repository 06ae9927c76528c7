from __future__ import annotations

from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import JournalFormat, journal_path
from nexus_cli.core import clock, ops, store
from nexus_cli.core.errors import InputError
from nexus_cli.core.models import Journal
from nexus_cli.core.parse import parse_date


def _list_templates() -> None:
    from rich.table import Table

    from nexus_cli.core.convert.templates import available
    from nexus_cli.output import print_data
    from nexus_cli.render.common import safe

    table = Table(box=None, pad_edge=False, show_header=False)
    table.add_column("name", style="bold")
    table.add_column("summary")
    for template in available():
        table.add_row(safe(template.name), safe(template.summary))
    print_data(table)


def _complete_template(incomplete: str) -> list[tuple[str, str]]:
    from nexus_cli.core.convert.templates import available

    return [(t.name, t.summary) for t in available() if t.name.startswith(incomplete)]


def init(
    program: Annotated[
        str | None, typer.Option("--program", "-p", metavar="NAME", help="Name of your programme.")
    ] = None,
    description: Annotated[
        str, typer.Option("--description", metavar="TEXT", help="One paragraph about it.")
    ] = "",
    fmt: Annotated[
        JournalFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="The file's format (default: from its name, else toml).",
        ),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            metavar="NAME",
            help="Start from a template's programme and topics (`list` or --list-templates shows them).",
            autocompletion=_complete_template,
        ),
    ] = None,
    list_templates: Annotated[
        bool, typer.Option("--list-templates", help="List the available templates and exit.")
    ] = False,
    ends: Annotated[
        str | None, typer.Option("--ends", metavar="DATE", help="Programme end date, e.g. 2027-03-01.")
    ] = None,
) -> None:
    """Create a new journal (never overwrites one).

    \b
    Examples:
      nexus init --program "ProDev Backend"
      nexus init --template prodev-backend --ends 2027-03-01
      nexus init --list-templates
    """
    if list_templates or (template is not None and template.strip().lower() in ("list", "?", "")):
        _list_templates()
        return
    path = journal_path()
    if fmt is not None:
        suffix = "." + fmt.value
        if path.suffix.lower() not in (".toml", ".json"):
            path = path.with_suffix(suffix)
        elif path.suffix.lower() != suffix:
            raise InputError(f"{path} is not a {suffix} file", hint=f"name the journal *{suffix}")
    if template is not None:
        from nexus_cli.core.convert.templates import build

        journal = build(template, program=program, description=description or None)
    else:
        journal = Journal()
        if program:
            ops.set_program(journal, name=program, description=description)
    if ends:
        if journal.program is None:
            raise InputError(
                "--ends needs a programme", hint='nexus init --program "ProDev Backend" --ends 2027-03-01'
            )
        ops.set_program(journal, end=parse_date(ends, today=clock.today(), allow_future=True))
    store.create(path, journal)
    ui.success(f"created {path}")
    if template is not None:
        ui.say(f"{len(journal.topics)} topics from {template}: see them with `nexus list topics`")
        ui.say("next: nexus log python 1h")
    else:
        ui.say("next: nexus add topic Python   ·   nexus log python 1h")
