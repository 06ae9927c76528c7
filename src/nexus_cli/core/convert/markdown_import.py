"""Read a portfolio README back into a journal.

The README is read by its structure and the words of its headings, so the
shape `markdown_export` writes and the ones learners write by hand both work:
any heading levels, `-`/`*`/`+` bullets, `**Name**: notes`, `**Name** - notes`
or `Name: notes`, challenges as bold paragraphs, bullets or sub-headings.

Merging never loses anything: an entry that exists (same name, or same slug
id) only has its empty fields filled in, and importing a file twice adds
nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TypeVar

from nexus_cli.core import clock
from nexus_cli.core.convert.markdown_export import DEFAULT_TITLE
from nexus_cli.core.convert.merge_import import ADD, KEPT, UPDATE, Change
from nexus_cli.core.ids import all_ids, slugify, unique_slug
from nexus_cli.core.models import (
    MAX_TEXT,
    MAX_TITLE,
    Challenge,
    ChallengeStatus,
    Journal,
    Program,
    Status,
    Takeaway,
    Topic,
    build,
    label_of,
)
from nexus_cli.core.queries import makes_loop

# --- what a README says -------------------------------------------------------


@dataclass
class ParsedTopic:
    name: str
    category: str
    notes: str = ""
    parent: str | None = None
    status: Status | None = None


@dataclass
class ParsedChallenge:
    title: str
    problem: str = ""
    solution: str = ""
    resolved: bool = False


@dataclass
class ParsedTakeaway:
    title: str
    text: str = ""


@dataclass
class Readme:
    """The entries a README holds, in the order it lists them."""

    title: str = ""
    description: str = ""
    topics: list[ParsedTopic] = field(default_factory=list)
    challenges: list[ParsedChallenge] = field(default_factory=list)
    takeaways: list[ParsedTakeaway] = field(default_factory=list)
    statuses: dict[str, Status] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """Return whether nothing in the README could be read."""
        return not (self.title or self.description or self.topics or self.challenges or self.takeaways)


# --- text helpers ---------------------------------------------------------------

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape(text: str) -> str:
    """Return Markdown text with its backslash escapes removed, whitespace collapsed."""
    return " ".join(_ESCAPED.sub(r"\1", text).split())


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_BOLD = r"(\*\*|__)((?:\\.|[^\\])+?)\1"
_ITEM_FORMS = [
    # **Name**: notes, **Name** - notes
    re.compile(r"^" + _BOLD + r"\s*(?::|\s[-–—])\s*(?P<rest>.*)$", re.S),
    re.compile(r"^(\*\*|__)((?:\\.|[^\\])+?):\1\s*(?P<rest>.*)$", re.S),  # **Name:** notes
    re.compile(r"^" + _BOLD + r"\s*(?P<rest>.*)$", re.S),  # **Name** / **Name** notes
]
_PLAIN_FORMS = [
    re.compile(
        r"^(?P<name>\[[^\]]+\]\([^)]*\))\s*(?::|\s[-–—])?\s*(?P<rest>.*)$", re.S
    ),  # [Name](url): notes
    # Name: notes, Name - notes (names are short: the bound also keeps matching linear)
    re.compile(r"^(?P<name>(?:\\.|[^\\:]){1,80}?)\s*:\s+(?P<rest>.*)$", re.S),
    re.compile(r"^(?P<name>.{1,80}?)\s+[-–—]\s+(?P<rest>.*)$", re.S),
]
_LINK = re.compile(r"^\[(.+)\]\([^)]*\)$")


def _split_raw(text: str) -> tuple[str, str]:
    """Return the (name, rest) Markdown of a bullet, still escaped."""
    raw = text.strip()
    for form in _ITEM_FORMS:
        match = form.match(raw)
        if match:
            name, rest = match.group(2), match.group("rest")
            break
    else:
        for form in _PLAIN_FORMS:
            match = form.match(raw)
            if match and len(match.group("name")) <= 80:
                name, rest = match.group("name"), match.group("rest")
                break
        else:
            name, rest = raw, ""
    link = _LINK.match(name.strip())
    return (link.group(1) if link else name), rest


def split_item(text: str) -> tuple[str, str]:
    """Return (name, notes) of a bullet such as `**Docker**: containers`."""
    name, rest = _split_raw(text)
    return _clip(unescape(name), MAX_TITLE), _clip(unescape(rest), MAX_TEXT)


# --- blocks -----------------------------------------------------------------------

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BULLET = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INNER_SPACE = re.compile(r"(?<=\S)[ \t]+")


@dataclass
class Block:
    kind: str  # heading, bullet, para, table
    text: str = ""
    level: int = 0  # heading level, or a bullet's indent
    lines: list[str] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    """Split Markdown into headings, bullets, paragraphs and tables (code and HTML comments skipped)."""
    out: list[Block] = []
    para: list[str] = []
    fence: str | None = None
    in_comment = False
    after_bullet = False  # the previous line was a bullet or its continuation

    def flush() -> None:
        if para:
            out.append(Block("para", "\n".join(para), lines=list(para)))
            para.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        # One space between words is all Markdown reads, and it keeps every pattern linear.
        line = _INNER_SPACE.sub(" ", raw.rstrip())
        if fence:
            if line.strip().startswith(fence):
                fence = None
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        fenced = _FENCE.match(line)
        if fenced:
            flush()
            fence, after_bullet = fenced.group(1)[:3], False
            continue
        if line.lstrip().startswith("<!--"):
            flush()
            in_comment, after_bullet = "-->" not in line, False
            continue
        if not line.strip():
            flush()
            after_bullet = False
            continue
        setext = _SETEXT.match(line)
        if setext and len(para) == 1:
            out.append(Block("heading", para[0].strip(), level=1 if setext.group(1)[0] == "=" else 2))
            para.clear()
            continue
        if _BREAK.match(line):
            flush()
            after_bullet = False
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            out.append(Block("heading", (heading.group(2) or "").strip(), level=len(heading.group(1))))
            after_bullet = False
            continue
        bullet = _BULLET.match(line)
        if bullet and not line.lstrip().startswith(("**", "__")):
            flush()
            indent = len(bullet.group(1).expandtabs(4))
            out.append(Block("bullet", bullet.group(2).strip(), level=indent))
            after_bullet = True
            continue
        if line.lstrip().startswith("|"):
            flush()
            if out and out[-1].kind == "table":
                out[-1].lines.append(line.strip())
            else:
                out.append(Block("table", lines=[line.strip()]))
            after_bullet = False
            continue
        if after_bullet and out and out[-1].kind == "bullet":
            out[-1].text += " " + line.strip()  # a bullet's continuation line
            continue
        if not para and raw[:1] in (" ", "\t") and out and out[-1].kind == "bullet":
            out[-1].text += " " + line.strip()  # an indented paragraph inside a list item
            continue
        para.append(line.strip())
    flush()
    return out


# --- sections ---------------------------------------------------------------------

_SECTION_WORDS = [
    ("challenges", r"challenge|obstacle|difficult|struggle|hurdle|problems"),
    ("takeaways", r"takeaway|practice|lesson|principle|\btips\b|advice"),
    ("overview", r"overview|\babout\b|introduction|summary|background"),
    ("progress", r"progress|time spent|\bhours\b"),
    ("category:technology", r"technolog"),
    ("category:concept", r"concept"),
    ("learnings", r"learn|covered|skill|topic|curriculum|studied|\bstack\b|\btools\b"),
]


def classify(heading: str, parent: str | None) -> str:
    """Return what a heading opens, given the section it sits in."""
    words = heading.lower()
    if parent == "challenges":
        return "challenge"
    if parent == "challenge":
        if re.search(r"solution|solved|worked|fix|resolution", words):
            return "challenge:solution"
        if re.search(r"problem|issue|challenge|what was hard", words):
            return "challenge:problem"
        return "other"
    if parent == "takeaways":
        return "takeaway"
    for kind, pattern in _SECTION_WORDS:
        if re.search(pattern, words):
            if kind == "learnings" and parent in ("learnings",):
                break  # "Tools" under "Major Learnings" is a category of its own
            return kind
    if parent == "learnings":
        return "category:" + slugify(unescape(heading))
    if parent and parent.startswith("category:"):
        return "topic:" + parent.split(":", 1)[1]
    return "other"


_SOLUTION = re.compile(
    r"^(\*\*|__|\*|_)?(?:solution|solutions|how i solved it|what worked|resolution|fix|solved)"
    r"(?P<sofar>\s+so\s+far)?\s*(?::(?:\1)?|(?:\1):)\s*(?P<rest>.*)$",
    re.I | re.S,
)
_PROBLEM = re.compile(
    r"^(\*\*|__|\*|_)?(?:problem|challenge|issue|what was hard)\s*(?::(?:\1)?|(?:\1):)\s*(?P<rest>.*)$",
    re.I | re.S,
)
_OPEN = re.compile(r"^(\*\*|__|\*|_)(?:not (?:yet )?solved(?: yet)?|still open|unsolved)[.!]?\1$", re.I)
_SOLUTION_VERBS = (
    "spent|worked|required|solved|used|fixed|practiced|practised|took|read|resolved|broke|built|"
    "went|studied|followed|wrote|asked|paired|switched|tackled|overcame|watched|added|"
    "eventually|finally|in the end|i solved|i fixed|i used|i spent|i worked|i read"
)
_SOLUTION_START = re.compile(rf"^(?:{_SOLUTION_VERBS})\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_BOLD_LINE = re.compile(r"^" + _BOLD + r"\s*:?\s*$")


@dataclass
class _Item:
    """A challenge or takeaway being read: its title and its paragraphs."""

    title: str
    body: list[str] = field(default_factory=list)
    solution: list[str] = field(default_factory=list)
    part: str = "body"

    def add(self, text: str) -> None:
        (self.solution if self.part == "solution" else self.body).append(text)


def split_solution(text: str) -> tuple[str, str]:
    """Split an unlabelled challenge paragraph into problem and solution by its sentences."""
    sentences = _SENTENCE.split(text)
    for index, sentence in enumerate(sentences[1:], start=1):
        if _SOLUTION_START.match(sentence):
            return " ".join(sentences[:index]), " ".join(sentences[index:])
    return text, ""


def _challenge(item: _Item) -> ParsedChallenge:
    problem: list[str] = []
    solution: list[str] = []
    explicit, open_marker, so_far = bool(item.solution), False, False
    target = problem
    for paragraph in item.body:
        if _OPEN.match(paragraph.strip()):
            open_marker = True
            continue
        labelled = _SOLUTION.match(paragraph)
        if labelled:
            explicit, target = True, solution
            so_far = so_far or bool(labelled.group("sofar"))
            paragraph = labelled.group("rest")
        else:
            labelled = _PROBLEM.match(paragraph)
            if labelled:
                target, paragraph = problem, labelled.group("rest")
        target.append(unescape(paragraph))
    solution += [unescape(p) for p in item.solution]
    problem_text = "\n\n".join(p for p in problem if p)
    solution_text = "\n\n".join(p for p in solution if p)
    if not explicit and not open_marker:
        problem_text, solution_text = split_solution(" ".join(p for p in problem if p))
    return ParsedChallenge(
        title=_clip(item.title, MAX_TITLE),
        problem=_clip(problem_text, MAX_TEXT),
        solution=_clip(solution_text, MAX_TEXT),
        resolved=bool(solution_text) and not so_far,
    )


def _takeaway(item: _Item) -> ParsedTakeaway:
    text = "\n\n".join(t for t in (unescape(p) for p in [*item.body, *item.solution]) if t)
    return ParsedTakeaway(title=_clip(item.title, MAX_TITLE), text=_clip(text, MAX_TEXT))


def _table_statuses(lines: list[str]) -> dict[str, Status]:
    rows = [[cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))] for line in lines]
    rows = [row for row in rows if not all(re.fullmatch(r":?-+:?", cell) for cell in row if cell)]
    if len(rows) < 2:
        return {}
    header = [unescape(cell).lower() for cell in rows[0]]
    name_col = next((i for i, h in enumerate(header) if h in ("topic", "name", "technology")), None)
    status_col = next((i for i, h in enumerate(header) if h == "status"), None)
    if name_col is None or status_col is None:
        return {}
    found: dict[str, Status] = {}
    for row in rows[1:]:
        if max(name_col, status_col) >= len(row):
            continue
        name = unescape(re.sub(r"^(\*\*|__)(.*)\1$", r"\2", row[name_col]))
        status = unescape(row[status_col]).lower()
        if name and status in Status.__members__:
            found[name.casefold()] = Status(status)
    return found


class _Reader:
    """Walk a README's blocks, keeping track of the section each one is in."""

    def __init__(self) -> None:
        self.readme = Readme()
        self.overview: list[str] = []
        self.intro: list[str] = []
        self.stack: list[tuple[int, str]] = []  # (heading level, what it opened)
        self.bullets: list[tuple[int, str]] = []  # (indent, topic name) of the open list
        self.item: _Item | None = None
        self.items: list[tuple[str, _Item]] = []
        self.seen_heading = False

    def category(self) -> str:
        for _, ctx in reversed(self.stack):
            if ctx.startswith(("category:", "topic:")):
                return ctx.split(":", 1)[1]
        return "technology"

    def add_topic(self, name: str, notes: str, indent: int) -> None:
        while self.bullets and self.bullets[-1][0] >= indent:
            self.bullets.pop()
        parent = self.bullets[-1][1] if self.bullets else None
        self.readme.topics.append(ParsedTopic(name, self.category(), notes, parent))
        self.bullets.append((indent, name))

    def start_item(self, kind: str, raw_title: str, body: list[str]) -> None:
        title = _clip(unescape(raw_title), MAX_TITLE)
        if title:
            self.item = _Item(title, [part for part in body if part])
            self.items.append((kind, self.item))

    def heading(self, block: Block) -> None:
        while self.stack and self.stack[-1][0] >= block.level:
            self.stack.pop()
        ctx = classify(block.text, self.stack[-1][1] if self.stack else None)
        if not self.seen_heading and (block.level == 1 or (block.level == 2 and ctx == "other")):
            self.readme.title, ctx = _clip(unescape(block.text), MAX_TITLE), "title"
        self.seen_heading = True
        self.stack.append((block.level, ctx))
        self.bullets.clear()
        if ctx in ("challenge", "takeaway"):
            self.start_item(ctx, block.text, [])
        elif ctx.startswith("topic:") and unescape(block.text):
            self.add_topic(_clip(unescape(block.text), MAX_TITLE), "", -1)
        elif ctx.startswith("challenge:") and self.item is not None:
            self.item.part = "solution" if ctx == "challenge:solution" else "body"
        elif not ctx.startswith("challenge"):
            self.item = None

    def topics(self, block: Block, section: str) -> None:
        if block.kind == "bullet":
            name, notes = split_item(block.text)
            if name:
                self.add_topic(name, notes, block.level)
        elif block.kind == "para" and section == "topic" and self.readme.topics:
            topic = self.readme.topics[-1]
            topic.notes = " ".join(filter(None, [topic.notes, unescape(block.text)]))
        elif block.kind == "para":
            for line in block.lines:
                if _ITEM_FORMS[0].match(line) or _ITEM_FORMS[1].match(line):
                    self.add_topic(*split_item(line), 0)

    def entries(self, block: Block, section: str) -> None:
        """Read a block of the challenges or takeaways section."""
        kind = "challenge" if section.startswith("challenge") else "takeaway"
        top_level = section in ("challenges", "takeaways")
        if block.kind == "bullet":
            labelled = _SOLUTION.match(block.text) or _PROBLEM.match(block.text)
            # A nested or labelled bullet (`- Solution: ...`) belongs to the entry above it.
            if top_level and (self.item is None or (block.level == 0 and not labelled)):
                name, rest = _split_raw(block.text)
                self.start_item(kind, name, [rest])
            elif self.item is not None:
                self.item.add(block.text)
        elif block.kind == "para":
            first, rest_lines = block.lines[0], block.lines[1:]
            bold = _BOLD_LINE.match(first)
            if top_level and bold and not (_SOLUTION.match(first) or _PROBLEM.match(first)):
                self.start_item(kind, re.sub(r"(?<!\\):$", "", bold.group(2)), ["\n".join(rest_lines)])
            elif self.item is not None:
                self.item.add(block.text)
            elif top_level and kind == "takeaway":
                for line in block.lines:
                    name, rest = _split_raw(line)
                    self.start_item(kind, name, [rest])

    def block(self, block: Block) -> None:
        if block.kind == "heading":
            self.heading(block)
            return
        ctx = self.stack[-1][1] if self.stack else "title"
        section = ctx.split(":", 1)[0]
        if section in ("title", "overview") and block.kind == "para":
            (self.overview if section == "overview" else self.intro).append(block.text)
        elif section in ("learnings", "category", "topic"):
            self.topics(block, section)
        elif section in ("challenges", "challenge", "takeaways", "takeaway"):
            self.entries(block, section)
        elif section == "progress" and block.kind == "table":
            self.readme.statuses.update(_table_statuses(block.lines))

    def finish(self) -> Readme:
        readme = self.readme
        # Words before any heading describe the programme only under a title.
        described = self.overview or (self.intro if readme.title else [])
        readme.description = _clip("\n\n".join(filter(None, map(unescape, described))), MAX_TEXT)
        for kind, item in self.items:
            if kind == "challenge":
                readme.challenges.append(_challenge(item))
            else:
                readme.takeaways.append(_takeaway(item))
        for topic in readme.topics:
            topic.status = readme.statuses.get(topic.name.casefold())
        return readme


