"""Help that reads like a person wrote it, at any width down to 40 columns.

Typer's plain help says `{TOPIC}`, `TOPIC <str>`, `<list[str]>` and `[x>=1]`, and
click never lays help out narrower than 50 columns. The classes here draw the same
help the way git and gh do: `Usage: nexus log [OPTIONS] TOPIC DURATION`, options
with a word for their value (`--date DATE`), the choices where there are few
(`--format table|json`), and on a narrow terminal each description under its name.
"""

from __future__ import annotations

import inspect
import re
import shutil
import sys
from enum import Enum
from typing import Any

try:  # Typer vendors Click from 0.28 on and re-exports no help formatter of its own
    from typer import _click as click
except ImportError:  # pragma: no cover - a Typer that depends on Click instead
    import click  # type: ignore[no-redef, import-not-found, unused-ignore]
from typer.core import TyperCommand, TyperGroup

MAX_WIDTH = 100
NARROW = 60  # below this, a description goes under its option instead of beside it
_CHOICES_AT_MOST = 20  # longer choice lists get a word (FORMAT) and list the values in the help


def terminal_width() -> int:
    """Return $COLUMNS, else the width of a terminal on stdout, stderr or stdin (`nexus -h | less`)."""
    import os

    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        try:
            if stream is not None and stream.isatty():
                return os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            continue
    return shutil.get_terminal_size().columns


def help_width() -> int:
    """Return the columns help may use: the terminal's (or $COLUMNS), at most 100."""
    return max(min(terminal_width(), MAX_WIDTH) - 1, 20)


def choices_of(param: Any) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    choices = (
        getattr(descriptor, "choices", None) or getattr(getattr(param, "type", None), "choices", None) or []
    )
    return [c.value if isinstance(c, Enum) else str(c) for c in choices]


def value_name(param: Any) -> str:
    """Return the word that stands for an option's value: its metavar, its choices, or its name."""
    if param.metavar:
        return str(param.metavar)
    choices = "|".join(choices_of(param))
    if choices and len(choices) <= _CHOICES_AT_MOST:
        return choices
    return str(param.name or "value").upper()


def argument_label(param: Any) -> str:
    """Return an argument's bare name: its metavar, else its name in capitals."""
    return str(param.metavar or (param.name or "arg").upper()).removesuffix("...")


def argument_name(param: Any) -> str:
    """Return an argument's name as help and usage show it: TOPIC, [ID], PATH..."""
    name = argument_label(param) + ("..." if param.nargs != 1 else "")
    return name if param.required else f"[{name}]"


def _default_text(param: Any) -> str | None:
    if isinstance(param.show_default, str):
        return param.show_default
    if param.show_default is False or param.is_flag or param.multiple or param.required:
        return None
    default = param.default
    if callable(default) or default is None or default == "" or isinstance(default, bool):
        return None
    return default.value if isinstance(default, Enum) else str(default)


def option_record(param: Any) -> tuple[str, str]:
    """Return (names and value, description) for one option."""
    names = click.formatting.join_options(param.opts)[0]
    if param.secondary_opts:
        names += " / " + click.formatting.join_options(param.secondary_opts)[0]
    if not param.is_flag and not param.count:
        names += f" {value_name(param)}"
    text = param.help or ""
    choices = choices_of(param)
    if choices and "|" not in value_name(param) and not all(c in text for c in choices):
        text = f"{text} One of: {', '.join(choices)}." if text else f"One of: {', '.join(choices)}."
    default = _default_text(param)
    if default is not None:
        text = f"{text} [default: {default}]" if text else f"[default: {default}]"
    return names, text


def write_rows(formatter: click.HelpFormatter, rows: list[tuple[str, str]]) -> None:
    """Write a definition list: text beside its name when there is room, else under it."""
    if not rows:
        return
    indent = " " * formatter.current_indent
    column = min(max(len(first) for first, _ in rows), 30 if formatter.width >= NARROW else 12)
    text_width = formatter.width - formatter.current_indent - column - 2
    if text_width < 20:  # too narrow for two columns: each text under its name
        column, text_width = 2, formatter.width - formatter.current_indent - 4
    pad = indent + " " * (column + 2)
    for first, second in rows:
        lines = click.formatting.wrap_text(second, text_width).splitlines() if second else []
        if len(first) <= column and lines:
            formatter.write(f"{indent}{first:<{column}}  {lines[0]}\n")
            lines = lines[1:]
        else:
            formatter.write(f"{indent}{first}\n")
        for line in lines:
            formatter.write(f"{pad}{line}\n")


