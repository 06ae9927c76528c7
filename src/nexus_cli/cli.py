"""The `nexus` command: the entry point.

This module stays cheap to import: `nexus --version` answers before Typer,
Pydantic or Rich are loaded, and the root app (`nexus_cli.root`) imports a
command's module only when that command runs, from the table in
`nexus_cli.commands.table`.
"""

from __future__ import annotations

import sys

from nexus_cli import __version__


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
        return
    _without_pydantic_plugins()
    from nexus_cli.root import app

    app()
