"""What a view command prints, shared by its Typer command and the fast lane (no Typer here).

The printing a command would do, moved here so that both callers print the
same: the commands `progress` and `show`, and fastlane's views of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nexus_cli import ui
from nexus_cli.core import clock

if TYPE_CHECKING:
    from rich.console import RenderableType

    from nexus_cli.core.models import Entry, Journal


def progress_view(journal: Journal, *, every_topic: bool = False) -> RenderableType:
    """Return the dashboard of `nexus progress` for a journal with something in it."""
    from nexus_cli.core.stats import compute
    from nexus_cli.render.progress import render_progress

    now = clock.now()
    return render_progress(journal, compute(journal, now.date()), every_topic=every_topic, now=now)


def print_progress(journal: Journal, *, every_topic: bool = False, width: int | None = None) -> None:
    """Print the dashboard to stdout; for an empty journal, say how to begin."""
    if not journal.topics and not journal.sessions:
        from nexus_cli.render.progress import empty_message

        ui.say(empty_message())
        return
    from nexus_cli.output import print_data

    print_data(progress_view(journal, every_topic=every_topic), width=width)


def find_entry(journal: Journal, query: str) -> Entry:
    """Return what `ids.resolve` returns, answering its first rule (an exact id) without its other scans.

    `resolve` also builds every entry's label (tens of milliseconds for a large
    journal) before it looks at them; the id typed in full is the common case.
    """
    from nexus_cli.core.ids import entries, nfc, resolve

    raw = nfc(query.strip())
    exact = [entry for entry in entries(journal) if entry.id == raw]
    return exact[0] if len(exact) == 1 else resolve(journal, query)


def print_entry(journal: Journal, entry: Entry) -> None:
    """Print one entry as `nexus show` does: a topic with its subtopics, sessions and challenges."""
    from nexus_cli.output import print_data
    from nexus_cli.render.show import render_entry

    print_data(render_entry(journal, entry, clock.today()))
