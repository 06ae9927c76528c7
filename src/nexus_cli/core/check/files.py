"""Checks over paths: find the journal files in folders, check many at once."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nexus_cli.core.check.codes import CODES, FileResult, Format, Problem
from nexus_cli.core.check.journal import check_bytes
from nexus_cli.core.check.syntax import sniff_format

STDIN = "-"
STDIN_NAME = "<stdin>"
PARALLEL_THRESHOLD = 8


def _is_journal_name(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".toml", ".json")) and not name.startswith(".")


def _walk(folder: str) -> list[str | FileResult]:
    """Return the journal files under `folder`, and a problem for each folder not read."""
    found: list[str | FileResult] = []

    def unreadable(exc: OSError) -> None:
        # A folder that cannot be listed may hold journals: never "no problems".
        where = exc.filename or folder
        reason = (exc.strerror or str(exc)).lower()
        found.append(
            _path_problem(where, "NX001", f"cannot read folder: {reason}", "check the folder's permissions")
        )

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        # Hidden folders hold tool state (.git, .venv) and nexus's own backups.
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(os.path.join(root, name) for name in files if _is_journal_name(name))
    return sorted(found, key=lambda item: item if isinstance(item, str) else item.file)


def _missing_reason(path: str) -> str:
    """Say why a path that os.path.exists() calls missing is not there: absent, or not reachable."""
    try:
        os.lstat(path)
    except PermissionError:
        from nexus_cli.core import store

        return store.denied_reason(path)
    except OSError:
        pass
    return "no such file or folder"


def expand(paths: Iterable[str]) -> list[str | FileResult]:
    """Return, in order, the files to check (folders searched) and results for bad paths."""
    items: list[str | FileResult] = []
    seen: set[str] = set()
    for path in paths:
        found: list[str | FileResult]
        if path == STDIN:
            found = [STDIN]
        elif os.path.isdir(path):
            found = _walk(path)
            if not found:
                items.append(_path_problem(path, "NX009", f"no *.toml or *.json files in {path}"))
        elif os.path.exists(path) or os.path.islink(path):
            found = [path]
        else:
            items.append(_path_problem(path, "NX001", _missing_reason(path)))
            continue
        for item in found:
            if isinstance(item, FileResult):
                items.append(item)
            elif item not in seen:
                seen.add(item)
                items.append(item)
    return items


def run(
    paths: Iterable[str], *, jobs: int | None = None, stdin: Any = None, stdin_format: Format | None = None
) -> list[FileResult]:
    """Check every path (files, folders, - for stdin) and return the results in order."""
    items = expand(paths)
    files = [item for item in items if isinstance(item, str) and item != STDIN]
    checked = dict(zip(files, check_many(files, jobs=jobs), strict=True))
    results = []
    for item in items:
        if isinstance(item, FileResult):
            results.append(item)
        elif item == STDIN:
            raw = stdin.read() if stdin is not None else b""
            results.append(
                FileResult(STDIN_NAME, check_bytes(raw, STDIN_NAME, stdin_format or sniff_format(raw)))
            )
        else:
            results.append(checked[item])
    return results


def _path_problem(path: str, code: str, message: str, hint: str = "") -> FileResult:
    if not hint:
        hint = (
            "check the path; validate takes files, folders and - for stdin"
            if code == "NX001"
            else "point validate at the folder that holds the journals"
        )
    problem = Problem(path, None, None, "", code, CODES[code].severity, message, hint)
    return FileResult(path, [problem])


def check_path(path: str) -> FileResult:
    """Read one file and return all its problems."""
    from nexus_cli.core import store
    from nexus_cli.core.errors import NexusError

    try:
        # never open a FIFO or device for reading: it would hang, or never end
        raw = store.read_input(Path(path))
    except NexusError as exc:
        shown = str(Path(path))  # how the message names it (./a.toml is a.toml there)
        reason = exc.message.removeprefix(f"{shown} ").removeprefix(f"{shown}: ")
        if reason.startswith("cannot read "):
            reason = "cannot read: " + reason.partition(": ")[2].lower()
            return _path_problem(path, "NX001", reason, "check the file's permissions")
        return _path_problem(path, "NX001", reason, exc.hint or "")
    return FileResult(path, check_bytes(raw, path, store.format_for(path)))


def check_many(files: list[str], *, jobs: int | None = None) -> list[FileResult]:
    """Check files, in parallel processes when there are many; results in input order."""
    workers = jobs if jobs and jobs > 0 else os.cpu_count() or 1
    workers = min(workers, len(files))
    if len(files) <= PARALLEL_THRESHOLD or workers <= 1:
        return [check_path(path) for path in files]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, len(files) // (workers * 8))
    try:
        with ProcessPoolExecutor(workers) as pool:
            return list(pool.map(check_path, files, chunksize=chunk))
    except (OSError, BrokenProcessPool, NotImplementedError):
        # No process pool here (a sandbox without semaphores): check one by one.
        return [check_path(path) for path in files]
