"""Three-way merge of journals, entry by entry and field by field.

`merge(base, ours, theirs)` compares both sides with their common ancestor.
Entries are matched by id. A change made on one side only is taken; the same
change made on both sides is taken once; different changes to different fields
of one entry are combined. Bookkeeping timestamps never conflict: `created` and
`opened` keep the earlier value, `updated` the later one. Tags and topic lists
merge as sets (an item added on either side is kept, one removed on either side
goes). What is left is a conflict: the same field changed differently on both
sides, or an entry removed on one side and changed (or still used) on the other.

The result carries two complete journals, one with every conflict decided for
ours and one decided for theirs, so nothing either side wrote is lost: a clean
merge has the two equal, and a conflicted one is written with git-style markers
around the lines where they differ (`render`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from nexus_cli.core import store
from nexus_cli.core.errors import describe_validation
from nexus_cli.core.models import SCHEMA_VERSION, Journal, Resource, Session, Topic, session_key

MARKER_SIZE = 7
_ABSENT: Any = object()

# Fields whose concurrent changes have one obvious answer.
_EARLIEST = frozenset({"created", "opened", "resolved"})
_LATEST = frozenset({"updated"})
_SET_LIKE = frozenset({"tags", "topics"})
_LOG_LIKE = frozenset({"reviews"})  # records appended over time, never edited


@dataclass(frozen=True)
class Conflict:
    """One thing both sides changed in different ways."""

    where: str  # "topics[docker].status", "challenges[rabbitmq-routing]"
    reason: str


@dataclass
class MergeResult:
    """A merged journal: `ours` and `theirs` differ only where there are conflicts."""

    ours: Journal
    theirs: Journal
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


@dataclass
class _Pair:
    """Values decided for ours and for theirs, and the conflicts found on the way."""

    ours: Any
    theirs: Any
    conflicts: list[Conflict] = field(default_factory=list)


def merge(base: Journal | None, ours: Journal, theirs: Journal) -> MergeResult:
    """Merge two journals that grew from `base` (None: no common ancestor)."""
    base = base or Journal()
    version = max(ours.schema_version, theirs.schema_version, SCHEMA_VERSION)
    out_ours: dict[str, Any] = {"schema_version": version}
    out_theirs: dict[str, Any] = {"schema_version": version}
    conflicts: list[Conflict] = []
    for name in ("program", "timer"):
        pair = _merge_record(getattr(base, name), getattr(ours, name), getattr(theirs, name), name)
        out_ours[name], out_theirs[name] = pair.ours, pair.theirs
        conflicts += pair.conflicts
    for name in store.SECTIONS:
        pair = _merge_keyed(
            getattr(base, name), getattr(ours, name), getattr(theirs, name), name, _ADDED_ORDER[name]
        )
        out_ours[name], out_theirs[name] = pair.ours, pair.theirs
        conflicts += pair.conflicts
    conflicts += _one_session_per_timer(ours, theirs, out_ours, out_theirs)
    conflicts += _keep_used_topics(base, ours, theirs, out_ours, out_theirs)
    conflicts += _one_kind_per_id(ours, theirs, out_ours, out_theirs)
    return MergeResult(
        Journal.model_construct(**out_ours),
        Journal.model_construct(**out_theirs),
        sorted(set(conflicts), key=lambda c: (c.where, c.reason)),
    )


def _one_kind_per_id(
    ours: Journal, theirs: Journal, out_ours: dict[str, Any], out_theirs: dict[str, Any]
) -> list[Conflict]:
    """Flag an id that the two sides gave to entries of different kinds.

    Each side merged its sections on their own, so a topic `testing` added on one
    machine and a takeaway `testing` on the other would both land: ids must be
    unique across kinds. Each side keeps only its own entry, so the conflict
    markers show both.
    """

    def section_of(journal: Journal) -> dict[str, str]:
        return {e.id: name for name in store.SECTIONS for e in getattr(journal, name)}

    mine, yours = section_of(ours), section_of(theirs)
    conflicts = []
    for entry_id, name in mine.items():
        other = yours.get(entry_id)
        if other is None or other == name:
            continue
        for out, keep in ((out_ours, name), (out_theirs, other)):
            for section in (name, other):
                if section != keep:
                    out[section] = [e for e in out[section] if e.id != entry_id]
        reason = f"the id names {name[:-1]} on ours and {other[:-1]} on theirs"
        conflicts.append(Conflict(f"{name}[{entry_id}]", reason))
    return conflicts


def _one_session_per_timer(
    ours: Journal, theirs: Journal, out_ours: dict[str, Any], out_theirs: dict[str, Any]
) -> list[Conflict]:
    """Keep one session for a timer that was stopped on both sides.

    A timer synced to two machines and stopped on each gives two sessions that
    name the same timer. Stopping is one event: the earlier stop (the shorter
    session) is kept. When the two differ in more than their length (another
    note), each side keeps its own session and the markers show both.
    """
    if not any(s.timer for s in out_ours["sessions"]):
        return []
    by_timer: dict[str, list[Session]] = {}
    for session in out_ours["sessions"]:
        if session.timer:
            by_timer.setdefault(session.timer, []).append(session)
    for session in out_theirs["sessions"]:
        if session.timer and all(s.id != session.id for s in by_timer.get(session.timer, [])):
            by_timer.setdefault(session.timer, []).append(session)
    drop_ours: set[str] = set()
    drop_theirs: set[str] = set()
    conflicts = []
    mine, yours = {s.id for s in ours.sessions}, {s.id for s in theirs.sessions}
    for timer_id, sessions in by_timer.items():
        if len(sessions) < 2:
            continue
        if len({(s.topic, s.date, s.start, s.note) for s in sessions}) == 1:
            keep = min(sessions, key=lambda s: (s.minutes, s.id))
            drop = {s.id for s in sessions if s is not keep}
            drop_ours |= drop
            drop_theirs |= drop
            continue
        # Each side keeps the session it logged itself.
        drop_ours |= {s.id for s in sessions if s.id not in mine}
        drop_theirs |= {s.id for s in sessions if s.id not in yours}
        shown = ", ".join(sorted(s.id for s in sessions))
        conflicts.append(
            Conflict(
                f"sessions[{shown}]", f"timer {timer_id} was stopped on both sides, with different notes"
            )
        )
    if drop_ours:
        out_ours["sessions"] = [s for s in out_ours["sessions"] if s.id not in drop_ours]
    if drop_theirs:
        out_theirs["sessions"] = [s for s in out_theirs["sessions"] if s.id not in drop_theirs]
    return conflicts


def _created_key(entry: Any) -> tuple[Any, str]:
    return (getattr(entry, "created", None) or getattr(entry, "opened", None), entry.id)


_ADDED_ORDER: dict[str, Callable[[Any], Any]] = {
    "topics": _created_key,
    "challenges": _created_key,
    "takeaways": _created_key,
    "sessions": session_key,
}


def _same(a: Any, b: Any) -> bool:
    """Return whether two records hold the same values (faster than pydantic's ==)."""
    if a is b:
        return True
    if a is None or b is None or type(a) is not type(b):
        return False
    return a.__dict__ == b.__dict__


def _same_list(a: Sequence[Any], b: Sequence[Any]) -> bool:
    return len(a) == len(b) and all(map(_same, a, b))


def _merge_keyed(
    base: Sequence[Any],
    ours: Sequence[Any],
    theirs: Sequence[Any],
    where: str,
    added_order: Callable[[Any], Any],
    key: str = "id",
) -> _Pair:
    """Merge two lists of records matched by `key`."""
    if _same_list(ours, theirs) or _same_list(theirs, base):
        return _Pair(list(ours), list(ours))
    if _same_list(ours, base):
        return _Pair(list(theirs), list(theirs))
    by_base = {getattr(item, key): item for item in base}
    by_ours = {getattr(item, key): item for item in ours}
    by_theirs = {getattr(item, key): item for item in theirs}
    added = sorted(
        (k for k in {**by_ours, **by_theirs} if k not in by_base),
        key=lambda k: min(added_order(x) for x in (by_ours.get(k), by_theirs.get(k)) if x is not None),
    )
    merged: list[tuple[Any, Any]] = []
    conflicts: list[Conflict] = []
    for k in [*by_base, *added]:
        b, o, t = by_base.get(k), by_ours.get(k), by_theirs.get(k)
        if o is not None and t is not None:
            if _same(o, t) or _same(t, b):
                merged.append((o, o))
                continue
            if _same(o, b):
                merged.append((t, t))
                continue
            pair = _merge_record(b, o, t, f"{where}[{k}]")
        elif o is None and t is None:
            continue  # removed on both sides
        elif b is None:
            pair = _Pair(_either(o, t), _either(o, t))  # added on one side
        elif _same(o if o is not None else t, b):
            continue  # removed on one side, untouched on the other
        else:
            side, other = ("ours", "theirs") if o is None else ("theirs", "ours")
            pair = _Pair(o, t, [Conflict(f"{where}[{k}]", f"removed on {side}, changed on {other}")])
        merged.append((pair.ours, pair.theirs))
        conflicts += pair.conflicts
    ours_list = [o for o, _ in merged if o is not None]
    theirs_list = ours_list if not conflicts else [t for _, t in merged if t is not None]
    if where == "sessions":
        ours_list.sort(key=session_key)
        if theirs_list is not ours_list:
            theirs_list.sort(key=session_key)
    return _Pair(ours_list, theirs_list, conflicts)


def _either(a: Any, b: Any) -> Any:
    return b if a is None else a


def _merge_record(b: BaseModel | None, o: BaseModel | None, t: BaseModel | None, where: str) -> _Pair:
    """Merge one record (an entry, the programme, the timer) field by field."""
    if _same(o, t) or _same(t, b):
        return _Pair(o, o)
    if _same(o, b):
        return _Pair(t, t)
    base_id = getattr(b, "id", None) if where == "timer" else None
    if base_id is not None:
        # The base's timer was stopped on one side and a new one started on the other: keep the new one.
        if o is None and t is not None and getattr(t, "id", None) != base_id:
            return _Pair(t, t)
        if t is None and o is not None and getattr(o, "id", None) != base_id:
            return _Pair(o, o)
    if o is None or t is None:
        side = "ours" if o is None else "theirs"
        other = "theirs" if o is None else "ours"
        what = "removed" if b is not None else "absent"
        return _Pair(o, t, [Conflict(where, f"{what} on {side}, changed on {other}")])
    if where == "timer":
        return _Pair(o, t, [Conflict(where, "a different timer runs on each side")])
    ours_fields: dict[str, Any] = {}
    theirs_fields: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    for name in type(o).model_fields:
        bv = getattr(b, name) if b is not None else _ABSENT
        ov, tv = getattr(o, name), getattr(t, name)
        pair = _merge_field(name, bv, ov, tv, f"{where}.{name}")
        ours_fields[name], theirs_fields[name] = pair.ours, pair.theirs
        conflicts += pair.conflicts
    try:
        # A combination neither side wrote must still be a valid entry (e.g. tags within the limit).
        ours_new = type(o).model_validate(ours_fields)
        theirs_new = ours_new if not conflicts else type(t).model_validate(theirs_fields)
    except ValidationError as exc:
        reason = "combining both sides makes it invalid: " + describe_validation(exc, where)
        return _Pair(o, t, [Conflict(where, reason)])
    return _Pair(ours_new, theirs_new, conflicts)


def _merge_field(name: str, bv: Any, ov: Any, tv: Any, where: str) -> _Pair:
    if ov == tv or tv == bv:
        return _Pair(ov, ov)
    if ov == bv:
        return _Pair(tv, tv)
    if name in _EARLIEST and ov is not None and tv is not None:
        return _Pair(min(ov, tv), min(ov, tv))
    if name in _LATEST and ov is not None and tv is not None:
        return _Pair(max(ov, tv), max(ov, tv))
    if name in _SET_LIKE:
        merged = _merge_set(bv if bv is not _ABSENT else [], ov, tv)
        return _Pair(merged, merged)
    if name in _LOG_LIKE:
        merged = _merge_log(bv if bv is not _ABSENT else [], ov, tv)
        return _Pair(merged, merged)
    if name == "resources":
        return _merge_keyed(bv if bv is not _ABSENT else [], ov, tv, where, _resource_order, key="url")
    return _Pair(ov, tv, [Conflict(where, "changed differently on each side")])


def _resource_order(resource: Resource) -> str:
    return resource.url


def _merge_set(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """Keep what both sides kept, in base order, then what either added, sorted."""
    kept = [item for item in base if item in ours and item in theirs]
    added = sorted({item for item in [*ours, *theirs] if item not in base})
    return list(dict.fromkeys([*kept, *added]))


def _merge_log(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Keep the records both sides kept and every record either side appended, in date order."""
    kept = [item for item in base if item in ours and item in theirs]
    added = [item for item in ours if item not in base]
    added += [item for item in theirs if item not in base and item not in added]
    added.sort(key=_record_key)
    # A stable sort by date keeps the recorded order of one day's records.
    return sorted([*kept, *added], key=lambda item: getattr(item, "date", None) or dt.date.min)


def _record_key(item: BaseModel) -> tuple[str, ...]:
    return tuple(str(value) for value in item.model_dump().values())


# --- topics removed on one side and still used on the other ------------------------


def _references(values: dict[str, Any]) -> dict[str, list[str]]:
    """Return topic id -> the entries of a journal (as field values) that refer to it."""
    refs: dict[str, list[str]] = {}
    for session in values["sessions"]:
        refs.setdefault(session.topic, []).append(f"sessions[{session.id}]")
    for topic in values["topics"]:
        if topic.parent:
            refs.setdefault(topic.parent, []).append(f"topics[{topic.id}]")
    for name in ("challenges", "takeaways"):
        for item in values[name]:
            for topic_id in item.topics:
                refs.setdefault(topic_id, []).append(f"{name}[{item.id}]")
    if values["timer"] is not None:
        refs.setdefault(values["timer"].topic, []).append("timer")
    return refs


def _keep_used_topics(
    base: Journal, ours: Journal, theirs: Journal, out_ours: dict[str, Any], out_theirs: dict[str, Any]
) -> list[Conflict]:
    """Turn "topic removed on one side, used on the other" into a conflict with both outcomes."""
    present = {t.id for t in out_ours["topics"]} & {t.id for t in out_theirs["topics"]}
    base_ids = {t.id for t in base.topics}
    if base_ids <= present:
        return []  # no topic was removed
    side_topics = {"ours": {t.id: t for t in ours.topics}, "theirs": {t.id: t for t in theirs.topics}}
    refs = _references(out_ours)
    for topic_id, users in _references(out_theirs).items():
        refs.setdefault(topic_id, []).extend(users)
    conflicts = []
    for topic_id in sorted(refs):
        if topic_id in present or topic_id not in base_ids:
            continue
        in_ours, in_theirs = topic_id in side_topics["ours"], topic_id in side_topics["theirs"]
        if in_ours == in_theirs:
            continue  # removed on both sides: nothing to bring it back from
        keeper, remover = ("ours", "theirs") if in_ours else ("theirs", "ours")
        kept_in, removed_in = (out_ours, out_theirs) if in_ours else (out_theirs, out_ours)
        topic = side_topics[keeper][topic_id]
        if all(t.id != topic_id for t in kept_in["topics"]):
            kept_in["topics"] = [*kept_in["topics"], topic]
        _remove_topic(removed_in, topic)
        used_by = ", ".join(sorted(set(refs[topic_id]))[:3])
        conflicts.append(
            Conflict(f"topics[{topic_id}]", f"removed on {remover}, used on {keeper} by {used_by}")
        )
    return conflicts


def _remove_topic(values: dict[str, Any], topic: Topic) -> None:
    """Remove a topic the way `nexus rm` does: its sessions go, subtopics move up a level."""
    topic_id = topic.id
    values["sessions"] = [s for s in values["sessions"] if s.topic != topic_id]
    values["topics"] = [
        t.model_copy(update={"parent": topic.parent}) if t.parent == topic_id else t
        for t in values["topics"]
        if t.id != topic_id
    ]
    for name in ("challenges", "takeaways"):
        values[name] = [
            item.model_copy(update={"topics": [x for x in item.topics if x != topic_id]})
            if topic_id in item.topics
            else item
            for item in values[name]
        ]
    if values["timer"] is not None and values["timer"].topic == topic_id:
        values["timer"] = None


# --- writing a conflicted result ----------------------------------------------------


def render(result: MergeResult, fmt: store.Format, labels: tuple[str, str] = ("ours", "theirs")) -> str:
    """Return the merged journal's text; a conflicted merge gets git-style markers."""
    ours_text = store.dumps(result.ours, fmt)
    if result.clean:
        return ours_text
    return with_markers(ours_text, store.dumps(result.theirs, fmt), labels)


def _blocks(text: str) -> list[str]:
    """Split a journal's text where an entry (a TOML header or a JSON object) begins."""
    blocks: list[str] = []
    current: list[str] = []
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip()
        if current and (line.startswith("[") or stripped.endswith(("{", "["))):
            blocks.append("".join(current))
            current = []
        current.append(line)
    if current:
        blocks.append("".join(current))
    return blocks


def with_markers(ours: str, theirs: str, labels: tuple[str, str] = ("ours", "theirs")) -> str:
    """Return ours and theirs as one text, differing lines between conflict markers.

    Taking one side of every marked hunk gives back that side's text exactly.
    """
    out: list[str] = []
    a_blocks, b_blocks = _blocks(ours), _blocks(theirs)
    matcher = difflib.SequenceMatcher(None, a_blocks, b_blocks, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(a_blocks[i1:i2])
            continue
        a_lines = "".join(a_blocks[i1:i2]).splitlines(keepends=True)
        b_lines = "".join(b_blocks[j1:j2]).splitlines(keepends=True)
        lines = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
        for op, k1, k2, m1, m2 in lines.get_opcodes():
            if op == "equal":
                out.extend(a_lines[k1:k2])
            else:
                out.append("<" * MARKER_SIZE + f" {labels[0]}\n")
                out.extend(_ended(a_lines[k1:k2]))
                out.append("=" * MARKER_SIZE + "\n")
                out.extend(_ended(b_lines[m1:m2]))
                out.append(">" * MARKER_SIZE + f" {labels[1]}\n")
    return "".join(out)


def _ended(lines: list[str]) -> list[str]:
    return [line if line.endswith("\n") else line + "\n" for line in lines]


def has_markers(text: str) -> bool:
    """Return whether a text still holds conflict markers."""
    return any(
        line.startswith(("<" * MARKER_SIZE + " ", ">" * MARKER_SIZE + " ")) or line == "=" * MARKER_SIZE
        for line in text.splitlines()
    )


# --- a merge that `validate` would reject ------------------------------------------

_ENTRY_PATH = re.compile(r"^(topics|challenges|takeaways|sessions)\[(\d+)\]")


def check_result(result: MergeResult, ours: Journal, theirs: Journal, fmt: store.Format) -> list[Conflict]:
    """Turn what `validate` would reject in the merged journal into conflicts.

    Each side was valid on its own, but their combination may not be: a parent
    set on each side can close a cycle, sessions logged on two machines can
    overlap. Only problems neither side had count. The entries involved keep
    each side's own version (ours in `result.ours`, theirs in `result.theirs`),
    so the conflict markers show both and taking one side gives a valid file.
    """
    found = _new_errors(result, ours, theirs)
    if not found:
        return []
    pinned: set[tuple[str, str]] = set()
    conflicts = []
    for journal, path, code, message in found:
        where = _entry_at(journal, path)
        pinned |= _involved(journal, where, code)
        shown = f"{where[0]}[{where[1]}]" if where[1] else where[0]
        conflicts.append(Conflict(shown, f"the merged journal would fail validate: {message} ({code})"))
    result.ours = _pin(result.ours, ours, pinned)
    result.theirs = _pin(result.theirs, theirs, pinned)
    if _new_errors(result, ours, theirs):
        # Pinning the entries was not enough: offer each whole side.
        result.ours, result.theirs = ours, theirs
    if store.dumps(result.ours, fmt) == store.dumps(result.theirs, fmt):
        result.ours, result.theirs = ours, theirs
    return conflicts


def _errors(journal: Journal) -> list[tuple[str, str, str]]:
    from nexus_cli.core import check

    return check.rule_errors(journal)


def _new_errors(result: MergeResult, ours: Journal, theirs: Journal) -> list[tuple[Journal, str, str, str]]:
    sides = [result.ours] if _same_journal(result.ours, result.theirs) else [result.ours, result.theirs]
    found = [(side, *error) for side in sides for error in _errors(side)]
    if not found:
        return []
    known = {(code, message) for side in (ours, theirs) for _, code, message in _errors(side)}
    seen: set[tuple[str, str]] = set()
    new = []
    for side, path, code, message in found:
        if (code, message) not in known and (code, message) not in seen:
            seen.add((code, message))
            new.append((side, path, code, message))
    return new


def _same_journal(a: Journal, b: Journal) -> bool:
    if a is b:
        return True
    sections = all(_same_list(getattr(a, name), getattr(b, name)) for name in store.SECTIONS)
    return sections and _same(a.program, b.program) and _same(a.timer, b.timer)


def _entry_at(journal: Journal, path: str) -> tuple[str, str]:
    """Return (section, id) of the entry a problem's path points into; ("timer", "") and the like."""
    match = _ENTRY_PATH.match(path)
    if match is None:
        return (path.split(".", 1)[0].split("[", 1)[0] or "journal", "")
    items = getattr(journal, match.group(1))
    index = int(match.group(2))
    return (match.group(1), items[index].id if index < len(items) else "")


def _involved(journal: Journal, where: tuple[str, str], code: str) -> set[tuple[str, str]]:
    section, entry_id = where
    if code != "NX204" or section != "topics":
        return {where}
    parents = {t.id: t.parent for t in journal.topics}
    trail: list[str] = []
    node: str | None = entry_id
    while node is not None and node not in trail:
        trail.append(node)
        node = parents.get(node)
    return {("topics", member) for member in trail}


def _pin(merged: Journal, side: Journal, pinned: set[tuple[str, str]]) -> Journal:
    """Return `merged` with the pinned entries as `side` has them (or without them)."""
    update: dict[str, Any] = {}
    for name in ("program", "timer"):
        if (name, "") in pinned:
            update[name] = getattr(side, name)
    for name in store.SECTIONS:
        ids = {entry_id for section, entry_id in pinned if section == name}
        if not ids:
            continue
        own = {e.id: e for e in getattr(side, name)}
        update[name] = [
            own[e.id] if e.id in ids else e for e in getattr(merged, name) if e.id not in ids or e.id in own
        ]
    return merged.model_copy(update=update)
