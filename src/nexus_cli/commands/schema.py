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
    from nexus_cli.commands._common import write_output
    from nexus_cli.core.schema import schema_text

    text = schema_text()
    if output is None:
        sys.stdout.write(text)
        return
    write_output(output, text)
