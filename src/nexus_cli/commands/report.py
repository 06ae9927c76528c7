from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from nexus_cli import ui


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def report(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH", help="Journal files, or folders searched for them.")
    ],
    sort: Annotated[
        str,
        typer.Option(
            "--sort", metavar="FIELD", help="name, hours, recent, week, month, open or resolved; -x reverses."
        ),
    ] = "name",
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="How to print it.")
    ] = ReportFormat.table,
    limit: Annotated[
        int,
        typer.Option(
            "--top", min=1, metavar="N", help="How many common challenges and quiet topics to show."
        ),
    ] = 5,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", min=1, metavar="N", help="Worker processes (default: one per core)."),
    ] = None,
) -> None:
    """Summarise many journals at once: one row per learner, then what the cohort shares.

    Invalid journals are listed with their problem, and make the exit status 1.

    \b
    Examples:
      nexus report cohort/
      nexus report cohort/*.toml --sort hours --format markdown > REPORT.md
    """
    from nexus_cli.core import clock
    from nexus_cli.core import report as core
    from nexus_cli.core.errors import EXIT_CHECK_FAILED, InputError

    today = clock.today()
    files = core.find_journals(paths)
    if not files:
        raise InputError(
            "no journals found (*.toml or *.json)", hint="name journal files or folders that hold them"
        )
    core.sort_rows([], sort)  # reject an unknown sort before the slow part
    rows = core.summarize_files(files, today, workers=jobs)
    result = core.build(core.sort_rows(rows, sort), today, limit=limit)
    if fmt is ReportFormat.json:
        sys.stdout.write(core.to_json(result))
    elif fmt is ReportFormat.csv:
        sys.stdout.write(core.to_csv(result))
    elif fmt is ReportFormat.markdown:
        sys.stdout.write(core.to_markdown(result))
    else:
        from nexus_cli.output import print_data
        from nexus_cli.render.report import render_report

        print_data(render_report(result))
    if result.invalid:
        ui.warn(
            f"{len(result.invalid)} of {len(rows)} journals are invalid; `nexus validate` shows every problem"
        )
        raise typer.Exit(EXIT_CHECK_FAILED)
