from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import changing_journal, read_journal
from nexus_cli.core import store
from nexus_cli.core.errors import EXIT_CHECK_FAILED, InputError, NexusError, NotFoundError

README_SUFFIXES = (".md", ".markdown", ".mdown")
JOURNAL_SUFFIXES = (".json", ".toml")


def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A README (.md) or a journal (.toml/.json).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    skip_clashes: Annotated[
        bool,
        typer.Option("--skip-clashes", help="Journal files: add the rest and keep your version of clashes."),
    ] = False,
) -> None:
    """Import a portfolio README or merge another journal into this one.

    A README adds its programme, topics, challenges and takeaways; entries that
    exist only get their empty fields filled. --dry-run shows the README line
    each entry comes from and the sections that were skipped, and why. A journal
    file is merged by id: empty fields here are filled from it, an entry with the
    same id but other content is a clash, and clashes stop
    the import (exit 1, nothing written) unless --skip-clashes is given.

    \b
    Examples:
      nexus import README.md --dry-run
      nexus import README.md
      nexus import laptop-journal.toml
    """
    from nexus_cli.core.convert.markdown_import import (
        EXPECTED_HEADINGS,
        MAX_README_BYTES,
        apply_readme,
        decode_readme,
        explain_nothing,
        parse_readme,
    )
    from nexus_cli.core.convert.merge_import import clashes, merge_journal
    from nexus_cli.output import print_data
    from nexus_cli.render.imports import print_changes, render_skipped, summary

    suffix = file.suffix.lower()
    if suffix not in README_SUFFIXES + JOURNAL_SUFFIXES:
        raise InputError(
            f"cannot tell what {file.name} is from its name",
            hint="import a README ending in .md, or a journal ending in .toml or .json",
        )
    readme = None
    if suffix in README_SUFFIXES:
        readme = parse_readme(decode_readme(store.read_input(file, MAX_README_BYTES), file.name))
        for note in readme.notes:
            ui.warn(f"{file.name}: {note}")
        if readme.is_empty():
            raise NotFoundError(
                f"found no technologies, challenges or takeaways in {file.name}; {explain_nothing(readme)}",
                hint=EXPECTED_HEADINGS,
            )
        plan = partial(apply_readme, readme=readme)
    else:
        text = store.decode(store.read_input(file), str(file))
        other = store.loads(text, store.format_for(file), str(file))
        plan = partial(merge_journal, other=other, skip_clashes=skip_clashes)

    if dry_run:
        changes = plan(read_journal())
        if changes:
            print_changes(changes)
        if readme is not None and readme.skipped():
            print_data(render_skipped(readme.skipped()))
        ui.say(f"dry run: {summary(changes)}; nothing was written")
        if clashes(changes):
            raise typer.Exit(EXIT_CHECK_FAILED)
        return
    with changing_journal() as journal:
        changes = plan(journal)
        clashing = clashes(changes)
        if clashing:
            print_changes(clashing)
            raise NexusError(
                f"{len(clashing)} entr{'y' if len(clashing) == 1 else 'ies'} of {file.name} clash with "
                "this journal; nothing was imported",
                hint="compare them with `nexus show ID`, or pass --skip-clashes to import the rest",
                exit_code=EXIT_CHECK_FAILED,
            )
    if changes:
        print_changes(changes)
    ui.success(f"imported {file.name}: {summary(changes)}")
