from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from nexus_cli import state

if TYPE_CHECKING:
    from nexus_cli.core.check import FileResult, Summary


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class StdinFormat(StrEnum):
    toml = "toml"
    json = "json"


def validate(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="Journal files or folders (searched for *.toml and *.json); - reads stdin. "
            "Default: the current journal.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="text, json, or github (Actions annotations).")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    stdin_format: Annotated[
        StdinFormat | None,
        typer.Option("--stdin-format", help="Format of - (default: JSON if it starts with {, else TOML)."),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", min=0, metavar="N", help="Processes for many files (0: one per core).")
    ] = 0,
) -> None:
    """Check journal files and report every problem with its line; never writes anything.

    Exit status: 0 valid, 1 problems found (warnings too with --strict), 2 a path
    could not be read.

    \b
    Examples:
      nexus validate journals/
      nexus validate --format github journals/ cohort/ana.json
      nexus export json | nexus validate -
    """
    from nexus_cli.core import check as checker

    targets = list(paths) if paths else [str(state.current().journal_path)]
    results = checker.run(
        targets,
        jobs=jobs or None,
        stdin=sys.stdin.buffer,
        stdin_format=stdin_format.value if stdin_format else None,
    )
    summary = checker.summarize(results)
    _show(results, summary, fmt, strict)
    raise typer.Exit(summary.exit_code(strict=strict))


def _show(results: list[FileResult], summary: Summary, fmt: ValidateFormat, strict: bool) -> None:
    from nexus_cli import ui
    from nexus_cli.render import validate as render

    if fmt is ValidateFormat.json:
        sys.stdout.write(render.render_json(results))
    elif fmt is ValidateFormat.github:
        sys.stdout.write(render.render_github(results))
        ui.say(summary.line())
    else:
        from nexus_cli.output import make_console

        make_console().print(render.render_text(results, summary, strict=strict), soft_wrap=True)
