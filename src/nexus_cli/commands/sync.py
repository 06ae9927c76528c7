from __future__ import annotations

from typing import Annotated

import typer

from nexus_cli import ui
from nexus_cli.commands._common import journal_path

app = typer.Typer(epilog="Run `nexus sync setup` once per clone, then `nexus sync` whenever you like.")


@app.callback(invoke_without_command=True)
def sync(ctx: typer.Context) -> None:
    """Sync the journal through its git repository: commit, pull (merge), push.

    \b
    Examples:
      nexus sync
      nexus sync setup
    """
    if ctx.invoked_subcommand is not None:
        return
    from nexus_cli.core.errors import EXIT_CHECK_FAILED
    from nexus_cli.core.sync import gitsync

    path = journal_path()
    root = gitsync.repo_root(path)
    if not gitsync.is_set_up(root):
        ui.warn("journals in this repository merge line by line; run `nexus sync setup` to merge by entry")
    report = gitsync.sync(path)
    if report.steps:
        ui.say("; ".join(report.steps))
    if report.committed:
        ui.success(f"committed {path.name} ({gitsync.COMMIT_MESSAGE!r})")
    elif not report.conflicted:
        ui.say("no local changes to commit")
    if report.conflicted:
        files = ", ".join(report.conflicted)
        ui.error(
            f"merge conflict in {files}",
            "edit the lines between <<<<<<< and >>>>>>>, then `git add` the file and run `nexus sync` again"
            " (or `git merge --abort` to undo the pull)",
        )
        raise typer.Exit(EXIT_CHECK_FAILED)
    pulled = {"merged": "pulled and merged new work", "up to date": "already up to date with the remote"}
    if report.pulled in pulled:
        ui.success(pulled[report.pulled])
    if report.pushed == "pushed":
        ui.success("pushed")
    elif report.pushed == "no remote":
        ui.say("no remote to pull from or push to; add one with `git remote add origin URL`")
    elif report.pushed == "nothing to push":
        ui.say("nothing to push")


@app.command("setup")
def setup(
    absolute: Annotated[
        bool,
        typer.Option("--absolute", help="Call this nexus by its full path (when git's PATH lacks nexus)."),
    ] = False,
) -> None:
    """Make the journal's git repository merge it entry by entry (safe to run again).

    \b
    Examples:
      nexus sync setup
      nexus -j ~/notes/journal.toml sync setup
    """
    from nexus_cli.core.sync import gitsync

    report = gitsync.setup(journal_path(), gitsync.nexus_program(absolute=absolute))
    if not report.changes:
        ui.say(f"already set up: {report.root} merges {report.pattern} with nexus")
        return
    for change in report.changes:
        ui.success(change)
    if any(change.startswith(".gitattributes") for change in report.changes):
        ui.say("commit .gitattributes (`nexus sync` does) so every clone merges the same way")