def parse_readme(text: str) -> Readme:
    """Return the programme, topics, challenges and takeaways a README describes."""
    reader = _Reader()
    for block in blocks(text):
        reader.block(block)
    return reader.finish()


# --- merging into a journal -------------------------------------------------------

Named = TypeVar("Named", Topic, Challenge, Takeaway)


def _find(items: list[Named], name: str) -> Named | None:
    """Return the entry with this name (any case), else the one whose id is its slug."""
    key, slug = name.casefold(), slugify(name)
    for item in items:
        if label_of(item).casefold() == key:
            return item
    for item in items:
        if item.id == slug:
            return item
    return None


def _related_topics(journal: Journal, title: str) -> list[str]:
    """Return the topics a challenge title names (`Kubernetes Complexity` -> kubernetes)."""
    words = title.casefold()
    return [
        topic.id
        for topic in journal.topics
        if re.search(r"(?<!\w)" + re.escape(topic.name.casefold()) + r"(?!\w)", words)
    ]


def _merge_program(journal: Journal, readme: Readme) -> list[Change]:
    if journal.program is None:
        if not (readme.title or readme.description):
            return []
        journal.program = build(
            Program, "README", name=readme.title or DEFAULT_TITLE, description=readme.description
        )
        return [Change(ADD, "program", "", journal.program.name)]
    changes = []
    if readme.description and not journal.program.description:
        journal.program.description = readme.description
        changes.append(Change(UPDATE, "program", "", journal.program.name, "description"))
    if readme.title and readme.title != journal.program.name:
        detail = f"the README calls it {readme.title!r}; the journal's name kept"
        changes.append(Change(KEPT, "program", "", journal.program.name, detail))
    return changes


