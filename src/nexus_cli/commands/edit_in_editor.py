"""`nexus edit ID` with no flags: the entry in $EDITOR, validated, offered again on error."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
import typer

from nexus_cli import interrupts, ui
from nexus_cli.commands._common import changing_journal, read_journal
from nexus_cli.core import ops, store
from nexus_cli.core.errors import InputError, JournalError, NexusError
from nexus_cli.core.ids import resolve
from nexus_cli.core.models import Entry, kind_of

HEADER = (
    "# Edit this {kind} and save; close without saving to cancel.\n"
    "# The id cannot change. Lines starting with # are ignored.\n\n"
)


def split_command(value: str, *, windows: bool = os.name == "nt") -> list[str]:
    """Split a command line into its words, by the quoting rules of this system.

    On Windows backslashes are path separators, not escapes, and only double
    quotes group words: `"C:\\Program Files\\Notepad++\\notepad++.exe" -multiInst`.
    """
    if not windows:
        return shlex.split(value)
    words = shlex.split(value, posix=False)
    return [w[1:-1] if len(w) >= 2 and w[0] == w[-1] == '"' else w for w in words]


def editor_command() -> list[str]:
    """Return $VISUAL or $EDITOR as an argument list (spaces and arguments allowed)."""
    fallback = "notepad" if os.name == "nt" else "vi"
    value = os.environ.get("VISUAL") or os.environ.get("EDITOR") or fallback
    try:
        command = split_command(value)
    except ValueError as exc:
        raise InputError(f"cannot read $EDITOR {value!r}: {exc}") from None
    if not command:
        raise InputError("$EDITOR is empty", hint="export EDITOR=nano (or your editor)")
    return command


def entry_as_toml(entry: Entry) -> str:
    """Return an entry as TOML for a person to edit."""
    data: dict[str, Any] = store.plain(entry.model_dump())
    return HEADER.format(kind=kind_of(entry)) + tomli_w.dumps(data, multiline_strings=True)


def run_editor(text: str) -> str:
    """Open `text` in the user's editor and return what they saved."""
    with tempfile.TemporaryDirectory(prefix="nexus-edit-") as folder:
        path = Path(folder) / "entry.toml"
        path.write_text(text, encoding="utf-8")
        command = [*editor_command(), str(path)]
        try:
            # Ctrl-C belongs to the editor while it runs (as with git commit)
            with interrupts.left_to_child():
                result = subprocess.run(command, check=False)
        except OSError as exc:
            raise NexusError(
                f"cannot run editor {command[0]!r}: {exc.strerror}", hint="set $EDITOR"
            ) from None
        if result.returncode == -signal.SIGINT:  # Ctrl-C reached the editor too
            raise KeyboardInterrupt
        if result.returncode < 0:
            raise NexusError(f"the editor was killed by signal {-result.returncode}; nothing was changed")
        if result.returncode != 0:
            raise NexusError(f"the editor exited with status {result.returncode}; nothing was changed")
        try:
            return path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise NexusError("the editor removed the file; nothing was changed") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"the edited entry is not valid UTF-8 (byte {exc.start})") from None
        except OSError as exc:
            raise NexusError(f"cannot read the edited entry: {exc.strerror}; nothing was changed") from None


def parse_edited(text: str) -> dict[str, Any]:
    """Return the fields of an entry edited as TOML."""
    try:
        store.check_key_chains(text, "the edited entry")
        return tomllib.loads(text)
    except JournalError as exc:
        raise InputError(exc.message) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"the edited entry is not valid TOML: {exc}") from None


def edit_in_editor(entry_id: str) -> None:
    entry = resolve(read_journal(), entry_id)
    before = entry.model_dump()
    text = entry_as_toml(entry)
    while True:
        edited = run_editor(text)
        if edited == text:
            ui.say("no changes")
            return
        try:
            data = parse_edited(edited)
            with changing_journal() as journal:
                current = resolve(journal, entry.id, [kind_of(entry)])
                if current.model_dump() != before:
                    raise NexusError(
                        f"{entry.id} changed while you were editing; nothing was saved",
                        hint="run the edit again",
                    )
                ops.replace_entry(journal, current, data)
        except InputError as exc:
            if not ui.is_interactive():
                raise
            ui.error(exc.message, exc.hint)
            if not typer.confirm("Edit again?", default=True):
                raise NexusError("nothing was changed", exit_code=1) from None
            text = edited
            continue
        ui.success(f"updated {entry.id}")
        return