def _fit_line(line: str, width: int) -> list[str]:
    """Break an example line that is too wide at spaces, the way a shell reads it (`\\`)."""
    if len(line) <= width:
        return [line]
    lead = line[: len(line) - len(line.lstrip())]
    words = re.findall(r"""(?:[^\s"']+|"[^"]*"|'[^']*')+""", line)  # a quoted phrase is one word
    lines: list[str] = []
    current = lead + words[0]
    for word in words[1:]:
        if len(current) + 1 + len(word) + 2 > width:
            lines.append(current + " \\")
            current = lead + "  " + word
        else:
            current += " " + word
    lines.append(current)
    return lines


def write_text(formatter: click.HelpFormatter, text: str) -> None:
    """Write help text: prose is rewrapped; a `\\b` block keeps its lines, broken only if too wide."""
    indent = " " * formatter.current_indent
    width = formatter.width
    paragraphs = text.split("\n\n")
    for number, paragraph in enumerate(paragraphs):
        if number:
            formatter.write("\n")
        lines = paragraph.splitlines()
        if lines and lines[0].strip() == "\b":
            for line in lines[1:]:
                for piece in _fit_line(indent + line, width):
                    formatter.write(piece.rstrip() + "\n")
        else:
            formatter.write(
                click.formatting.wrap_text(
                    " ".join(line.strip() for line in lines),
                    width,
                    initial_indent=indent,
                    subsequent_indent=indent,
                )
                + "\n"
            )


def short_help(command: click.Command) -> str:
    """Return a command's first paragraph, whole (never cut with `...`)."""
    if command.short_help:
        return inspect.cleandoc(command.short_help)
    text = inspect.cleandoc(command.help or "").partition("\f")[0]
    return " ".join(text.split("\n\n")[0].split())


class HumanHelp:
    """Mixin: the usage line, text and options drawn as described in the module docstring."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.width = help_width()
        self.format_usage(ctx, formatter)  # type: ignore[attr-defined]
        self.format_help_text(ctx, formatter)
        self.format_options(ctx, formatter)
        self.format_epilog(ctx, formatter)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []  # type: ignore[attr-defined]
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if param.param_type_name == "argument" and not param.hidden:
                pieces.append(argument_name(param))
        if isinstance(self, TyperGroup):
            pieces.append("COMMAND [ARGS...]")
        return pieces

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = inspect.cleandoc(self.help or "").partition("\f")[0]  # type: ignore[attr-defined]
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                write_text(formatter, text)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.epilog:  # type: ignore[attr-defined]
            formatter.write_paragraph()
            with formatter.indentation():
                write_text(formatter, inspect.cleandoc(self.epilog))  # type: ignore[attr-defined]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if param.hidden:
                continue
            if param.param_type_name == "argument":
                arguments.append((argument_label(param), getattr(param, "help", None) or ""))
            else:
                options.append(option_record(param))
        if arguments:
            with formatter.section("Arguments"):
                write_rows(formatter, arguments)
        if options:
            with formatter.section("Options"):
                write_rows(formatter, options)
        if isinstance(self, TyperGroup):
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):  # type: ignore[attr-defined]
            command = self.get_command(ctx, name)  # type: ignore[attr-defined]
            if command is not None and not command.hidden:
                rows.append((name, short_help(command)))
        if rows:
            with formatter.section("Commands"):
                write_rows(formatter, rows)


class HumanCommand(HumanHelp, TyperCommand):
    """A command whose help is drawn by HumanHelp."""


class HumanGroup(HumanHelp, TyperGroup):
    """A group (`nexus add`, `nexus sync`) whose help is drawn by HumanHelp."""


def check_human(command: click.Command) -> click.Command:
    """Return a built command after checking that it, and every command under it, has human help."""
    assert isinstance(command, HumanHelp), f"{command.name} needs cls=HumanCommand"
    for sub in getattr(command, "commands", {}).values():
        check_human(sub)
    return command