def _merge_topic(journal: Journal, parsed: ParsedTopic, now: dt.datetime) -> Change | None:
    parent = _find(journal.topics, parsed.parent) if parsed.parent else None
    topic = _find(journal.topics, parsed.name)
    if topic is None:
        topic = build(
            Topic,
            "README",
            id=unique_slug(parsed.name, all_ids(journal)),
            name=parsed.name,
            category=parsed.category,
            parent=parent.id if parent else None,
            status=parsed.status or Status.planned,
            notes=parsed.notes,
            created=now,
            updated=now,
        )
        journal.topics.append(topic)
        return Change(ADD, "topic", topic.id, topic.name, topic.category)
    filled = []
    if parsed.notes and not topic.notes:
        topic.notes = parsed.notes
        filled.append("notes")
    if parent is not None and topic.parent is None and not makes_loop(journal, topic.id, parent.id):
        topic.parent = parent.id
        filled.append("parent")
    if parsed.status and topic.status == Status.planned != parsed.status:
        topic.status = parsed.status
        filled.append("status")
    if filled:
        topic.updated = now
        return Change(UPDATE, "topic", topic.id, topic.name, ", ".join(filled))
    if parsed.notes and parsed.notes != topic.notes:
        return Change(KEPT, "topic", topic.id, topic.name, "the journal's notes differ; kept")
    return None


