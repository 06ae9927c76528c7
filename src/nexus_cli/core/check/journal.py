"""Check one journal's bytes: syntax, then schema and semantics, each problem on its line."""

from __future__ import annotations

import datetime as dt

from nexus_cli.core import clock
from nexus_cli.core.check import schema, semantics, syntax
from nexus_cli.core.check.codes import Finding, Format, Problem, make_problem
from nexus_cli.core.check.sourcemap import SourceMap, json_map, toml_map
from nexus_cli.core.errors import entry_path


def check_bytes(raw: bytes, source: str, fmt: Format, *, today: dt.date | None = None) -> list[Problem]:
    """Return every problem of one journal's bytes, in line order."""
    parsed = syntax.parse(raw, source, fmt)
    if isinstance(parsed, Problem):
        return [parsed]
    text = parsed.text
    smap: SourceMap | None = None
    findings: list[Finding] = []
    if parsed.duplicates:
        smap = json_map(text)
        for loc, offset in smap.duplicates:
            findings.append(
                Finding(
                    loc,
                    "NX006",
                    f"duplicate key '{loc[-1]}' (the later value would win)",
                    "keep one of the two keys",
                    offset,
                )
            )
    found, go_on = schema.check(parsed.data)
    findings.extend(found)
    if go_on:
        findings.extend(semantics.check(parsed.data, today or clock.today(), clock.now()))
    if not findings:
        return []

    if smap is None:
        # Only the places of what is reported: a large journal with a few problems is not
        # mapped key by key.
        wanted = [finding.loc for finding in findings if finding.offset is None]
        smap = json_map(text, wanted) if fmt == "json" else toml_map(text, wanted)
    places = [smap.find(finding.loc) if finding.offset is None else finding.offset for finding in findings]
    smap.learn(place for place in places if place is not None)
    problems = []
    for finding, place in zip(findings, places, strict=True):
        line: int | None = None
        column: int | None = None
        if place is not None:
            line, column = smap.line_col(place)
        problems.append(
            make_problem(
                source,
                finding.code,
                finding.message,
                finding.hint,
                line=line,
                column=column,
                path=entry_path(finding.loc),
                text=smap.line_text(line) if line else "",
            )
        )
    problems.sort(key=lambda p: (p.line or 0, p.column or 0, p.code))
    return problems
