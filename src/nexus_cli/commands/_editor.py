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


ERROR_MARK = "# ! "


class _ChangedMeanwhile(NexusError):
    """The entry was changed by another command while it was open in the editor."""


def kept_path(entry_id: str) -> Path:
    """Return where an edit that could not be saved is kept, for this journal and entry."""
    import hashlib

    from platformdirs import user_state_path

    from nexus_cli.commands._common import journal_path

    journal = hashlib.sha256(str(store.real_path(journal_path())).encode()).hexdigest()[:10]
    return user_state_path("nexus") / "edits" / f"{journal}-{entry_id}.toml"


def with_error(text: str, message: str, hint: str | None) -> str:
    """Return the edited text with the error that stopped it as comments at the top."""
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith(ERROR_MARK))
    lines = [f"{ERROR_MARK}Not saved: {ui.one_line_message(message)}"]
    if hint:
        lines.append(f"{ERROR_MARK}{ui.one_line_message(hint)}")
    lines.append(f"{ERROR_MARK}Fix it and save again (lines starting with # are ignored).")
    return "\n".join(lines) + "\n" + body


def keep(entry_id: str, text: str) -> Path:
    """Keep an edit that was not saved in a private file; return its path."""
    path = kept_path(entry_id)
    try:
        store.ensure_folder(path.parent)
        store.atomic_write(path, text.encode("utf-8"), backup=False)
    except (OSError, NexusError):
        # the state folder is unusable: a private temporary file still keeps the text
        fd, name = tempfile.mkstemp(prefix=f"nexus-edit-{entry_id}-", suffix=".toml")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        path = Path(name)
    return path


def _forget(entry_id: str) -> None:
    import contextlib

    with contextlib.suppress(OSError):
        kept_path(entry_id).unlink()


def _starting_text(entry: Entry) -> tuple[str, Path | None]:
    """Return the text to open: a kept edit of this entry when there is one (and wanted)."""
    fresh = entry_as_toml(entry)
    path = kept_path(entry.id)
    try:
        kept = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return fresh, None
    if ui.is_interactive() and not typer.confirm(
        f"Resume your unsaved edit of {entry.id} (kept in {path})?", default=True
    ):
        _forget(entry.id)
        return fresh, None
    ui.say(f"resuming your unsaved edit of {entry.id} from {path}")
    return kept, path


def edit_in_editor(entry_id: str) -> None:
    entry = resolve(read_journal(), entry_id)
    before = entry.model_dump()
    text, resumed = _starting_text(entry)
    pending = resumed is not None  # the text holds changes not yet saved
    while True:
        edited = run_editor(text)
        if edited == text and not pending:
            ui.say("no changes")
            return
        try:
            if edited == text:
                raise InputError(
                    "the edit was closed without changes", hint="fix the problem noted at the top"
                )
            data = parse_edited(edited)
            with changing_journal() as journal:
                current = resolve(journal, entry.id, [kind_of(entry)])
                if current.model_dump() != before:
                    before = current.model_dump()  # saving again replaces the other change, knowingly
                    raise _ChangedMeanwhile(
                        f"{entry.id} changed while you were editing; nothing was saved",
                        hint=f"saving again replaces that change (see it: `nexus show {entry.id}`)",
                    )
                ops.replace_entry(journal, current, data)
        except NexusError as exc:  # a bad value, an unknown id, a busy or damaged journal...
            # Whatever stopped the save, the typed text is never thrown away.
            text, pending = with_error(edited, exc.message, exc.hint), True
            if ui.is_interactive():
                ui.error(exc.message, exc.hint)
                if typer.confirm("Edit again?", default=True):
                    continue
                path = keep(entry.id, text)
                # answering no is a choice, not a failure
                ui.say(f"nothing changed; your edit is kept in {path}")
                ui.say(f"`nexus edit {entry.id}` opens it again")
                return
            path = keep(entry.id, text)
            raise NexusError(
                exc.message,
                hint=f"your edit is kept in {path}; `nexus edit {entry.id}` opens it again",
                exit_code=exc.exit_code,
            ) from None
        _forget(entry.id)
        ui.success(f"updated {entry.id}")
        return