def _merge_status(journal: Journal, name: str, status: Status, now: dt.datetime) -> Change | None:
    topic = _find(journal.topics, name)
    if topic is None or not topic.status == Status.planned != status:
        return None
    topic.status, topic.updated = status, now
    return Change(UPDATE, "topic", topic.id, topic.name, "status")


def _merge_challenge(journal: Journal, parsed: ParsedChallenge, now: dt.datetime) -> Change | None:
    challenge = _find(journal.challenges, parsed.title)
    if challenge is None:
        resolved = parsed.resolved and bool(parsed.solution.strip())
        challenge = build(
            Challenge,
            "README",
            id=unique_slug(parsed.title, all_ids(journal)),
            title=parsed.title,
            topics=_related_topics(journal, parsed.title),
            problem=parsed.problem,
            solution=parsed.solution,
            status=ChallengeStatus.resolved if resolved else ChallengeStatus.open,
            opened=now,
            resolved=now if resolved else None,
        )
        journal.challenges.append(challenge)
        return Change(ADD, "challenge", challenge.id, challenge.title, challenge.status.value)
    filled = []
    if parsed.problem and not challenge.problem:
        challenge.problem = parsed.problem
        filled.append("problem")
    if parsed.solution and not challenge.solution:
        challenge.solution = parsed.solution
        filled.append("solution")
    if parsed.resolved and challenge.solution and challenge.status == ChallengeStatus.open:
        challenge.status, challenge.resolved = ChallengeStatus.resolved, now
        filled.append("status")
    related = [] if challenge.topics else _related_topics(journal, challenge.title)
    if related:
        challenge.topics = related
        filled.append("topics")
    if filled:
        return Change(UPDATE, "challenge", challenge.id, challenge.title, ", ".join(filled))
    return None


