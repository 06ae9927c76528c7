"""Write a journal as a portfolio README: the Markdown a learner publishes.

User text is escaped so that it stays text: it cannot open a heading, a list,
a table cell, raw HTML or a link. Escaping only ever adds a backslash before
ASCII punctuation, so `markdown_import` gets the exact text back.
"""

from __future__ import annotations

import re
from collections import defaultdict

from nexus_cli.core.models import Challenge, ChallengeStatus, Journal, Status, Takeaway, Topic
from nexus_cli.core.parse import format_minutes
from nexus_cli.core.queries import minutes_by_topic, topic_order
from nexus_cli.core.text import neutralize

CATEGORY_HEADINGS = {
    "technology": "Key Technologies Covered",
    "concept": "Key Concepts",
}
DEFAULT_TITLE = "Learning Journal"
OPEN_MARKER = "*Not solved yet.*"

# Characters that are Markdown syntax wherever they stand.
_ALWAYS = re.compile(r"([\\`*\[\]|])")
# `_` emphasises only at a word's edge; inside snake_case it is plain text.
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# `<` opens HTML or an autolink only before a letter, `/`, `!` or `?`.
_HTML_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# A `#` opens a heading at the start of a line, and a last run of them after a space
# closes one; anywhere else (`C#`, `issue #3`) it is plain text.
_HASH = re.compile(r"^#|(?<=\s)#(?=#*$)")
# No link can form once brackets and `<` are escaped; this breaks the scheme too.
_SCHEME = re.compile(r"(?i)\b(javascript|vbscript|data)(:)")
# A paragraph starting like this would become a list, quote, heading or fence.
_BLOCK_START = re.compile(r"^([-+>=~])")
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])")
# A paragraph starting with a label the importer reads as structure.
_LABEL_START = re.compile(r"(?i)^((?:problem|challenge|solution|solved|fix|how i solved it)\s*):")


def inline(text: str) -> str:
    """Return user text as one line of Markdown that shows exactly that text."""
    line = " ".join(neutralize(text).split())
    line = _ALWAYS.sub(r"\\\1", line)
    line = _UNDERSCORE.sub(r"\\_", line)
    line = _HTML_OPEN.sub(r"\\<", line)
    line = _ENTITY.sub(r"\\&", line)
    line = _HASH.sub(r"\\#", line)
    return _SCHEME.sub(r"\1\\:", line)


def bold(text: str) -> str:
    """Return user text as a bold label; a colon that would read as a field label is escaped."""
    label = _LABEL_START.sub(r"\1\\:", inline(text))
    trailing = re.search(r"(\\*):$", label)
    if trailing and len(trailing.group(1)) % 2 == 0:
        label = label[:-1] + "\\:"
    return f"**{label}**"


def paragraphs(text: str) -> list[str]:
    """Return user text as escaped Markdown paragraphs (blank lines kept, lines joined)."""
    out = []
    for block in re.split(r"\n\s*\n", text or ""):
        line = inline(block)
        if not line:
            continue
        line = _BLOCK_START.sub(r"\\\1", line)
        line = _ORDERED_START.sub(r"\1\\\2", line)
        line = _LABEL_START.sub(r"\1\\:", line)
        out.append(line)
    return out


def category_heading(category: str) -> str:
    """Return the heading a topic category gets in the README."""
    known = CATEGORY_HEADINGS.get(category)
    if known:
        return known
    words = re.split(r"[-_\s]+", category.strip())
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or category


def _hours(minutes: int) -> str:
    """Return hours the way the terminal shows them: 21h15m, 45m, 226h."""
    return format_minutes(minutes) if minutes else "—"


def top_level(journal: Journal) -> dict[str, str]:
    """Return each topic's top-level ancestor (itself for a top-level topic).

    A topic caught in a parent loop (which `nexus validate` reports) stands on
    its own, so that the README still lists it.
    """
    parent_of = {t.id: t.parent for t in journal.topics}
    tops = {}
    for topic in journal.topics:
        current, seen = topic.id, {topic.id}
        while parent_of.get(current) in parent_of and parent_of[current] not in seen:
            current = parent_of[current]  # type: ignore[assignment]
            seen.add(current)
        tops[topic.id] = topic.id if parent_of.get(current) in seen else current
    return tops


