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

from typing import Any

_MISSING = object()


class _CannotKeep(Exception):
    """The change does not map onto the document as written (e.g. entries reordered)."""


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def keep(text: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """Return `text` with the change from `old` to `new` applied, or None if it cannot be.

    `old` and `new` are the journal's plain data (codec.to_data) before and
    after the change; `text` is the file as read, whose data is `old`.
    """
    try:
        import tomlkit
    except ImportError:  # pragma: no cover - a dependency; only an odd install lacks it
        return None
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
