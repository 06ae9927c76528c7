from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from nexus_cli import state
from nexus_cli.commands._common import TableOrJson, json_alias
from nexus_cli.core import store
from nexus_cli.core.paths import config_path


def where(
    fmt: Annotated[
        TableOrJson, typer.Option("--format", "-f", help="How to print them.")
    ] = TableOrJson.table,
    as_json: Annotated[bool, json_alias()] = False,
) -> None:
    """Print the journal, backup, undo history, lock and config paths, and what chose the journal.

    \b
    Examples:
      nexus where
      NEXUS_JOURNAL=~/study.toml nexus where --format json
    """
    location = state.current().location()
    paths = {
        "journal": str(location.path),
        "journal_source": location.source,
        "journal_exists": location.path.exists(),
        "backup": str(store.backup_path(location.path)),
        "lock": str(store.lock_path(location.path)),
        "history": str(store.history_path(location.path)),
        "config": str(config_path()),
    }
    if as_json or fmt is TableOrJson.json:
        sys.stdout.write(json.dumps(paths, indent=2) + "\n")
        return
    exists = "" if paths["journal_exists"] else "  (not created yet: nexus init)"
    lines = [
        f"journal  {paths['journal']}{exists}",
        f"         chosen by {paths['journal_source']}",
        f"backup   {paths['backup']}",
        f"history  {paths['history']}  (nexus undo)",
        f"lock     {paths['lock']}",
        f"config   {paths['config']}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
