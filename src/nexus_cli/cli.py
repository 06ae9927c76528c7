"""The `nexus` command: the entry point.

This module stays cheap to import: `nexus --version` answers before Typer,
Pydantic or Rich are loaded, and the root app (`nexus_cli.root`) imports a
command's module only when that command runs, from the table in
`nexus_cli.commands.table`.
"""

from __future__ import annotations

import contextlib
import os
import sys

from nexus_cli import __version__

FAST_WORDS = frozenset({"log", "challenge", "takeaway", "progress", "show"})  # a word of each fastlane.SPECS


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
    _closed_streams_to_devnull()
    _streams_that_hold_any_text()
    if sys.argv[1:] in (["--version"], ["-V"]):
        print(f"nexus {__version__}")
        _leave(0)
    if "_NEXUS_COMPLETE" in os.environ:  # a TAB press: ids come from the cache, without Typer
        from nexus_cli.completion import answer

        code = answer()
        if code is not None:
            _leave(code)
    _without_pydantic_plugins()
    if not FAST_WORDS.isdisjoint(sys.argv[1:]):  # typed most: without Typer (or Pydantic, to write)
        from nexus_cli import fastlane

        code = fastlane.run(sys.argv[1:])
        if code is not None:
            _leave(code)
    from nexus_cli.root import app

    try:
        app()
    except SystemExit as exc:
        _leave(_exit_code(exc.code))
    _leave(0)


def _closed_streams_to_devnull() -> None:
    """Give a stream whose descriptor was closed (`nexus log >&-`) the null device instead.

    Python makes such a stream None, and printing to it or flushing it raised a
    traceback; what goes there is dropped, as when it is sent to /dev/null.
    """
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115  # open for the run


def _streams_that_hold_any_text() -> None:
    """Let stdout and stderr write any character, whatever encoding they were opened with.

    A file or pipe under a legacy code page (`nexus progress > view.txt` on
    Windows is cp1252) could not hold a box-drawing line or a topic's name,
    and the command failed half-way with a UnicodeEncodeError. Such a stream
    gets UTF-8, as git writes; a terminal, or an encoding asked for with
    PYTHONIOENCODING, keeps its encoding and shows `?` for what it lacks.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = str(getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding in ("utf-8", "utf8") or reconfigure is None:
            continue
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if stream.isatty() or os.environ.get("PYTHONIOENCODING"):
                reconfigure(errors="replace")
            else:
                reconfigure(encoding="utf-8")


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
