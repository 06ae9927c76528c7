"""One view over many journals: a row per learner and what the cohort shares.

Reading a thousand journals is the slow part, so files are summarised in worker
processes (in chunks, one pool per run) when there are many; each worker sends
back only the small summary of each file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nexus_cli.core import store
from nexus_cli.core.convert.markdown_export import inline
from nexus_cli.core.convert.tabular import defuse
from nexus_cli.core.errors import InputError, NexusError
from nexus_cli.core.ids import slugify
from nexus_cli.core.models import ChallengeStatus, Journal, Status
from nexus_cli.core.stats import subtree_minutes
from nexus_cli.core.text import json_text

PARALLEL_FROM = 48  # fewer files than this are read in this process: a pool costs more
CHUNK = 25
SORTS = ("name", "hours", "recent", "week", "month", "open", "resolved", "last")
COMMON_LIMIT = 5


@dataclass
class Summary:
    """One journal in a report; `error` is set (and the numbers empty) when it is invalid."""

    path: str
    name: str
    programme: str = ""
    minutes: int = 0
    minutes_7d: int = 0
    minutes_28d: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    open_challenges: int = 0
    resolved_challenges: int = 0
    last_day: dt.date | None = None
    error: str | None = None
    challenges: list[tuple[str, str, str]] = field(default_factory=list)  # (key, title, status)
    topic_minutes: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (name, minutes)

    @property
    def valid(self) -> bool:
        return self.error is None


@dataclass
class CommonChallenge:
    key: str
    title: str
    journals: int
    open: int


@dataclass
class QuietTopic:
    id: str
    name: str
    minutes: int
    journals: int


@dataclass
class Report:
    rows: list[Summary]
    common_challenges: list[CommonChallenge]
    quiet_topics: list[QuietTopic]
    today: dt.date

    @property
    def invalid(self) -> list[Summary]:
        return [row for row in self.rows if not row.valid]


# --- finding and reading journals -----------------------------------------------------


def find_journals(paths: Sequence[str | Path]) -> list[Path]:
    """Return the journal files named, or found under named folders (*.toml, *.json, not hidden)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(
                    Path(folder) / name
                    for name in sorted(files)
                    if not name.startswith(".") and name.lower().endswith((".toml", ".json"))
                )
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise InputError(f"no such file or folder: {path}", hint="check the path")
    return list(dict.fromkeys(found))


def summarize(journal: Journal, path: str, today: dt.date) -> Summary:
    """Return the report row of one journal."""
    week_start = today - dt.timedelta(days=6)
    month_start = today - dt.timedelta(days=27)
    total = week = month = 0
    last: dt.date | None = None
    per_topic: dict[str, int] = defaultdict(int)
    for session in journal.sessions:
        minutes, day = session.minutes, session.date
        total += minutes
        per_topic[session.topic] += minutes
        if month_start <= day <= today:
            month += minutes
            if day >= week_start:
                week += minutes
        if last is None or day > last:
            last = day
    statuses = {status.value: 0 for status in Status}
    for topic in journal.topics:
        statuses[topic.status.value] += 1
    with_subtopics = subtree_minutes(journal, per_topic)
    opened = sum(1 for c in journal.challenges if c.status == ChallengeStatus.open)
    programme = journal.program.name if journal.program else ""
    return Summary(
        path=path,
        name=Path(path).stem,
        programme=programme,
        minutes=total,
        minutes_7d=week,
        minutes_28d=month,
        statuses=statuses,
        open_challenges=opened,
        resolved_challenges=len(journal.challenges) - opened,
        last_day=last,
        challenges=[(slugify(c.title), c.title, c.status.value) for c in journal.challenges],
        # a topic's hours include its subtopics', as on the dashboard and in `stats` ("total")
        topic_minutes={t.id: (t.name, with_subtopics.get(t.id, 0)) for t in journal.topics},
    )


def summarize_file(path: str, today: dt.date) -> Summary:
    """Read one journal file and return its row; an unreadable one gets a row with its error."""
    try:
        text = store.read_text(Path(path))
        journal = store.loads(text, store.format_for(path), path)
    except NexusError as exc:
        return Summary(path=path, name=Path(path).stem, error=_one_line(exc.message, path))
    except (RecursionError, ValueError) as exc:  # tomllib on pathological input
        return Summary(path=path, name=Path(path).stem, error=_one_line(str(exc), path))
    return summarize(journal, path, today)


def _one_line(message: str, path: str) -> str:
    message = message.removeprefix(path).lstrip(":").strip() or message
    return " ".join(message.split())


def _summarize_chunk(paths: list[str], today: dt.date) -> list[Summary]:
    return [summarize_file(path, today) for path in paths]


