"""The `nexus` command: global options, the command table, and the one exit point."""

from __future__ import annotations

from nexus_cli import interrupts

# Loading nexus takes a third of a second; Ctrl-C then must not print a traceback
# of the import machinery. So this comes before every other import.
interrupts.quiet_while_loading()

import importlib  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from typing import Annotated, Any  # noqa: E402

import typer  # noqa: E402
from pydantic import ValidationError  # noqa: E402
from typer.core import TyperGroup  # noqa: E402

from nexus_cli import __version__, state, ui  # noqa: E402
from nexus_cli.core.errors import EXIT_INTERRUPTED, EXIT_USAGE, NexusError  # noqa: E402


class _ReaderGone(Exception):
    """stdout's reader went away (`nexus list | head -1`); a plain Exception so typer lets it pass."""


class NexusGroup(TyperGroup):
    """The root group; its `main` turns every error into one line and an exit code."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv or bool(os.environ.get("NEXUS_DEBUG"))
        with interrupts.raising():
            try:
                code = self._run(argv, prog_name, complete_var, debug, **extra)
            except KeyboardInterrupt:  # a second Ctrl-C while the first error is reported
                code = EXIT_INTERRUPTED
        sys.exit(code)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _ReaderGone from None  # typer would make it `exit 1`

    def _run(
        self, argv: list[str], prog_name: str | None, complete_var: str | None, debug: bool, **extra: Any
    ) -> int:
        """Run the command and return its exit code; every error becomes one line."""
        try:
            code = super().main(argv, prog_name or "nexus", complete_var, standalone_mode=False, **extra)
            if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C into a silent `Exit(130)`
                _interrupted()
        except NexusError as exc:
            if debug:
                raise
            ui.error(exc.message, exc.hint)
            code = exc.exit_code
        except typer.TyperException as exc:  # usage errors found while parsing
            _show_usage_error(exc)
            code = EXIT_USAGE if exc.exit_code == 2 else exc.exit_code
        except (KeyboardInterrupt, typer.Abort):  # Ctrl-C at a prompt, or stdin closed there
            _interrupted()
            code = EXIT_INTERRUPTED
        except typer.Exit as exc:
            code = exc.exit_code
        except ValidationError as exc:  # a change a model refused after it was made (validate_assignment)
            from nexus_cli.core.codec import describe_validation

            ui.error(describe_validation(exc, str(exc.title).lower()))
            code = EXIT_USAGE
        except (BrokenPipeError, _ReaderGone):
            code = _quiet_broken_pipe()
        except Exception as exc:  # the last line of defence: one line, no traceback
            if debug:
                raise
            if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
                # int() of a 5,000-digit number someone typed: bad input, not a crash
                ui.error("a number has too many digits", "numbers here are durations, counts and years")
                code = EXIT_USAGE
            else:
                ui.error(f"unexpected {type(exc).__name__}: {exc}", "re-run with --debug for the traceback")
                code = 70
        code = code if isinstance(code, int) else 0
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            code = _quiet_broken_pipe()
        return code


def _interrupted() -> None:
    if sys.stderr.isatty():  # the terminal echoed ^C without a newline
        print(file=sys.stderr)
    ui.error("interrupted")


def _show_usage_error(exc: Any) -> None:
    """Report a usage error like every other error: one line, then where to look."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # typer carries its own copy of click
        exc.show()  # `nexus` or `nexus add` alone: the help is the answer
        return
    ctx = getattr(exc, "ctx", None)
    hint = f"see `{ctx.command_path} -h`" if ctx is not None and getattr(ctx, "command_path", "") else None
    # click echoes what was typed (`No such option: --\x1b[2J`); ui.error neutralises it
    ui.error(exc.format_message(), hint)


def _quiet_broken_pipe() -> int:
    # The reader went away (`nexus list | head -1`): stop quietly, like cat does.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


app = typer.Typer(
    cls=NexusGroup,
    name="nexus",
    help="A study journal for the terminal: record what you learn, see your progress.",
    epilog="Example: nexus log django 1h30m --note 'serializers'",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _version(value: bool) -> None:
    if value:
        print(f"nexus {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    journal: Annotated[
        str | None,
        typer.Option(
            "--journal",
            "-j",
            help="Journal file to use (else $NEXUS_JOURNAL, config, default).",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never use colour.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """A study journal for the terminal: record what you learn, see your progress."""
    state.reset(journal_option=journal, no_color=no_color, debug=debug)


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
    ("progress", "nexus_cli.commands.progress", "progress"),
    ("stats", "nexus_cli.commands.stats", "stats"),
    ("where", "nexus_cli.commands.where", "where"),
    ("merge-driver", "nexus_cli.commands.merge_driver", "merge_driver"),
    ("report", "nexus_cli.commands.report", "report"),
    ("validate", "nexus_cli.commands.validate", "validate"),
    ("schema", "nexus_cli.commands.schema", "schema"),
    ("export", "nexus_cli.commands.export", "export"),
    ("import", "nexus_cli.commands.import_", "import_"),
    ("review", "nexus_cli.commands.review", "review"),
    ("next", "nexus_cli.commands.next_", "next_"),
    ("pace", "nexus_cli.commands.pace", "pace"),
]
GROUPS: list[tuple[str, str, str]] = [
    ("add", "nexus_cli.commands.add", "app"),
    ("sync", "nexus_cli.commands.sync", "app"),
]


def _register() -> None:
    for name, module, attr in COMMANDS:
        function = getattr(importlib.import_module(module), attr)
        app.command(name, context_settings=getattr(function, "context_settings", None))(function)
    for name, module, attr in GROUPS:
        app.add_typer(getattr(importlib.import_module(module), attr), name=name)


_register()


def main() -> None:
    """Run nexus (the `nexus` console script)."""
    app()
