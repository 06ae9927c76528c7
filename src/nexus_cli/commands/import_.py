from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import changing_journal, read_journal
from nexus_cli.core import store
from nexus_cli.core.errors import EXIT_CHECK_FAILED, InputError, NexusError

README_SUFFIXES = (".md", ".markdown", ".mdown")
JOURNAL_SUFFIXES = (".json", ".toml")


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no file at {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    return store.decode(raw, str(path))


def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A README (.md) or a journal (.toml/.json).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show what would change; write nothing.")
    ] = False,
    skip_clashes: Annotated[
        bool,
        typer.Option("--skip-clashes", help="Journal files: add the rest and keep your version of clashes."),
    ] = False,
) -> None:
    """Import a portfolio README or merge another journal into this one.

    A README adds its programme, topics, challenges and takeaways; entries that
    exist only get their empty fields filled. A journal file is merged by id:
    an entry with the same id but other content is a clash, and clashes stop
    the import (exit 1, nothing written) unless --skip-clashes is given.

    \b
    Examples:
      nexus import README.md --dry-run
      nexus import README.md
      nexus import laptop-journal.toml
    """
    from nexus_cli.core.convert.markdown_import import apply_readme, parse_readme
    from nexus_cli.core.convert.merge_import import clashes, merge_journal
    from nexus_cli.render.imports import print_changes, summary

    suffix = file.suffix.lower()
    if suffix not in README_SUFFIXES + JOURNAL_SUFFIXES:
        raise InputError(
            f"cannot tell what {file.name} is from its name",
            hint="import a README ending in .md, or a journal ending in .toml or .json",
        )
    text = _read(file)
    if suffix in README_SUFFIXES:
        readme = parse_readme(text)
        if readme.is_empty():
            ui.warn(f"{file.name} has no programme, topics, challenges or takeaways nexus can read")
        plan = partial(apply_readme, readme=readme)
    else:
        other = store.loads(text, store.format_for(file), str(file))
        plan = partial(merge_journal, other=other, skip_clashes=skip_clashes)

    if dry_run:
        changes = plan(read_journal())
        if changes:
            print_changes(changes)
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
