"""The table view of `nexus report`."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from nexus_cli.core.models import Status
from nexus_cli.core.report import Report
from nexus_cli.render.common import STATUS_STYLE, duration_text, relative_day, safe


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def render_report(report: Report) -> RenderableType:
    """Return the report: a row per journal, then the cohort's common challenges and quiet topics."""
    rows = _table(
        f"{len(report.rows)} journal" + ("" if len(report.rows) == 1 else "s"),
        "learner",
        "programme",
        "total",
        "7d",
        "28d",
        "topics",
        "open",
        "done",
        "last",
    )
    for row in report.rows:
        if not row.valid:
            rows.add_row(safe(row.name, "bold"), safe("invalid: " + (row.error or ""), "red"))
            continue
        topics = Text()
        for status in Status:
            count = row.statuses.get(status.value, 0)
            if count:
                topics.append(
                    ("  " if topics else "") + f"{count} {status.value}", STATUS_STYLE[status.value]
                )
        rows.add_row(
            safe(row.name, "bold"),
            safe(row.programme),
            duration_text(row.minutes),
            duration_text(row.minutes_7d),
            duration_text(row.minutes_28d),
            topics,
            str(row.open_challenges),
            str(row.resolved_challenges),
            relative_day(row.last_day, report.today) if row.last_day else Text("never", "dim"),
        )
    parts: list[RenderableType] = [rows]
    if report.common_challenges:
        common = _table("Most common challenges", "challenge", "journals", "still open")
        for item in report.common_challenges:
            common.add_row(safe(item.title), str(item.journals), str(item.open))
        parts += [Text(), common]
    if report.quiet_topics:
        quiet = _table("Topics with the fewest hours", "topic", "time (with subtopics)", "journals")
        for topic in report.quiet_topics:
            quiet.add_row(safe(topic.name), duration_text(topic.minutes), str(topic.journals))
        parts += [Text(), quiet]
    return Group(*parts)