def _topic_lines(journal: Journal) -> list[str]:
    tops = top_level(journal)
    children: dict[str, list[Topic]] = defaultdict(list)
    roots: list[Topic] = []
    for topic in topic_order(journal):
        if tops[topic.id] == topic.id:
            roots.append(topic)
        else:
            children[topic.parent or ""].append(topic)
    by_category: dict[str, list[Topic]] = defaultdict(list)
    for topic in roots:
        by_category[topic.category].append(topic)
    order = [c for c in CATEGORY_HEADINGS if c in by_category]
    order += [c for c in by_category if c not in CATEGORY_HEADINGS]

    def bullet(topic: Topic, depth: int, seen: set[str]) -> list[str]:
        seen.add(topic.id)
        notes = inline(topic.notes)
        line = "  " * depth + f"- {bold(topic.name)}" + (f": {notes}" if notes else "")
        lines = [line]
        for child in children.get(topic.id, []):
            if child.id not in seen:
                lines += bullet(child, depth + 1, seen)
        return lines

    lines = ["## Major Learnings"]
    seen: set[str] = set()
    for category in order:
        lines += ["", f"### {inline(category_heading(category))}", ""]
        for topic in by_category[category]:
            lines += bullet(topic, 0, seen)
    return lines


def _challenge_lines(challenge: Challenge) -> list[str]:
    lines = ["", bold(challenge.title)]
    for paragraph in paragraphs(challenge.problem):
        lines += ["", paragraph]
    solution = paragraphs(challenge.solution)
    if solution:
        label = "Solution" if challenge.status == ChallengeStatus.resolved else "Solution so far"
        solution[0] = f"**{label}:** {solution[0]}"
        for paragraph in solution:
            lines += ["", paragraph]
    else:
        lines += ["", OPEN_MARKER]
    return lines


def _takeaway_line(takeaway: Takeaway) -> str:
    text = inline(takeaway.text)
    return f"- {bold(takeaway.title)}" + (f": {text}" if text else "")


def _progress_lines(journal: Journal, picture: str | None = None) -> list[str]:
    tops = top_level(journal)
    totals: dict[str, int] = defaultdict(int)
    for topic_id, minutes in minutes_by_topic(journal).items():
        totals[tops.get(topic_id, topic_id)] += minutes
    roots = [t for t in topic_order(journal) if tops[t.id] == t.id]
    if not any(totals.get(t.id) or t.status != Status.planned for t in roots):
        return []
    lines = ["## Progress", ""]
    logged = sum(s.minutes for s in journal.sessions)
    if journal.sessions:
        first = min(s.date for s in journal.sessions)
        last = max(s.date for s in journal.sessions)
        count = len(journal.sessions)
        total, plural = _hours(logged), "s" if count != 1 else ""
        lines += [f"{total} of study in {count} session{plural}, from {first} to {last}.", ""]
    if picture:
        lines += [f"![The progress dashboard]({_link(picture)})", ""]
    lines += ["| Topic | Status | Hours |", "| --- | --- | ---: |"]
    for topic in roots:
        status, hours = topic.status.value.capitalize(), _hours(totals.get(topic.id, 0))
        lines.append(f"| {inline(topic.name)} | {status} | {hours} |")
    if logged:
        lines.append(f"| **Total** | | **{_hours(logged)}** |")
    return lines


def _link(target: str) -> str:
    """Return a path as a Markdown link target: spaces and brackets would end it early."""
    return target.replace("\\", "/").replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def export_markdown(journal: Journal, *, picture: str | None = None) -> str:
    """Return the journal as a portfolio README (deterministic: same journal, same text).

    `picture`, a path relative to the README, adds the dashboard's picture to
    the progress section.
    """
    program = journal.program
    sections: list[list[str]] = [[f"# {inline(program.name if program else DEFAULT_TITLE)}"]]
    overview = paragraphs(program.description) if program else []
    if overview:
        section = ["## Overview"]
        for paragraph in overview:
            section += ["", paragraph]
        sections.append(section)
    if journal.topics:
        sections.append(_topic_lines(journal))
    if journal.challenges:
        section = ["## Challenges and Solutions"]
        for challenge in journal.challenges:
            section += _challenge_lines(challenge)
        sections.append(section)
    if journal.takeaways:
        sections.append(
            ["## Best Practices and Takeaways", "", *(_takeaway_line(t) for t in journal.takeaways)]
        )
    progress = _progress_lines(journal, picture)
    if progress:
        sections.append(progress)
    return "\n\n".join("\n".join(section) for section in sections) + "\n"
