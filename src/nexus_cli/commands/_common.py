"""What commands share: the journal in use, id completion, prompting rules."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import typer

from nexus_cli import state, ui
from nexus_cli.core import store
from nexus_cli.core.errors import InputError
from nexus_cli.core.models import Journal, Kind

T = TypeVar("T")


class TableOrJson(StrEnum):
    """`--format` of the views that have a table for people and JSON for scripts."""

    table = "table"
    json = "json"


class JournalFormat(StrEnum):
    """The two formats a journal file comes in."""

    toml = "toml"
    json = "json"


class AnyStatus(StrEnum):
    """`--status` where topics and challenges both may be meant: every status there is."""

    planned = "planned"
    learning = "learning"
    practicing = "practicing"
    confident = "confident"
    open = "open"
    resolved = "resolved"


def json_alias(help_text: str = "Same as --format json.") -> typer.models.OptionInfo:
    """Return the hidden `--json` option kept for scripts written before `--format json`."""
    return typer.Option("--json", hidden=True, help=help_text)


def journal_path() -> Path:
    """Return the journal path chosen by --journal, $NEXUS_JOURNAL, config or default."""
    return state.current().journal_path


def read_journal() -> Journal:
    """Load the journal for reading."""
    return store.load_journal(journal_path())


def read_recent(sessions_since: dt.date) -> tuple[Journal, bool]:
    """Load the journal for reading sessions from a date on; older ones may be left out (and says so)."""
    return store.load_recent(journal_path(), sessions_since)


def _checker(path: Path) -> Callable[[Journal], None]:
    """Return a check that refuses a change leaving an error `validate` reports.

    Imported here, before the lock is taken, so that writers queue for the
    lock only as long as the check itself runs.
    """
    from nexus_cli.core import check

    def refuse_invalid(journal: Journal) -> None:
        check.refuse_new_errors(journal, lambda: store.load_journal(path))  # the file is still as read

    return refuse_invalid


@contextlib.contextmanager
def changing_journal() -> Iterator[Journal]:
    """Lock, load and yield the journal; save it when the block succeeds and the result is valid."""
    path = journal_path()
    refuse_invalid = _checker(path)
    with store.transaction(path) as journal:
        yield journal
        refuse_invalid(journal)


def update_journal(
    change: Callable[[Journal], T],
    *,
    sessions_since: dt.date | None = None,
    topics_named: Sequence[str] | None = None,
) -> T:
    """Apply a change that adds an entry, under the lock; cheap on a large journal (store.update).

    `sessions_since` and `topics_named` say what of the journal the change reads
    (the sessions from that day on; only the topics those words could name), as
    store.update takes them. The changed journal is checked as `validate` would
    check it before anything is written: an added entry by what it can break,
    anything else whole.
    """
    from nexus_cli.core import check  # before the lock: writers queue only as long as the check runs

    path = journal_path()

    def guard(journal: Journal, added: tuple[str, int] | None) -> bool:
        if added is not None:
            return check.adds_no_error(journal, *added)  # False: the store redoes it whole
        check.refuse_new_errors(journal, lambda: store.load_journal(path))  # the file is still as read
        return True

    if sessions_since is not None and sessions_since > dt.date.min:
        # the guard sees a session of the day before that runs past midnight
        sessions_since -= dt.timedelta(days=1)
    return store.update(path, change, sessions_since=sessions_since, topics_named=topics_named, guard=guard)


def write_output(target: Path, text: str, *, private: bool = False) -> None:
    """Write a command's output file atomically; never over the journal or a folder.

    A new file gets the usual mode (a README or picture is made to be shared);
    `private` keeps it 0600, like the journal, for copies of the journal itself.
    """
    import os

    if store.real_path(target) == store.real_path(journal_path()):
        raise InputError(
            f"{target} is the journal itself; nexus will not write over it", hint="pick another file name"
        )
    try:
        target.exists()  # stat: a folder on the way that may not be entered says so here
    except PermissionError as exc:
        raise InputError(f"cannot write {store.os_error_message(exc, target)}") from None
    if target.is_dir():
        raise InputError(f"{target} is a folder", hint="give a file name, e.g. README.md")
    if not target.parent.is_dir():
        raise InputError(
            f"cannot write {target}: there is no folder {target.parent}",
            hint="create the folder first, or pick another path",
        )
    new = not target.exists()
    store.atomic_write(target, text.encode("utf-8"), backup=False)
    if new and not private:
        umask = os.umask(0)
        os.umask(umask)
        with contextlib.suppress(OSError):
            os.chmod(store.real_path(target), 0o666 & ~umask)


def require_text(value: str | None, what: str, option: str) -> str:
    """Return a required text value, asking for it on a TTY; off a TTY it must be given."""
    if value is not None and value.strip():
        return value
    if value is None and ui.is_interactive():
        answer = typer.prompt(what.capitalize())
        if answer.strip():
            return answer
    raise InputError(f"{what} is required", hint=f"pass it as {option}")


def _completer(kinds: list[Kind]) -> Callable[[typer.Context, str], list[tuple[str, str]]]:
    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from nexus_cli.core.ids import complete as complete_ids
        from nexus_cli.core.paths import resolve_journal

        option = ctx.find_root().params.get("journal")
        try:
            journal = store.load_journal(resolve_journal(option).path)
        except Exception:  # completion must never print an error into the shell
            return []
        return complete_ids(journal, incomplete, kinds)

    return complete


complete_topic = _completer(["topic"])
complete_challenge = _completer(["challenge"])
complete_any = _completer(["topic", "challenge", "takeaway", "session"])
complete_reviewable = _completer(["takeaway", "topic"])
