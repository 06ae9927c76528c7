"""The `nexus` command: the command table and the entry point.

This module stays cheap to import: `nexus --version` answers before Typer,
Pydantic or Rich are loaded, and the root app (`nexus_cli.root`) imports a
command's module only when that command runs.
"""

from __future__ import annotations

import contextlib
import os
import sys

from nexus_cli import __version__

# The command table: (name, module, function). Groups are Typer apps.
COMMANDS: list[tuple[str, str, str]] = [
    ("init", "nexus_cli.commands.init", "init"),
    ("log", "nexus_cli.commands.log", "log"),
    ("start", "nexus_cli.commands.timer", "start"),
    ("stop", "nexus_cli.commands.timer", "stop"),
    ("solve", "nexus_cli.commands.solve", "solve"),
    ("edit", "nexus_cli.commands.edit", "edit"),
    ("rm", "nexus_cli.commands.rm", "rm"),
    ("list", "nexus_cli.commands.list_", "list_"),
    ("show", "nexus_cli.commands.show", "show"),
    ("where", "nexus_cli.commands.where", "where"),
    ("review", "nexus_cli.commands.review", "review"),
    ("next", "nexus_cli.commands.next_", "next_"),
    ("pace", "nexus_cli.commands.pace", "pace"),
    ("progress", "nexus_cli.commands.progress", "progress"),
    ("stats", "nexus_cli.commands.stats", "stats"),
    ("export", "nexus_cli.commands.export", "export"),
    ("import", "nexus_cli.commands.import_", "import_"),
    ("validate", "nexus_cli.commands.validate", "validate"),
    ("schema", "nexus_cli.commands.schema", "schema"),
    ("merge-driver", "nexus_cli.commands.merge_driver", "merge_driver"),
    ("report", "nexus_cli.commands.report", "report"),
]
GROUPS: list[tuple[str, str, str]] = [
    ("add", "nexus_cli.commands.add", "app"),
    ("sync", "nexus_cli.commands.sync", "app"),
]


# The short help `nexus --help` lists (the first line of each command's docstring),
# kept here so that listing the commands imports none of them. A command missing
# from HELP still works; --help then imports it (tests/test_startup.py says which).
HELP: dict[str, str] = {
    "init": "Create a new journal (never overwrites one).",
    "add": "Add a topic, challenge, takeaway or resource.",
    "log": "Record a study session.",
    "start": "Start a timer for a study session; `nexus stop` logs it.",
    "stop": "Stop the running timer and log the session.",
    "solve": "Mark a challenge resolved and record what worked.",
    "edit": "Change an entry with flags, or with no flags in $EDITOR (validated before saving).",
    "rm": "Remove an entry. A topic takes its sessions with it.",
    "list": "List topics, challenges, takeaways or sessions.",
    "show": "Show one entry; a topic with its subtopics, sessions, challenges and resources.",
    "progress": "Show the dashboard: topic tree, totals, streaks and a calendar of study days.",
    "stats": "Show the numbers: total time, weeks, streaks, time per topic and category.",
    "review": "List what is due for review today, or record a review of one item.",
    "next": "Suggest three things to do in your next study block, each with its reason.",
    "pace": "Show hours still needed per target, recent pace and projected finish vs the end date.",
    "export": "Export the journal as a portfolio README, a journal file or a CSV table.",
    "import": "Import a portfolio README or merge another journal into this one.",
    "validate": "Check journal files and report every problem with its line; never writes anything.",
    "schema": "Print the JSON Schema (2020-12) of a journal file, for editors and other checkers.",
    "report": "Summarise many journals at once: one row per learner, then what the cohort shares.",
    "sync": "Sync the journal through its git repository: commit, pull (merge), push.",
    "merge-driver": "Merge two versions of a journal entry by entry (git runs this; see `nexus sync setup`).",
    "where": "Print the journal, backup, lock and config paths in use, and what chose the journal.",
}


def __getattr__(name: str) -> object:
    # `from nexus_cli.cli import app` (tests, embedding) builds the Typer app on first use.
    if name == "app":
        from nexus_cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _without_pydantic_plugins() -> None:
    # Every time pydantic builds a validator it imports its plugin loader, which
    # imports importlib.metadata (and email, zipfile, socket...) to scan installed
    # packages for plugins: ~10% of a `nexus log`. nexus uses no pydantic plugin, so
    # the console script hands pydantic a loader that finds none. Tests and code
    # that import nexus_cli as a library are unaffected.
    import types

    if "pydantic.plugin._loader" not in sys.modules:
        loader = types.ModuleType("pydantic.plugin._loader")
        loader.get_plugins = tuple  # type: ignore[attr-defined]  # no plugins: ()
        sys.modules["pydantic.plugin._loader"] = loader


def main() -> None:
    """Run nexus (the `nexus` console script)."""
    import gc

    from nexus_cli import interrupts

    # Loading nexus takes a moment; Ctrl-C meanwhile must not print a traceback of
    # the import machinery. So this comes before every heavy import.
    interrupts.quiet_while_loading()

    # A run lives for a fraction of a second and builds many small objects that
    # refcounting frees; the cycle collector only slows loading a large journal.
    gc.disable()
    if sys.argv[1:] in (["--version"], ["-V"]):
        print(f"nexus {__version__}")
        _leave(0)
    if "_NEXUS_COMPLETE" in os.environ:  # a TAB press: ids come from the cache, without Typer
        from nexus_cli.completion import answer

        code = answer()
        if code is not None:
            _leave(code)
    _without_pydantic_plugins()
    from nexus_cli.root import app

    try:
        app()
    except SystemExit as exc:
        _leave(_exit_code(exc.code))
    _leave(0)


def _exit_code(code: object) -> int:
    """Return the status `sys.exit(code)` would leave with (a message goes to stderr, as Python does)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code % 256
    with contextlib.suppress(OSError, ValueError):
        print(code, file=sys.stderr)
    return 1


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # the reader went away, or it is closed
            stream.flush()


def _leave(code: int) -> None:
    """End the process at once: flush, run the atexit callbacks, then skip interpreter teardown.

    Tearing down frees every object one by one (a large journal is a million of
    them) and runs every module's finalisers: a seventh of a short command. Open
    files are closed by the OS; everything written is flushed first.
    """
    import atexit

    _flush()
    atexit._run_exitfuncs()  # coverage and anything else registered still run
    _flush()
    os._exit(code)
