"""The export formats: each turns a journal into text, and only text."""

from __future__ import annotations

from collections.abc import Callable

from nexus_cli.core import store
from nexus_cli.core.convert import tabular
from nexus_cli.core.convert.markdown_export import GENERATED_MARK, export_markdown
from nexus_cli.core.errors import InputError, NexusError
from nexus_cli.core.models import Journal, Kind
from nexus_cli.core.queries import minutes_by_topic, topic_order

CSV_KINDS: dict[str, Kind] = {
    "sessions": "session",
    "topics": "topic",
    "challenges": "challenge",
    "takeaways": "takeaway",
}


def export_csv(journal: Journal, kind: str) -> str:
    """Return one table of the journal as defused RFC 4180 CSV."""
    entry_kind = CSV_KINDS[kind]
    if entry_kind == "topic":
        return tabular.to_csv("topic", topic_order(journal), minutes_by_topic(journal))
    return tabular.to_csv(entry_kind, getattr(journal, kind))


EXPORTERS: dict[str, Callable[[Journal], str]] = {
    "markdown": export_markdown,
    "json": lambda journal: store.dumps(journal, "json"),
    "toml": lambda journal: store.dumps(journal, "toml"),
}


def export_text(journal: Journal, fmt: str, kind: str | None = None) -> str:
    """Return the journal in an export format (`csv` needs the table's kind)."""
    if fmt == "csv":
        if kind is None:
            raise InputError(
                "say which table to export as CSV",
                hint="pass --kind " + "|".join(CSV_KINDS),
            )
        return export_csv(journal, kind)
    if kind is not None:
        raise InputError("--kind only applies to csv", hint="drop --kind, or export csv")
    return EXPORTERS[fmt](journal)


def written_by_nexus(text: str, fmt: str) -> bool:
    """Whether an existing file looks like what `export` writes in `fmt`, so replacing it loses nothing.

    A README carries nexus's marker (an HTML comment on its last line); a
    journal copy has a `schema_version`; a CSV table starts with one of
    nexus's header lines. An empty file is nobody's.
    """
    if not text.strip():
        return True
    if fmt == "markdown":
        return GENERATED_MARK in text
    if fmt in ("json", "toml"):
        try:
            data = store.parse_text(text, fmt)
        except (NexusError, RecursionError):  # not even the format: not a copy nexus wrote
            return False
        return isinstance(data, dict) and "schema_version" in data
    if fmt == "csv":
        first = text.lstrip("\ufeff").partition("\n")[0].rstrip("\r")
        return first in {tabular.to_csv(kind, []).partition("\r\n")[0] for kind in CSV_KINDS.values()}
    return False
