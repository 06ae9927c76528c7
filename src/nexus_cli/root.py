"""The root Typer app: global options, commands loaded on demand, the one exit point.

Commands are listed in `nexus_cli.commands.table` (COMMANDS, GROUPS) and imported only
when they run, so `nexus log` never pays for the modules of `nexus show`, and
`nexus --help` lists every command from the short help kept beside the table.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
import typer.main
from typer.core import TyperGroup

from nexus_cli import __version__, interrupts, state, ui
from nexus_cli.commands import table as command_table
from nexus_cli.core.errors import EXIT_INTERRUPTED, EXIT_USAGE, NexusError
from nexus_cli.core.shape import PROGRAMME_IDS
from nexus_cli.helpformat import HumanCommand, HumanGroup, HumanHelp, check_human, short_help, write_rows


def _table() -> dict[str, tuple[str, str, bool]]:
    """Return name -> (module, attribute, is_group) for every registered command."""
    table = {name: (module, attr, False) for name, module, attr in command_table.COMMANDS}
    table.update({name: (module, attr, True) for name, module, attr in command_table.GROUPS})
    return table


def load_command(name: str) -> Any:
    """Import one command's module and return its click command (None if unknown)."""
    entry = _table().get(name)
    if entry is None:
        return None
    module, attr, is_group = entry
    with interrupts.leaving():  # Ctrl-C while a module loads: exit at once (see interrupts.leaving)
        target = getattr(importlib.import_module(module), attr)
    # Built through Typer's public API only (a one-command app, then its command),
    # so that nexus works with every Typer from the floor in pyproject.toml up.
    holder = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False)
    holder.callback()(_no_op)  # a callback keeps `holder` a group even with one command
    if is_group:
        holder.add_typer(target, name=name, cls=HumanGroup, hidden=name in command_table.HIDDEN)
    else:
        settings = getattr(target, "context_settings", None)  # e.g. log's ignore_unknown_options
        holder.command(
            name=name, cls=HumanCommand, context_settings=settings, hidden=name in command_table.HIDDEN
        )(target)
    return check_human(typer.main.get_command(holder).commands[name])  # type: ignore[attr-defined]


def _no_op() -> None:
    """Hold the commands loaded one at a time (never runs)."""


class _ReaderGone(Exception):
    """stdout's reader went away (`nexus list | head -1`); a plain Exception so typer lets it pass."""


class NexusGroup(HumanHelp, TyperGroup):
    """The root group: loads commands lazily; its `main` turns every error into an exit code."""

    def list_commands(self, ctx: Any) -> list[str]:
        # Listed in HELP's order (capture, views, sharing), then any command HELP lacks.
        names = [name for name, _module, _attr in command_table.COMMANDS + command_table.GROUPS]
        ordered = [name for name in command_table.HELP if name in names]
        ordered += [name for name in names if name not in ordered]
        return ordered + [name for name in self.commands if name not in ordered]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if command is None:
            command = load_command(cmd_name)
            if command is not None:
                self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # The short help comes from command_table.HELP when it is there, so listing every
        # command imports none of them; a command missing from HELP is loaded.
        rows = []
        for name in self.list_commands(ctx):
            if name in command_table.HIDDEN:
                continue
            text = command_table.HELP.get(name) if name not in self.commands else None
            if text is None:
                command = self.get_command(ctx, name)
                if command is None or command.hidden:
                    continue
                text = short_help(command)
            rows.append((name, text))
        if rows:
            with formatter.section("Commands"):
                write_rows(formatter, rows)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        # Typer suggests names among the commands loaded so far, which here is none
        # of them; so an unknown name is answered from the whole table.
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from difflib import get_close_matches

            matches = get_close_matches(name, self.list_commands(ctx))
            if matches and not ctx.resilient_parsing:
                suggestions = ", ".join(f"{m!r}" for m in matches)
                ctx.fail(f"No such command {name!r}. Did you mean {suggestions}?")
        return super().resolve_command(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv or bool(os.environ.get("NEXUS_DEBUG"))
        with interrupts.raising():
            try:
                code = self._run(
                    argv, prog_name, complete_var, debug, windows_expand_args=windows_expand_args, **extra
                )
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
                ui.interrupted()
        except NexusError as exc:
            if debug:
                raise
            code = ui.failed(exc)
        except typer.TyperException as exc:  # usage errors found while parsing
            _show_usage_error(exc)
            code = EXIT_USAGE if exc.exit_code == 2 else exc.exit_code
        except (KeyboardInterrupt, typer.Abort):  # Ctrl-C at a prompt, or stdin closed there
            ui.interrupted()
            code = EXIT_INTERRUPTED
        except typer.Exit as exc:
            code = exc.exit_code
        except (BrokenPipeError, _ReaderGone):
            code = ui.reader_gone()
        except OSError as exc:  # a file or folder said no
            if debug:
                raise
            code = ui.failed(exc)
        except Exception as exc:  # the last line of defence: one line, no traceback
            if _refused_by_model(exc):  # a change a model refused after it was made (validate_assignment)
                from nexus_cli.core.errors import describe_validation

                ui.error(describe_validation(exc, str(exc.title).lower()))  # type: ignore[attr-defined, arg-type]
                code = EXIT_USAGE
            elif debug:
                raise
            elif isinstance(exc, ValueError) and "integer string conversion" in str(exc):
                # int() of a 5,000-digit number someone typed: bad input, not a crash
                ui.error("a number has too many digits", "numbers here are durations, counts and years")
                code = EXIT_USAGE
            else:
                code = ui.failed(exc)
        code = code if isinstance(code, int) else 0
        ui.notices()
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            code = ui.reader_gone()
        return code


def _refused_by_model(exc: Exception) -> bool:
    """Whether `exc` is pydantic's ValidationError (without importing pydantic for `--help`)."""
    core = sys.modules.get("pydantic_core")
    return core is not None and isinstance(exc, core.ValidationError)


def _show_usage_error(exc: Any) -> None:
    """Report a usage error like every other error: one line, then where to look."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # typer carries its own copy of click
        exc.show()  # `nexus` or `nexus add` alone: the help is the answer
        return
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None) if ctx is not None else None
    hint = f"see `{path} -h`" if path else None
    unknown = unknown_choice(exc)
    if unknown is not None:
        ui.error(*unknown)
        return
    # click echoes what was typed (`No such option: --\x1b[2J`); ui.error neutralises it
    ui.error(exc.format_message(), hint)


def unknown_choice(exc: Any) -> tuple[str, str] | None:
    """Say `unknown kind 'sessoins'; did you mean sessions?` for a value outside an option's choices."""
    import re
    from difflib import get_close_matches

    from nexus_cli.helpformat import argument_label, choices_of

    param = getattr(exc, "param", None)
    found = re.search(r"^Value error, '(.*)' is not one of ", str(getattr(exc, "message", "")), re.DOTALL)
    choices = choices_of(param) if param is not None else []
    if not choices or found is None:
        return None
    value = found.group(1)
    assert param is not None  # choices came from it
    what = argument_label(param).lower() if param.param_type_name == "argument" else max(param.opts, key=len)
    ctx = getattr(exc, "ctx", None)
    if what == "--status" and str(getattr(ctx, "params", {}).get("entry_id", "")).lower() in PROGRAMME_IDS:
        return "the programme has no status", "a programme has --name, --description, --starts and --ends"
    close = get_close_matches(value.lower(), choices, n=1, cutoff=0.6)
    message = f"unknown {what} {value!r}" + (f"; did you mean {close[0]}?" if close else "")
    return message, f"{what} is one of: {', '.join(choices)}"


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
