from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the schema to this file instead of stdout.", metavar="FILE"
        ),
    ] = None,
) -> None:
    """Print the JSON Schema (2020-12) of a journal file, for editors and other checkers.

    \b
    Examples:
      nexus schema -o journal.schema.json
      check-jsonschema --schemafile journal.schema.json journals/*.json
    """
    from nexus_cli.core.errors import JournalError
    from nexus_cli.core.schema import schema_text

    text = schema_text()
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise JournalError(f"cannot write {output}: {exc.strerror or exc}") from None
