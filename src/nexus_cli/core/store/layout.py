"""Keep a hand-edited TOML journal's comments and layout when nexus changes it.

A file nexus wrote itself is simply written again (or spliced, splice.py). A
file someone edited by hand holds things a dump would drop: `# notes`, a
`#:schema` line, inline comments, multi-line strings, inline tables, their own
order of keys. For such a file the change is applied to the document as it
stands, with tomlkit (a TOML library that keeps every byte it does not touch):
only what the command changed is written, entries are matched by id, a new
entry goes where a full dump would put it, a removed one takes its own lines
with it. The result must load to exactly the journal the command meant, or it
is not used.
"""

from __future__ import annotations

import re
from typing import Any

from nexus_cli.core.store.tomlwrite import SECTIONS, table_lines

_MISSING = object()
_ENTRY_HEADER = re.compile(r"\s*\[\[\s*(" + "|".join(SECTIONS) + r")\s*\]\]\s*(?:#.*)?")
_TABLE_HEADER = re.compile(r"\s*\[\s*([A-Za-z_]+)\s*\]\s*(?:#.*)?")
_ANY_HEADER = re.compile(r"\s*\[")


class _CannotKeep(Exception):
    """The change does not map onto the document as written (e.g. entries reordered)."""


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def keep(text: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """Return `text` with the change from `old` to `new` applied, or None if it cannot be.

    `old` and `new` are the journal's plain data (codec.to_data) before and
    after the change; `text` is the file as read, whose data is `old`. The
    caller checks that the result loads to `new`.
    """
    try:
        import tomlkit  # noqa: F401
    except ImportError:  # pragma: no cover - a dependency; only an odd install lacks it
        return None
    try:
        # Only the blocks of the entries that changed go through tomlkit: fast on a large file.
        return _keep_by_blocks(text, old, new)
    except Exception:  # a layout the block splitter does not follow: the whole document, then
        return _keep_whole(text, old, new)


def _keep_whole(text: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    import tomlkit

    try:
        document = tomlkit.parse(text)
        _update_table(document, old, new)
        result = tomlkit.dumps(document)
    except Exception:  # _CannotKeep, or tomlkit's own error on a layout it cannot edit
        return None
    # a new entry ends with a blank line, like the others; the file ends as it did
    if text.endswith("\n") and not text.endswith("\n\n"):
        result = result.rstrip("\n") + "\n"
    return result


def _update_table(container: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
    for key in list(old):
        if key not in new and key in container:
            del container[key]
    for key, value in new.items():
        before = old.get(key, _MISSING)
        if before == value:  # unchanged, whether the file spells it out or leaves the default
            continue
        if _empty(value):
            if key in container:
                del container[key]
            continue
        if key not in container:
            container[key] = _item(value)
            continue
        current = container[key]
        if isinstance(value, dict) and isinstance(before, dict) and hasattr(current, "items"):
            _update_table(current, before, value)
        elif _entry_list(value) and isinstance(before, list) and _entry_list(before):
            _update_entries(current, before, value)
        else:
            container[key] = _item(value)


def _entry_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(i, dict) and "id" in i for i in value)


def _update_entries(items: Any, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
    """Bring a list of entries (an array of tables, or an inline array) from `old` to `new` by id."""
    if len(items) != len(old):
        raise _CannotKeep("the list in the file is not the list that was read")
    new_ids = [entry["id"] for entry in new]
    wanted = set(new_ids)
    for index in reversed(range(len(old))):
        if old[index]["id"] not in wanted:
            del items[index]
    kept = [entry for entry in old if entry["id"] in wanted]
    old_by_id = {entry["id"]: entry for entry in kept}
    if [i for i in new_ids if i in old_by_id] != [entry["id"] for entry in kept]:
        raise _CannotKeep("entries were reordered")
    for index, entry in enumerate(new):
        before = old_by_id.get(entry["id"])
        if before is None:
            items.insert(index, _entry_item(items, entry))
        elif before != entry:
            _update_table(items[index], before, entry)


def _entry_item(items: Any, entry: dict[str, Any]) -> Any:
    import tomlkit
    from tomlkit.items import AoT

    if isinstance(items, AoT):
        table = tomlkit.table()
        for key, value in entry.items():
            if not _empty(value):
                table[key] = _item(value)
        table.add(tomlkit.nl())
        return table
    inline = tomlkit.inline_table()
    inline.update({key: value for key, value in entry.items() if not _empty(value)})
    return inline


def _item(value: Any) -> Any:
    import tomlkit

    if isinstance(value, dict):
        table = tomlkit.table()
        for key, inner in value.items():
            if not _empty(inner):
                table[key] = _item(inner)
        return table
    if isinstance(value, list) and value and all(isinstance(i, dict) for i in value):
        aot = tomlkit.aot()
        for inner in value:
            aot.append(_item(inner))
        return aot
    return tomlkit.item(value)


# --- block by block ---------------------------------------------------------------


class _Block:
    """Lines of the file from one table header to the next (the first block has no header)."""

    def __init__(self, kind: str, name: str, lines: list[str]):
        self.kind = kind  # "top", "entry" or "table"
        self.name = name
        self.lines = lines
        self.before: list[str] = []  # new entries that go just above this block
        self.after: list[str] = []  # new entries that go just below it

    @property
    def text(self) -> str:
        return "".join(self.lines)

    @property
    def full_text(self) -> str:
        own = self.text
        if self.after:
            own = own if own.endswith("\n") else own + "\n"
            own = own if own.endswith("\n\n") else own + "\n"
        return "".join(self.before) + own + "".join(self.after)


def _split(text: str) -> list[_Block]:
    """Cut the file into blocks at its table headers (never inside a multi-line string)."""
    blocks = [_Block("top", "", [])]
    delimiter = ""
    for line in text.splitlines(keepends=True):
        if not delimiter and _ANY_HEADER.match(line):
            entry = _ENTRY_HEADER.fullmatch(line.rstrip("\r\n"))
            table = _TABLE_HEADER.fullmatch(line.rstrip("\r\n"))
            if entry:
                blocks.append(_Block("entry", entry.group(1), [line]))
                delimiter = _string_state(line, delimiter)
                continue
            if table:
                blocks.append(_Block("table", table.group(1), [line]))
                delimiter = _string_state(line, delimiter)
                continue
            if blocks[-1].kind == "top":
                raise _CannotKeep("a table the block splitter does not know")
            # [[topics.resources]] and the like belong to the entry above
        blocks[-1].lines.append(line)
        delimiter = _string_state(line, delimiter)
    return blocks


def _string_state(line: str, delimiter: str) -> str:
    """Return the multi-line string delimiter still open after `line` ("" if none)."""
    if not delimiter and '"""' not in line and "'''" not in line:
        return ""  # nearly every line: no multi-line string starts here
    i = 0
    while i < len(line):
        if delimiter:
            end = line.find(delimiter, i)
            while end > 0 and delimiter == '"""' and _escaped(line, end):
                end = line.find(delimiter, end + 1)
            if end < 0:
                return delimiter
            i = end + 3
            while line.startswith(delimiter[0], i):  # up to two quotes may end the string
                i += 1
            delimiter = ""
            continue
        char = line[i]
        if char == "#":
            return ""
        if line.startswith('"""', i) or line.startswith("'''", i):
            delimiter = line[i : i + 3]
            i += 3
        elif char == '"':
            i += 1
            while i < len(line) and line[i] != '"':
                i += 2 if line[i] == "\\" else 1
            i += 1
        elif char == "'":
            end = line.find("'", i + 1)
            i = len(line) if end < 0 else end + 1
        else:
            i += 1
    return delimiter


def _escaped(line: str, at: int) -> bool:
    count = 0
    while at - count - 1 >= 0 and line[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _keep_by_blocks(text: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    import tomlkit

    blocks = _split(text)
    by_section: dict[str, list[_Block]] = {name: [] for name in SECTIONS}
    tables: dict[str, _Block] = {}
    for block in blocks:
        if block.kind == "entry":
            by_section[block.name].append(block)
        elif block.kind == "table":
            if block.name in tables or block.name in SECTIONS:
                raise _CannotKeep("a table given twice")
            tables[block.name] = block
    top = blocks[0]
    top_doc = None
    appended: list[str] = []
    for key in dict.fromkeys([*old, *new]):
        before, after = old.get(key, _MISSING), new.get(key, _MISSING)
        if key in SECTIONS:
            _sync_section(
                blocks,
                key,
                by_section[key],
                [] if before is _MISSING else before,
                [] if after is _MISSING else after,
                appended,
            )
            continue
        if before == after:
            continue
        if key in tables:
            block = tables[key]
            if after is _MISSING or _empty(after):
                blocks.remove(block)
                continue
            document = tomlkit.parse(block.text)
            _update_table(document[key], before if isinstance(before, dict) else {}, after)
            block.lines = [tomlkit.dumps(document)]
        elif isinstance(after, dict) and (before is _MISSING or _empty(before)):
            lines: list[str] = []
            table_lines(lines, f"[{key}]", after)
            appended.append("\n".join(lines[1:]) + "\n")
        else:
            if top_doc is None:
                top_doc = tomlkit.parse(top.text)
            _update_table(
                top_doc,
                {} if before is _MISSING else {key: before},
                {} if after is _MISSING else {key: after},
            )
    if top_doc is not None:
        top.lines = [tomlkit.dumps(top_doc)]
    out = "".join(block.full_text for block in blocks)
    for extra in appended:
        if out and not out.endswith("\n"):
            out += "\n"
        if out and not out.endswith("\n\n"):
            out += "\n"
        out += extra
    if text.endswith("\n") and not text.endswith("\n\n"):
        out = out.rstrip("\n") + "\n"  # the file ends as it did
    return out


def _entry_text(section: str, entry: dict[str, Any]) -> str:
    lines: list[str] = []
    table_lines(lines, f"[[{section}]]", entry)
    return "\n".join(lines[1:]) + "\n\n"


def _sync_section(
    blocks: list[_Block],
    section: str,
    found: list[_Block],
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    appended: list[str],
) -> None:
    import tomlkit

    if len(found) != len(old):
        raise _CannotKeep("entries not in [[blocks]] of their own")
    if old == new:
        return
    old_by_id = {entry["id"]: (entry, block) for entry, block in zip(old, found, strict=True)}
    new_ids = {entry["id"] for entry in new}
    kept = [entry["id"] for entry in old if entry["id"] in new_ids]
    if [entry["id"] for entry in new if entry["id"] in old_by_id] != kept:
        raise _CannotKeep("entries were reordered")
    for entry, block in zip(old, found, strict=True):
        if entry["id"] not in new_ids:
            blocks.remove(block)
    pending: list[str] = []  # new entries waiting for the next kept block
    for entry in new:
        known = old_by_id.get(entry["id"])
        if known is None:
            pending.append(_entry_text(section, entry))
            continue
        before, block = known
        block.before.extend(pending)
        pending = []
        if before != entry:
            document = tomlkit.parse(block.text)
            _update_table(document[section][0], before, entry)
            block.lines = [tomlkit.dumps(document)]
    if pending:
        remaining = [block for block in found if block in blocks]
        if remaining:
            remaining[-1].after.extend(pending)
        else:
            appended.extend(pending)
