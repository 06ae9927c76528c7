"""Undo and redo: put back a version of the journal kept in its history (history.py).

Undo is planned first (what would change, as a diff) and applied after the
user agreed, under the lock, only if the journal is still the text the plan
was made from. Each version in the history records the hash of the text that
replaced it, so a journal changed since nexus wrote it (by hand, by a sync,
by another program) is never rolled back over that change. The text an undo
replaces is kept as a redo entry, and the journal's backup, so an undo can
itself be taken back.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from nexus_cli.core.errors import InputError, JournalError, NotFoundError
from nexus_cli.core.store import codec, history
from nexus_cli.core.store.files import atomic_write, decode, notice, read_bytes, real_path
from nexus_cli.core.store.lock import locked


@dataclass
class UndoPlan:
    """What an undo (or redo) would do: the text now, the text after, and the versions it uses."""

    path: Path
    current: bytes
    restored: bytes
    steps: list[history.Version]
    redo: bool

    def diff(self) -> str:
        """Return the change as a unified diff, from the journal now to the journal after."""
        name = self.path.name
        before = decode(self.current, str(self.path)).splitlines(keepends=True)
        after = decode(self.restored, str(self.path)).splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, f"{name} (now)", f"{name} (after {self.verb})")
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)

    @property
    def verb(self) -> str:
        return "redo" if self.redo else "undo"


def plan(path: Path, *, steps: int = 1, redo: bool = False) -> UndoPlan:
    """Return the plan to go `steps` changes back (or forward with `redo`); raise if it cannot be clean."""
    if steps < 1:
        raise InputError("--steps must be 1 or more")
    target = real_path(path)
    current = read_bytes(path)
    kept = history.versions(target, redo=redo)
    what = "redo" if redo else "undo"
    if not kept:
        hint = (
            "nothing was undone since the last change" if redo else "nexus keeps the last versions it wrote"
        )
        raise NotFoundError(f"nothing to {what} for {path}", hint=hint)
    if steps > len(kept):
        raise InputError(
            f"cannot {what} {steps} changes: only {len(kept)} kept for {path}",
            hint=f"nexus keeps the last {history.KEEP} versions",
        )
    chosen = list(reversed(kept))[:steps]
    expected = history.digest(current)
    for version in chosen:
        if version.replaced_by != expected:
            if version is chosen[0]:
                raise JournalError(
                    f"cannot {what}: {path} changed since nexus last wrote it (edited by hand, by a sync"
                    f" or by another program), and {what} would throw that change away",
                    hint=f"the kept versions are in {history.folder(target)}; copy one back if you mean it",
                )
            raise JournalError(
                f"cannot {what} {steps} changes: the kept versions of {path} do not follow each other"
                f" (a change in between was not made by nexus)",
                hint=f"{what} fewer steps; the kept versions are in {history.folder(target)}",
            )
        expected = history.digest(version.read())
    restored = chosen[-1].read()
    codec.loads(decode(restored, str(path)), codec.format_for(path), f"{path} ({what})")  # still a journal
    return UndoPlan(path, current, restored, chosen, redo)


def apply(change: UndoPlan) -> None:
    """Write the planned version, under the lock, if the journal is still what the plan saw."""
    target = real_path(change.path)
    with locked(change.path):
        if read_bytes(change.path) != change.current:
            raise JournalError(
                f"{change.path} changed while you were deciding; nothing was {change.verb}ne",
                hint=f"run `nexus undo{' --redo' if change.redo else ''}` again to see the change now",
            )
        atomic_write(change.path, change.restored)  # the backup keeps the text replaced here
        texts = [change.current] + [version.read() for version in change.steps]
        try:
            _bookkeeping(target, change, texts)
        except OSError as exc:  # the journal is written; only the history lags behind
            notice(
                f"{change.path} was {change.verb}ne, but its history could not be updated ({exc.strerror})"
            )


def _bookkeeping(target: Path, change: UndoPlan, texts: list[bytes]) -> None:
    pairs = zip(texts[:-1], texts[1:], change.steps, strict=True)
    if change.redo:
        # each redone step goes back into the history, as if just written
        for older, newer, version in pairs:
            history.record(target, older, newer, clear_redo=False)
            history.forget(version)
    else:
        # each undone step becomes a redo entry, the nearest one last
        for newer, older, version in pairs:
            history.record_redo(target, newer, older)
            history.forget(version)