def summarize_files(paths: Sequence[Path], today: dt.date, workers: int | None = None) -> list[Summary]:
    """Return the rows of many journal files, reading them on every core when there are many."""
    names = [str(path) for path in paths]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if len(names) < PARALLEL_FROM or workers <= 1:
        return _summarize_chunk(names, today)
    chunk = max(1, min(CHUNK, len(names) // (workers * 4) or 1))
    chunks = [names[i : i + chunk] for i in range(0, len(names), chunk)]
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(_summarize_chunk, chunks, [today] * len(chunks))
            return [row for rows in results for row in rows]
    except (OSError, BrokenProcessPool, NotImplementedError):
        # No process pool here (a sandbox without semaphores): read them one by one.
        return _summarize_chunk(names, today)


# --- the cohort -------------------------------------------------------------------------


def build(rows: list[Summary], today: dt.date, limit: int = COMMON_LIMIT) -> Report:
    """Return the report: the rows, the most common challenges and the quietest topics."""
    valid = [row for row in rows if row.valid]
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    journals: Counter[str] = Counter()
    still_open: Counter[str] = Counter()
    for row in valid:
        keys = set()
        for key, title, status in row.challenges:
            seen[key][title] += 1
            if key not in keys:
                keys.add(key)
                journals[key] += 1
                still_open[key] += status == "open"
    common = [
        CommonChallenge(key, _usual(seen[key]), count, still_open[key])
        for key, count in sorted(journals.items(), key=lambda kv: (-kv[1], kv[0]))
    ][:limit]
    minutes: Counter[str] = Counter()
    names: dict[str, Counter[str]] = defaultdict(Counter)
    holders: Counter[str] = Counter()
    for row in valid:
        for topic_id, (name, spent) in row.topic_minutes.items():
            minutes[topic_id] += spent
            names[topic_id][name] += 1
            holders[topic_id] += 1
    quiet = [
        QuietTopic(topic_id, _usual(names[topic_id]), minutes[topic_id], holders[topic_id])
        for topic_id in sorted(holders, key=lambda t: (minutes[t], -holders[t], t))
    ][:limit]
    return Report(rows=rows, common_challenges=common, quiet_topics=quiet, today=today)


def _usual(names: Counter[str]) -> str:
    """Return the most used spelling of a name (ties: alphabetical)."""
    return min(names.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def sort_rows(rows: Iterable[Summary], by: str) -> list[Summary]:
    """Return rows sorted by `by` (a leading `-` reverses); invalid journals go last."""
    reverse = by.startswith("-")
    key_name = by.lstrip("-")
    if key_name not in SORTS:
        raise InputError(f"cannot sort a report by {key_name!r}", hint="sort by one of: " + ", ".join(SORTS))
    keys = {
        "name": lambda r: (r.name.lower(), r.path),
        "hours": lambda r: (-r.minutes, r.name.lower()),
        "week": lambda r: (-r.minutes_7d, r.name.lower()),
        "month": lambda r: (-r.minutes_28d, r.name.lower()),
        "recent": lambda r: (-(r.last_day or dt.date.min).toordinal(), r.name.lower()),
        "last": lambda r: (-(r.last_day or dt.date.min).toordinal(), r.name.lower()),
        "open": lambda r: (-r.open_challenges, r.name.lower()),
        "resolved": lambda r: (-r.resolved_challenges, r.name.lower()),
    }
    ordered = sorted((r for r in rows if r.valid), key=keys[key_name], reverse=reverse)
    return ordered + sorted((r for r in rows if not r.valid), key=lambda r: r.path)


# --- machine output ---------------------------------------------------------------------

COLUMNS = (
    "path",
    "name",
    "programme",
    "hours",
    "hours_7d",
    "hours_28d",
    *(status.value for status in Status),
    "open_challenges",
    "resolved_challenges",
    "last_day",
    "error",
)


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def row_record(row: Summary) -> dict[str, Any]:
    """Return a row as a flat, JSON-ready dict."""
    record: dict[str, Any] = {
        "path": row.path,
        "name": row.name,
        "programme": row.programme,
        "hours": _hours(row.minutes),
        "hours_7d": _hours(row.minutes_7d),
        "hours_28d": _hours(row.minutes_28d),
    }
    for status in Status:
        record[status.value] = row.statuses.get(status.value, 0)
    record["open_challenges"] = row.open_challenges
    record["resolved_challenges"] = row.resolved_challenges
    record["last_day"] = row.last_day.isoformat() if row.last_day else None
    record["error"] = row.error
    return record


def to_json(report: Report) -> str:
    """Return the whole report as JSON."""
    data = {
        "today": report.today.isoformat(),
        "journals": [row_record(row) for row in report.rows],
        "common_challenges": [asdict(item) for item in report.common_challenges],
        "quiet_topics": [{**asdict(item), "hours": _hours(item.minutes)} for item in report.quiet_topics],
        "invalid": len(report.invalid),
    }
    return json_text(data)


def to_csv(report: Report) -> str:
    """Return one CSV row per journal (spreadsheet formulas defused)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in report.rows:
        record = row_record(row)
        writer.writerow([defuse("" if record[c] is None else str(record[c])) for c in COLUMNS])
    return buffer.getvalue()


def to_markdown(report: Report) -> str:
    """Return the report as Markdown tables."""
    lines = [
        "| learner | programme | hours | last 7d | last 28d | topics | open/resolved | last study |",
        "|---|---|---:|---:|---:|---|---|---|",
    ]
    for row in report.rows:
        if not row.valid:
            lines.append(f"| {inline(row.name)} | invalid: {inline(row.error or '')} | | | | | | |")
            continue
        topics = ", ".join(f"{count} {status}" for status, count in row.statuses.items() if count)
        lines.append(
            f"| {inline(row.name)} | {inline(row.programme)} | {_hours(row.minutes):g} | "
            f"{_hours(row.minutes_7d):g} | {_hours(row.minutes_28d):g} | {topics} | "
            f"{row.open_challenges}/{row.resolved_challenges} | {row.last_day or ''} |"
        )
    if report.common_challenges:
        lines += [
            "",
            "**Most common challenges**",
            "",
            "| challenge | journals | still open |",
            "|---|---:|---:|",
        ]
        lines += [f"| {inline(c.title)} | {c.journals} | {c.open} |" for c in report.common_challenges]
    if report.quiet_topics:
        lines += [
            "",
            "**Topics with the fewest hours**",
            "",
            "| topic | hours (with subtopics) | journals |",
            "|---|---:|---:|",
        ]
        lines += [f"| {inline(t.name)} | {_hours(t.minutes):g} | {t.journals} |" for t in report.quiet_topics]
    return "\n".join(lines) + "\n"
