"""The export formats: each turns a journal into text, and only text.

The tables below are the one registry of formats and CSV tables: the `export`
and `list` commands take their choices from them. Importing this module is
cheap (each exporter loads what it needs when it runs), so a command's `--help`
can list the choices without loading the journal's models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nexus_cli.core.models import Journal, Kind

CSV_KINDS: dict[str, Kind] = {
    "sessions": "session",
    "topics": "topic",
    "challenges": "challenge",
    "takeaways": "takeaway",
}
CSV = "csv"  # a format of its own: one table (a CSV kind) at a time


def export_markdown(journal: Journal) -> str:
    """Return the journal as a portfolio README."""
    from nexus_cli.core.convert.markdown_export import export_markdown

    return export_markdown(journal)


def export_json(journal: Journal) -> str:
    """Return the journal as a JSON journal file."""
    from nexus_cli.core import store

    return store.dumps(journal, "json")


def export_toml(journal: Journal) -> str:
    """Return the journal as a TOML journal file."""
    from nexus_cli.core import store

    return store.dumps(journal, "toml")


def export_csv(journal: Journal, kind: str) -> str:
    """Return one table of the journal as defused RFC 4180 CSV."""
    from nexus_cli.core.convert import tabular
    from nexus_cli.core.queries import minutes_by_topic, topic_order

    entry_kind = CSV_KINDS[kind]
    if entry_kind == "topic":
        return tabular.to_csv("topic", topic_order(journal), minutes_by_topic(journal))
    return tabular.to_csv(entry_kind, getattr(journal, kind))


EXPORTERS: dict[str, Callable[[Journal], str]] = {
    "markdown": export_markdown,
    "json": export_json,
    "toml": export_toml,
}
FORMATS = (*EXPORTERS, CSV)


def export_text(journal: Journal, fmt: str, kind: str | None = None) -> str:
    """Return the journal in an export format (`csv` needs the table's kind)."""
    from nexus_cli.core.errors import InputError

    if fmt == CSV:
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
    from nexus_cli.core import store
    from nexus_cli.core.convert import tabular
    from nexus_cli.core.convert.markdown_export import GENERATED_MARK
    from nexus_cli.core.errors import NexusError

    if not text.strip():
        return True
    if fmt == "markdown":  # the marker is nexus's last line; a README that quotes it is not nexus's
        return text.rstrip().rpartition("\n")[2].startswith(GENERATED_MARK)
    if fmt in ("json", "toml"):
        try:
            data = store.parse_text(text, "json" if fmt == "json" else "toml")
        except (NexusError, RecursionError):  # not even the format: not a copy nexus wrote
            return False
        return isinstance(data, dict) and "schema_version" in data
    if fmt == "svg":  # the dashboard picture `export markdown --with-svg` saves
        return text.lstrip().startswith('<svg class="rich-terminal"')
    if fmt == "csv":
        first = text.lstrip("\ufeff").partition("\n")[0].rstrip("\r")
        return first in {tabular.to_csv(kind, []).partition("\r\n")[0] for kind in CSV_KINDS.values()}
    return False
