"""Fifty-odd writers at once: every change lands; readers never see a missing, empty or partial file.

This is the one test of parallel writers (the light path's splices included).
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time

import pytest
from attack import BIN, nexus, temp_files

from nexus_cli.core import store

TOPICS = ["python", "django", "docker", "postgresql", "rabbitmq", "decorators"]


def _writers() -> list[tuple[str, ...]]:
    commands: list[tuple[str, ...]] = []
    for i in range(20):
        commands.append(("log", TOPICS[i % len(TOPICS)], f"{i + 1}m", "--note", f"par-{i:02d}"))
    for i in range(10):
        commands.append(("add", "topic", f"Parallel {i:02d}", "--category", "concept"))
    for i in range(10):
        commands.append(("add", "challenge", f"Race {i:02d}", "-t", TOPICS[i % len(TOPICS)]))
    for i in range(6):
        commands.append(("solve", f"challenge-{i}", "--solution", f"solved-{i}"))
    for i, topic in enumerate(TOPICS):
        commands.append(("edit", topic, "--notes", f"edited-{i}"))
    return commands


@pytest.mark.slow
def test_parallel_writers_all_land_while_readers_see_whole_files(journal):
    initial = len(store.load_journal(journal).sessions)
    commands = _writers()
    assert len(commands) >= 50
    done = threading.Event()
    problems: list[str] = []
    reads = {"cli": 0, "file": 0}

    def cli_reader() -> None:
        seen = initial
        while not done.is_set():
            try:
                run = nexus("list", "sessions", "--format", "json")
            except subprocess.TimeoutExpired as exc:
                problems.append(f"reader hung: {exc}")
                return
            if run.returncode != 0:
                problems.append(f"reader failed: {run}")
                return
            try:
                count = len(json.loads(run.stdout))
            except ValueError:
                problems.append(f"reader got partial JSON: {run.stdout[-200:]!r}")
                return
            if count < seen:
                problems.append(f"reader saw {count} sessions after seeing {seen}")
            seen = count
            reads["cli"] += 1

    def file_reader() -> None:
        while not done.is_set():
            try:
                count = len(store.load(journal).journal.sessions)
            except Exception as exc:  # any failure at all is the bug we are looking for
                problems.append(f"the file was missing, empty or partial: {exc}")
                return
            if count < initial:
                problems.append(f"the file lost sessions: {count} < {initial}")
            reads["file"] += 1

    readers = [threading.Thread(target=cli_reader), threading.Thread(target=file_reader)]
    for reader in readers:
        reader.start()
    started = time.monotonic()
    try:
        procs = [
            subprocess.Popen(
                [str(BIN), *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy()
            )
            for command in commands
        ]
        failures = []
        for command, proc in zip(commands, procs, strict=True):
            _, stderr = proc.communicate(timeout=300)
            if proc.returncode != 0:
                failures.append(f"{' '.join(command)}: {stderr.decode()}")
    finally:
        done.set()
        for reader in readers:
            reader.join(timeout=60)
    elapsed = time.monotonic() - started
    assert not failures, failures
    assert not problems, problems
    assert reads["cli"] >= 1 and reads["file"] >= 10, reads

    final = store.load_journal(journal)
    notes = {s.note for s in final.sessions}
    assert {f"par-{i:02d}" for i in range(20)} <= notes
    assert len(final.sessions) == initial + 20
    names = {t.name for t in final.topics}
    assert {f"Parallel {i:02d}" for i in range(10)} <= names
    titles = {c.title for c in final.challenges}
    assert {f"Race {i:02d}" for i in range(10)} <= titles
    solved = {c.id: c.solution for c in final.challenges}
    assert all(solved[f"challenge-{i}"] == f"solved-{i}" for i in range(6))
    notes_of = {t.id: t.notes for t in final.topics}
    assert all(notes_of[topic] == f"edited-{i}" for i, topic in enumerate(TOPICS))
    assert not temp_files(journal.parent)
    # Logs on a canonical, cached file take the light path (a splice): its bytes must
    # still be exactly the full dump, after fifty writers in any order.
    assert store.dumps(final, "toml") == journal.read_text(encoding="utf-8")
    print(f"{len(commands)} writers in {elapsed:.1f}s; reads during the writes: {reads}")
