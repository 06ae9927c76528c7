"""The JSON Schema of a journal file, generated from the model."""

from __future__ import annotations

import json
from typing import Any

from nexus_cli.core.models import SCHEMA_VERSION, Journal

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = f"urn:nexus-cli:journal:schema:{SCHEMA_VERSION}"
# RFC 3339 `time` (what JSON Schema's "time" format means) needs a UTC offset, but a
# session's start is a local time of day such as 14:30:00. Say what is accepted; an
# offset is allowed because TOML-reading checkers turn a TOML local time into `14:30:00Z`.
LOCAL_TIME = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
}


def _fix_times(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            return {**{k: v for k, v in node.items() if k != "format"}, **LOCAL_TIME}
        return {key: _fix_times(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_fix_times(item) for item in node]
    return node


def journal_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a journal."""
    generated = _fix_times(Journal.model_json_schema(mode="validation"))
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "nexus journal",
        "description": (
            f"A nexus study journal (schema_version {SCHEMA_VERSION}), as TOML or JSON. "
            "`nexus validate` checks this and more: duplicate ids, missing topics, overlaps."
        ),
    }
    schema.update({key: value for key, value in generated.items() if key not in ("title", "description")})
    return schema


def schema_text() -> str:
    """Return the schema as stable, indented JSON text."""
    return json.dumps(journal_schema(), indent=2, ensure_ascii=False) + "\n"