def _merge_takeaway(journal: Journal, parsed: ParsedTakeaway, now: dt.datetime) -> Change | None:
    takeaway = _find(journal.takeaways, parsed.title)
    if takeaway is None:
        takeaway = build(
            Takeaway,
            "README",
            id=unique_slug(parsed.title, all_ids(journal)),
            title=parsed.title,
            text=parsed.text,
            created=now,
        )
        journal.takeaways.append(takeaway)
        return Change(ADD, "takeaway", takeaway.id, takeaway.title)
    if parsed.text and not takeaway.text:
        takeaway.text = parsed.text
        return Change(UPDATE, "takeaway", takeaway.id, takeaway.title, "text")
    return None


def apply_readme(journal: Journal, readme: Readme) -> list[Change]:
    """Add what the README says to the journal; fill only empty fields of entries that exist.

    A challenge is linked to the topics its title names, if they exist; no
    topic is ever made up from a challenge title.
    """
    now = clock.utcnow()
    changes = _merge_program(journal, readme)
    found: list[Change | None] = [_merge_topic(journal, topic, now) for topic in readme.topics]
    listed = {topic.name.casefold() for topic in readme.topics}
    found += [
        _merge_status(journal, name, status, now)
        for name, status in readme.statuses.items()
        if name not in listed
    ]
    found += [_merge_challenge(journal, challenge, now) for challenge in readme.challenges]
    found += [_merge_takeaway(journal, takeaway, now) for takeaway in readme.takeaways]
    return changes + [change for change in found if change is not None]
