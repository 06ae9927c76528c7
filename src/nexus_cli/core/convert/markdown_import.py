"""Read a portfolio README back into a journal.

The README is parsed with markdown-it (CommonMark and tables) and the token
stream is turned into sections and items. Sections are recognised by the
words of their headings (at any level, with emoji, numbers or bold), by
bold lines or short title-like lines standing alone; items by their shape:
`**Name**: notes`, `Name - notes`, nested lists, tables, `Challenge:` /
`Solution:` labels, `problem → solution` one-liners and more. What is not
study content (setup, links, collaboration, plans) is skipped, and the
reason is kept so that `--dry-run` can say it.

A README that nexus itself exported is read faithfully: names and text come
back exactly as the journal held them.

Merging never loses anything: an entry that exists (same name, or same slug
id) only has its empty fields filled in, and importing a file twice adds
nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from nexus_cli.core import clock
from nexus_cli.core.convert.markdown_export import CATEGORY_HEADINGS, DEFAULT_TITLE, OPEN_MARKER
from nexus_cli.core.convert.merge_import import ADD, KEPT, UPDATE, Change
from nexus_cli.core.errors import InputError
from nexus_cli.core.ids import all_ids, slugify
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

# A README larger than this is not a README; reading stops with a clear error.
MAX_README_BYTES = 8 * 1024 * 1024

# --- what a README says -------------------------------------------------------


@dataclass
class ParsedTopic:
    name: str
    category: str
    notes: str = ""
    parent: str | None = None
    status: Status | None = None
    line: int = 0


@dataclass
class ParsedChallenge:
    title: str
    problem: str = ""
    solution: str = ""
    resolved: bool = False
    line: int = 0


@dataclass
class ParsedTakeaway:
    title: str
    text: str = ""
    line: int = 0


@dataclass
class Section:
    """A heading the README has, what nexus made of it, and why."""

    title: str
    line: int
    kind: str
    reason: str = ""


@dataclass
class Readme:
    """The entries a README holds, in the order it lists them."""

    title: str = ""
    description: str = ""
    topics: list[ParsedTopic] = field(default_factory=list)
    challenges: list[ParsedChallenge] = field(default_factory=list)
    takeaways: list[ParsedTakeaway] = field(default_factory=list)
    statuses: dict[str, Status] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        """Return whether the README holds no topic, challenge or takeaway."""
        return not (self.topics or self.challenges or self.takeaways)

    def skipped(self) -> list[Section]:
        """Return the sections that were read past, each with its reason."""
        return [section for section in self.sections if section.kind == "skip"]


# --- bytes to text ----------------------------------------------------------------


def decode_readme(raw: bytes, name: str) -> str:
    """Return the text of a README's bytes: UTF-8 (BOM or not) or UTF-16 with a BOM.

    A stray undecodable byte or two is dropped; a file that is not text is
    refused with one line that says so.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        body = raw[: len(raw) - len(raw) % 2]  # an odd trailing byte cannot be UTF-16
        text = body.decode("utf-16", errors="replace")
    else:
        text = raw.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd") - raw.count("\xef\xbf\xbd".encode("latin-1"))
    if "\x00" in text or bad > max(2, len(text) // 200):
        raise InputError(
            f"{name} is not a text file",
            hint="import a Markdown README saved as UTF-8 (or UTF-16 with a BOM)",
        )
    text = text.replace("\ufffd", "") if bad else text
    return text.lstrip("\ufeff").rstrip("\x1a")


# --- text helpers ---------------------------------------------------------------

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Sentinels around bold and italic runs of an inline: text the parser saw, marks kept.
B0, B1, I0, I1 = "\x01", "\x02", "\x03", "\x04"
_MARKS = re.compile("[\x01-\x04]")
_DECOR = {"So", "Sk", "Mn", "Cf", "Co", "Cs"}
_EDGE_PUNCT = " \t:-–—|*#>•·→⇒=!,;"


def plain(marked: str) -> str:
    """Return marked inline text as plain text on one line."""
    return " ".join(_MARKS.sub("", marked).split())


def _trim(text: str, punct: str = " \t") -> str:
    """Strip emoji, symbols and the given punctuation from both ends."""
    start, end = 0, len(text)
    while start < end and (unicodedata.category(text[start]) in _DECOR or text[start] in punct):
        start += 1
    while end > start and (unicodedata.category(text[end - 1]) in _DECOR or text[end - 1] in punct):
        end -= 1
    return text[start:end]


_NUMBERING = re.compile(
    r"^(?:(?:step|part|week|phase|day|module)\s+)?(?:\d{1,3}|[ivx]{1,4}|[a-h])[.):]\s+|^\d{1,3}\s+(?=\D)",
    re.I,
)
_CHALLENGE_PREFIX = re.compile(
    r"^(?:challenge|problem|issue|obstacle)\s*(?:#?\d{1,3})?\s*(?:[:.)\-–—]\s*|\s+(?=\d))", re.I
)


def clean_heading(text: str) -> str:
    """Return a heading's words without emoji, bold marks, numbering or a closing colon."""
    words = _trim(plain(text), _EDGE_PUNCT + "_")
    words = _NUMBERING.sub("", words)
    return _trim(words, _EDGE_PUNCT)


_BOLD = r"(\*\*|__)((?:\\.|[^\\])+?)\1"


def split_item(text: str) -> tuple[str, str]:
    """Return (name, notes) of a bullet's Markdown, such as `**Docker**: containers`."""
    tokens = _MD.parseInline(text)
    marked = _inline_text(tokens[0].children or []) if tokens else ""
    name, rest = _split_name(marked)
    return _clip(name, MAX_TITLE), _clip(rest, MAX_TEXT)


_SEPARATOR = re.compile(r"^\s*(?::|–|—|-{1,2}(?=\s)|->|→|=>|⇒|\|)\s*")
_PLAIN_SEPARATOR = re.compile(
    r"^(?P<name>[^:]{1,60}?)\s*(?::\s+|\s[-–—]{1,2}\s|\s*(?:->|→|=>|⇒)\s*)(?P<rest>.*)$"
)
_LEADING_BOLD = re.compile(rf"^\s*{B0}(?P<name>[^{B0}{B1}]*){B1}(?P<rest>.*)$", re.S)
_BOLD_RUN = re.compile(rf"{B0}([^{B0}{B1}]*){B1}")
_PAREN = re.compile(r"^\((?P<inner>[^()]*)\)\s*[.:]?\s*(?P<rest>.*)$")


def _split_name(marked: str) -> tuple[str, str]:
    """Return (name, rest) of one line of an item: the name a bold lead or a short label gives."""
    lead = _LEADING_BOLD.match(marked)
    if lead:
        name = plain(lead.group("name"))
        rest = lead.group("rest")
        if name.endswith(":"):
            return _trim(name[:-1]), plain(rest)
        separated = _SEPARATOR.match(plain(rest))
        if separated:
            return _trim(name), plain(rest)[separated.end() :]
        text = plain(rest)
        paren = _PAREN.match(text)
        if paren:
            return _trim(name), " ".join(filter(None, [paren.group("inner"), paren.group("rest")]))
        return _trim(name), _trim(text, " \t.,")
    text = plain(marked)
    link_less = text
    separated = _PLAIN_SEPARATOR.match(link_less)
    if separated and len(separated.group("name").split()) <= 6:
        return _trim(separated.group("name")), separated.group("rest")
    return _trim(text, " \t"), ""


# --- a small vocabulary ---------------------------------------------------------------

_FUNCTION_WORDS = {
    "a", "an", "the", "and", "or", "with", "for", "of", "to", "using", "in", "on", "via", "from", "by",
    "into", "through", "when", "how", "is", "are", "was", "were", "be", "my", "our", "your", "that",
    "this", "it", "its", "as", "at", "i", "we", "which", "while", "without", "not", "can", "will",
}  # fmt: skip
_CATEGORY_WORDS = {
    "languages", "language", "frameworks", "tools", "tooling", "technologies", "databases", "services",
    "platforms", "libraries", "stack", "infrastructure", "devops", "development", "fundamentals",
    "concepts", "skills", "backend", "frontend", "misc", "other", "others", "essentials", "basics",
    "utilities", "ecosystem", "layer", "management", "deployment", "storage", "apis", "fetching",
    "data", "ideas", "general", "core", "styling", "security", "testing", "search", "database", "hosting",
    "styles", "tasks", "messaging", "monitoring", "auth", "queue", "orchestration", "cloud",
}  # fmt: skip
_CATEGORY_JOIN = re.compile(r"\s(?:&|and|\+|/)\s|,|[a-z]{3,}/[A-Za-z]{3,}", re.I)


def _last_word(name: str) -> str:
    words = re.findall(r"[\w'’.+#-]+", name.lower())
    return words[-1] if words else ""


def looks_like_category(name: str) -> bool:
    """Return whether a label names a group of things (`Languages & Frameworks`), not one thing."""
    words = re.findall(r"[\w'’.+#-]+", name.lower())
    if not words or len(words) > 6:
        return False
    return bool(_CATEGORY_JOIN.search(name)) or words[-1] in _CATEGORY_WORDS


def is_name_like(text: str) -> bool:
    """Return whether text reads as the name of a thing rather than a sentence about it."""
    words = text.split()
    if not words or len(words) > 5 or len(text) > 60:
        return False
    if text.rstrip().endswith((".", "!", "?", ";")) and not re.search(r"\.\w+\.?$", text):
        return False
    lowered = [w.lower().strip("(),") for w in words]
    if any(w in _FUNCTION_WORDS for w in lowered):
        return False
    return not (len(words) > 1 and lowered[0].endswith("ing") and lowered[0] not in ("testing", "caching"))


def is_topic_like(text: str) -> bool:
    """Return whether an item of a technologies list can be a topic: short, and not a sentence."""
    words = text.split()
    if not words or len(words) > 7 or len(text) > 70:
        return False
    return not text.rstrip().endswith((".", "!", "?", ";")) and words[0].lower() not in _FUNCTION_WORDS


def _split_top_level(text: str) -> list[str]:
    """Split a list at commas, line breaks and a last `and`, but never inside parentheses."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char in ",\n" and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    last = re.split(r"\s(?:and|&)\s(?![^(]*\))", parts[-1]) if len(parts) > 1 else [parts[-1]]
    return parts[:-1] + last


_ASIDE = re.compile(
    r"^(?P<name>.+?)\s*\((?P<aside>(?:e\.g\.?|i\.e\.?|like|such as|using|via|for)\b[^()]*|[^()]*,[^()]*)\)$",
    re.I,
)


def split_aside(name: str) -> tuple[str, str]:
    """Split `State management (e.g. Redux, Context)` into the name and the aside, which is notes."""
    found = _ASIDE.match(name)
    if not found:
        return name, ""
    return found.group("name").strip(), found.group("aside").strip()


def _list_parts(text: str) -> list[str]:
    """Return the parts of a comma list (`Python, Django and Docker`), or [] if it is not one."""
    if not text or len(text) > 400 or ("," not in text and "\n" not in text):
        return []
    parts = [p.strip(" .;") for p in _split_top_level(text)]
    parts = [_trim(p) for p in parts if p.strip(" .;")]
    if len(parts) < 2 or not all(is_name_like(p) for p in parts):
        return []
    return parts


# --- sections ---------------------------------------------------------------------------

_SKIP_FIRST = [
    (r"future|roadmap|next steps?|what'?s next|to-?do|upcoming|improvements|known issues|planned",
     "plans, not what was learned"),
    (r"pro ?dev tip|pro tip|repository (?:purpose|structure)|project objectives?|objective of th",
     "the programme brief's boilerplate"),
]  # fmt: skip
_TIPS = r"\btips?\b|advice|past self|would tell|do differently|if i started again"
_KINDS = [
    (
        "challenges",
        r"challenge|obstacle|difficult|struggle|hurdle|problems|issues faced|roadblock|pain point",
    ),
    ("takeaways", r"takeaway|practice|lesson|principle|\btips?\b|advice|insight|reflection|wisdom"),
]
_SKIP = [
    (r"collaborat|community|connect|discord|teamwork|contribut|partner", "not study content"),
    (r"link|resource|reference|further reading|acknowledg|credit|thanks|inspiration",
     "links, not study content"),
    (r"licen[cs]e|author|contact|about me|support|maintainer|social", "not study content"),
    (r"install|set ?up|getting started|quick ?start|usage|how to run|running|prerequisite|deploy"
     r"|environment|configuration|build|scripts|commands|development server", "setup, not study content"),
    (r"structure|folder|directory|layout|file tree", "project layout, not study content"),
    (r"feature|endpoint|screenshot|demo|table of contents|^contents$|video|presentation|slide|"
     r"evaluation|criteria|deliverable|commit|workflow|timeline|schema|erd|api documentation|"
     r"design system|color|typography|component|pages|routes|user roles|performance metrics",
     "about the project, not study content"),
    (r"objective|purpose|goals?\b|mission|status|conclusion|final (?:thoughts|note)|summary$|impact",
     "not study content"),
]  # fmt: skip
_LATER = [
    ("overview", r"overview|\babout\b|introduction|background|description|program summary|what is"),
    ("technologies", r"technolog|\btech\b(?!.*stack)|languages|frameworks"),
    ("concepts", r"concept"),
    ("learnings", r"learn|covered|skill|topic|curriculum|studied|knowledge|what i|highlights|areas"),
    ("stack", r"stack|built with|tools|under the hood|dependencies|libraries"),
    ("progress", r"progress|time spent|\bhours\b"),
]
_SOLUTIONS_HEADING = re.compile(
    r"^(?:my |the )?(?:solutions?|fix(?:es)?|how i solved (?:them|it)|resolutions?)\b", re.I
)


def classify(words: str) -> tuple[str, str]:
    """Return (kind, reason) for a heading's cleaned words."""
    lowered = words.lower()
    brief, reason = _SKIP_FIRST[1]
    if re.search(brief, lowered):
        return "skip", reason
    if re.search(_TIPS, lowered):
        return "takeaways", ""
    for pattern, reason in _SKIP_FIRST:
        if re.search(pattern, lowered):
            return "skip", reason
    if _SOLUTIONS_HEADING.match(lowered) and "challenge" not in lowered:
        return "solutions", ""
    for kind, pattern in _KINDS:
        if re.search(pattern, lowered):
            return kind, ""
    for pattern, reason in _SKIP:
        if re.search(pattern, lowered):
            return "skip", reason
    for kind, pattern in _LATER:
        if re.search(pattern, lowered):
            return kind, ""
    return "other", ""


def category_of(words: str, kind: str) -> str:
    """Return the category a topic section files its topics under."""
    for category, heading in CATEGORY_HEADINGS.items():
        if words == heading:
            return category
    if kind == "technologies" or re.search(r"technolog", words.lower()):
        return "technology"
    if kind == "concepts":
        return "concept"
    return slugify(words) or "technology"


# --- the token stream as blocks ----------------------------------------------------------


@dataclass
class Inline:
    marked: str
    line: int

    def lines(self) -> list[tuple[str, int]]:
        """Return the inline's lines (breaks and `<br>` split it) with their README line numbers."""
        return [(part, self.line + i) for i, part in enumerate(self.marked.split("\n"))]


@dataclass
class Item:
    line: int
    paras: list[Inline] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)


@dataclass
class Block:
    kind: str  # heading, para, list, table
    line: int
    level: int = 0
    text: Inline | None = None
    items: list[Item] = field(default_factory=list)
    rows: list[list[Inline]] = field(default_factory=list)


_MD = MarkdownIt("commonmark", {"maxNesting": 100}).enable("table")
_BR = re.compile(r"^<br\s*/?>$", re.I)


def _inline_text(children: list[Token]) -> str:
    out: list[str] = []
    for token in children:
        kind = token.type
        if kind in ("text", "code_inline"):
            out.append(
                token.content.replace("\x01", "").replace("\x02", "").replace("\x03", "").replace("\x04", "")
            )
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "strong_open":
            out.append(B0)
        elif kind == "strong_close":
            out.append(B1)
        elif kind == "em_open":
            out.append(I0)
        elif kind == "em_close":
            out.append(I1)
        elif kind == "html_inline" and _BR.match(token.content.strip()):
            out.append("\n")
    return "".join(out)


def to_blocks(tokens: list[Token]) -> list[Block]:
    """Turn markdown-it's tokens into headings, paragraphs, lists (as item trees) and tables."""
    blocks: list[Block] = []
    items: list[Item] = []  # the open list items, innermost last
    lists: list[Block | Item] = []  # what each open list adds its items to
    row: list[Inline] | None = None
    table: Block | None = None
    heading: Block | None = None
    for index, token in enumerate(tokens):
        kind = token.type
        line = token.map[0] + 1 if token.map else 0
        if kind == "heading_open":
            heading = Block("heading", line, level=int(token.tag[1]))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            if items:
                lists.append(items[-1])
            else:
                block = Block("list", line)
                blocks.append(block)
                lists.append(block)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            if lists:
                lists.pop()
        elif kind == "list_item_open":
            item = Item(line)
            owner = lists[-1] if lists else None
            if isinstance(owner, Block):
                owner.items.append(item)
            elif isinstance(owner, Item):
                owner.children.append(item)
            items.append(item)
        elif kind == "list_item_close":
            if items:
                items.pop()
        elif kind == "table_open":
            table = Block("table", line)
            blocks.append(table)
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and table is not None and row is not None:
            table.rows.append(row)
            row = None
        elif kind == "table_close":
            table = None
        elif kind == "inline":
            text = Inline(_inline_text(token.children or []), line)
            if heading is not None:
                heading.text = text
                blocks.append(heading)
                heading = None
            elif row is not None:
                row.append(text)
            elif items:
                items[-1].paras.append(text)
            else:
                blocks.append(Block("para", line, text=text))
        elif kind == "heading_close":
            heading = None
        del index
    return blocks


# --- before parsing ------------------------------------------------------------------------

_STRUCTURE = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|\|)")
_ESCAPED_STRUCTURE = re.compile(r"^\s{0,3}(?:\\#|\\[-*+]\s|\d{1,9}\\[.)]\s|\\\||\\\*\\\*)")
MAX_INDENT = 48
MAX_MARKERS = 12
_DEEP_QUOTE = re.compile(rf"^(?:\s*>){{{MAX_MARKERS + 1},}}")
_DEEP_MARKERS = re.compile(rf"^(\s*(?:[-*+]|\d{{1,9}}[.)])[ \t]+){{{MAX_MARKERS + 1},}}")


def prepare(text: str) -> tuple[str, list[str]]:
    """Return text ready for the parser, and notes on what was changed to get there."""
    notes: list[str] = []
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    structured = sum(1 for line in lines if _STRUCTURE.match(line))
    escaped = sum(1 for line in lines if _ESCAPED_STRUCTURE.match(line))
    if escaped >= 2 and escaped > structured:
        lines = [_ESCAPED.sub(r"\1", line) for line in lines]
        notes.append("every Markdown character was escaped with a backslash; read without the escapes")
    flattened = 0
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" \t"))
        if indent > MAX_INDENT:
            width = len(line[:indent].expandtabs(4))
            if width > MAX_INDENT:
                lines[index] = " " * MAX_INDENT + line[indent:]
                flattened = flattened or index + 1
        quote = _DEEP_QUOTE.match(lines[index])
        if quote:
            lines[index] = "> " * MAX_MARKERS + lines[index][quote.end() :]
            flattened = flattened or index + 1
        markers = _DEEP_MARKERS.match(lines[index])
        if markers:
            kept = re.findall(r"\s*(?:[-*+]|\d{1,9}[.)])[ \t]+", markers.group(0))[:MAX_MARKERS]
            lines[index] = "".join(kept) + lines[index][markers.end() :]
            flattened = flattened or index + 1
    if flattened:
        notes.append(f"line {flattened}: lists or quotes nested very deep were flattened")
    return "\n".join(lines), notes


# --- challenges ---------------------------------------------------------------------------

_LABELS = {
    "title": r"challenges?|problems?|issues?|obstacles?|difficult(?:y|ies)|what was hard|the problem",
    "cause": r"causes?|root cause|why|context|background|symptoms?|impact",
    "approach": r"approach|attempts?|what i tried|tried|steps? taken|process",
    "solution": r"solutions?|solution so far|solved|fix(?:es|ed)?|resolution|resolved|how i solved it|"
    r"how i fixed it|what fixed it|what worked|outcome|implemented solution|action taken",
    "learned": r"learnings?|lessons?(?: learned)?|key learning|takeaways?|what i learned|result|results",
}
_LABEL = re.compile(
    r"^\s*(?P<o>[\x01\x03]*)\s*(?P<pre>[^\w\s\x01-\x04]{0,3})\s*(?P<label>"
    + "|".join(f"(?P<{key}>{pattern})" for key, pattern in _LABELS.items())
    + r")\s*(?:(?P<c1>[\x02\x04]+)\s*[:\-–—]\s*|:\s*(?P<c2>[\x02\x04]*)\s*|(?P<c3>[\x02\x04]+)\s*$)",
    re.I,
)


def match_label(marked: str) -> tuple[str, str] | None:
    """Return (field, rest) when a line starts with a label such as `**Solution:**`."""
    found = _LABEL.match(marked)
    if not found:
        return None
    opened = found.group("o")
    closed = found.group("c1") or found.group("c2") or found.group("c3") or ""
    key = next(k for k in _LABELS if found.group(k))
    rest = marked[found.end() :]
    if opened and not closed:  # `**Solution: text**` puts the text inside the bold
        rest = rest.replace(B1, "", 1).replace(I1, "", 1)
    return key, rest


_SOLUTION_VERBS = (
    "spent|worked|required|solved|used|fixed|practiced|practised|took|read|resolved|broke|built|"
    "went|studied|followed|wrote|asked|paired|switched|tackled|overcame|watched|added|addressed|"
    "implemented|introduced|adopted|created|leveraged|utili[sz]ed|applied|refactored|configured|"
    "eventually|finally|in the end|i solved|i fixed|i used|i spent|i worked|i read|i learned|i built|"
    "i created|i implemented|i switched|i added|i broke|i adopted|the fix|the solution|my solution|solution|"
    "drew|rewrote|learned|learnt|reduced|removed|enabled|installed|upgraded|pinned|isolated|mocked|debugged|"
    "traced|profiled|documented|automated|simplified|restructured|migrated|tuned|optimi[sz]ed|batched|cached|"
    "indexed|paginated|validated|centrali[sz]ed|standardi[sz]ed|separated|extracted|lifted|integrated|"
    "declared|moved|replaced|wrapped|limited|stored|split|ordered|made|gave|kept|put|set up|ran|retried|"
    "reverted|rolled back|increased|raised|lowered|checked|compared|logged|agreed|scheduled|restarted|"
    "by (?:using|adding|switching|moving|reading|writing|breaking)"
)
_SOLUTION_START = re.compile(rf"^(?:{_SOLUTION_VERBS})\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_ARROW = re.compile(r"\s+(?:→|->|=>|⇒|⟶|➡️?|➔)\s+")


_INLINE_LABEL = re.compile(
    r"(?<=[.!?;)])\s+(?=[\x01\x03]*(?:solution|fix|resolution|how i solved it|what (?:worked|fixed it)|"
    r"cause|approach|learnings?)\s*[\x02\x04]*\s*:)",
    re.I,
)


def split_solution(text: str, titled: bool = False) -> tuple[str, str]:
    """Split an unlabelled challenge paragraph into problem and solution by its sentences.

    The first sentence is the problem, unless the challenge's title already says it (`titled`).
    """
    sentences = _SENTENCE.split(text)
    for index, sentence in enumerate(sentences[0 if titled else 1 :], start=0 if titled else 1):
        if _SOLUTION_START.match(sentence):
            return " ".join(sentences[:index]), " ".join(sentences[index:])
    return text, ""


@dataclass
class _Challenge:
    title: str
    line: int
    problem: list[str] = field(default_factory=list)
    solution: list[str] = field(default_factory=list)
    learned: list[str] = field(default_factory=list)
    part: str = "problem"
    labelled: bool = False
    titled: bool = False
    heading: bool = False
    open_marker: bool = False
    so_far: bool = False

    def add(self, text: str, part: str | None = None) -> None:
        part = part or self.part
        if not text:
            return
        if part in ("solution", "approach"):
            target = self.solution
        elif part == "learned":
            target = self.learned
        else:
            target = self.problem
        if text.startswith("- ") and target and target[-1].startswith("- "):
            target[-1] += "\n" + text  # the bullets of one list stay one block
        else:
            target.append(text)

    def parsed(self, faithful: bool) -> ParsedChallenge:
        problem = "\n\n".join(self.problem)
        solution = "\n\n".join(self.solution)
        if not faithful and not self.labelled and not solution and not self.open_marker:
            problem, solution = split_solution(" ".join(self.problem), self.titled)
            if not problem and solution:
                problem, solution = "", solution
        if self.learned:
            solution = "\n\n".join(filter(None, [solution, "Learned: " + " ".join(self.learned)]))
        return ParsedChallenge(
            title=_clip(self.title, MAX_TITLE),
            problem=_clip(problem, MAX_TEXT),
            solution=_clip(solution, MAX_TEXT),
            resolved=bool(solution) and not self.so_far,
            line=self.line,
        )


def _title_and_rest(text: str) -> tuple[str, str]:
    """Return a short title for a challenge or takeaway written as one sentence, and what is left."""
    text = text.strip()
    if len(text) <= 120:
        return text.rstrip(" .:"), ""
    first = _SENTENCE.split(text, maxsplit=1)
    if len(first[0]) <= 160:
        return first[0].rstrip(" .:"), first[1] if len(first) > 1 else ""
    return _clip(text, 120), text


# --- the reader ---------------------------------------------------------------------------------


@dataclass
class _Context:
    level: int
    kind: str  # title overview topics challenges challenge takeaways group skip progress solutions other
    category: str = "technology"
    topic: str | None = None  # a heading that is itself a topic
    stack: bool = False  # a tech-stack section: read only when there is no other
    learnings: bool = False  # a generic learnings section: sentences there are takeaways
    group: _GroupState | None = None


@dataclass
class _GroupState:
    title: str
    line: int
    texts: list[str] = field(default_factory=list)
    count: int = 0


_BUILT_WITH = re.compile(
    r"\b(?:built|made|developed|written|powered|implemented)\s+(?:with|using|on|in)\b", re.I
)
_TOPIC_KINDS = {"technologies", "concepts", "learnings", "stack"}


class _Reader:
    """Walk a README's blocks, keeping track of the section each one is in."""

    def __init__(self, faithful: bool, plain_text: bool, symbol_titles: bool = False) -> None:
        self.faithful = faithful
        self.plain_text = plain_text
        self.symbol_titles = symbol_titles  # a pasted README whose titles start with an emoji
        self.readme = Readme()
        self.overview: list[str] = []
        self.intro: list[str] = []
        self.contexts: list[_Context] = []
        self.challenge: _Challenge | None = None
        self.challenges: list[_Challenge] = []
        self.solutions: list[tuple[str, int]] = []
        self.stack_topics: list[ParsedTopic] = []
        self.seen_heading = False
        self.pending_label: str | None = None  # a label line (`**Solution:**`) waiting for its list

    # --- contexts

    @property
    def ctx(self) -> _Context:
        return self.contexts[-1] if self.contexts else _Context(0, "title")

    def _close_group(self, ctx: _Context) -> None:
        group = ctx.group
        if group is not None and group.count == 0 and group.title:
            text = "\n\n".join(group.texts)
            self.readme.takeaways.append(
                ParsedTakeaway(_clip(group.title, MAX_TITLE), _clip(text, MAX_TEXT), group.line)
            )

    def heading(self, raw: str, level: int, line: int) -> None:
        while self.contexts and self.contexts[-1].level >= level:
            self._close_group(self.contexts.pop())
        self.pending_label = None
        words = plain(raw) if self.faithful else clean_heading(raw)
        parent = self.contexts[-1] if self.contexts else None
        if not self.seen_heading and (level == 1 or not parent):
            kind, _ = classify(words)
            if level == 1 or kind in ("other", "skip"):
                self.seen_heading = True
                self.readme.title = _clip(words, MAX_TITLE)
                self.readme.sections.append(Section(words, line, "title"))
                self.contexts.append(_Context(level, "title"))
                return
        self.seen_heading = True
        ctx = self._context_for(words, level, line, parent)
        self.contexts.append(ctx)

    def _context_for(self, words: str, level: int, line: int, parent: _Context | None) -> _Context:
        kind, reason = classify(words)
        pkind = parent.kind if parent else "title"
        sections = self.readme.sections
        if self.faithful:
            return self._faithful_context(words, level, line, pkind, kind)
        if pkind == "challenge" and self.challenge is not None:
            label = match_label(words + ":")
            if label and not plain(label[1]):
                self.challenge.part = "problem" if label[0] == "title" else label[0]
                self.challenge.labelled = self.challenge.labelled or label[0] == "solution"
                return _Context(level, "challenge")
        if pkind in ("challenges", "challenge") and kind not in ("takeaways", "solutions"):
            title = _CHALLENGE_PREFIX.sub("", words) or words
            self._start_challenge(title, line, heading=True)
            sections.append(Section(words, line, "challenge"))
            return _Context(level, "challenge")
        first_skip = kind == "skip" and any(re.search(p, words.lower()) for p, _ in _SKIP_FIRST)
        if pkind in ("takeaways", "group") and kind not in ("challenges", "solutions") and not first_skip:
            sections.append(Section(words, line, "takeaways"))
            return _Context(level, "group", group=_GroupState(words, line))
        explicit = ("challenges", "takeaways", "technologies", "concepts")
        if parent is not None and parent.kind == "skip" and kind not in explicit:
            reason = next((s.reason for s in reversed(sections) if s.kind == "skip"), reason)
            sections.append(Section(words, line, "skip", reason or "inside a skipped section"))
            return _Context(level, "skip")
        if kind == "skip":
            sections.append(Section(words, line, "skip", reason))
            return _Context(level, "skip")
        if kind in ("challenges", "takeaways", "solutions", "overview", "progress"):
            sections.append(Section(words, line, kind))
            if kind == "challenges":
                self.challenge = None
            return _Context(level, kind)
        if parent is not None and parent.kind == "topics":
            if kind in ("technologies", "concepts"):
                category = category_of(words, kind)
            elif looks_like_category(words):
                category = slugify(words) or parent.category
            else:
                sections.append(Section(words, line, "topic"))
                topic = self._add_topic(words, parent.category, "", parent.topic, line, parent.stack)
                return _Context(level, "topics", parent.category, topic, parent.stack, parent.learnings)
            sections.append(Section(words, line, "topics"))
            learnings = parent.learnings and kind not in ("technologies", "concepts")
            return _Context(level, "topics", category, None, parent.stack, learnings)
        if kind in _TOPIC_KINDS:
            sections.append(Section(words, line, "topics"))
            category = category_of(words, kind) if kind in ("technologies", "concepts") else "technology"
            return _Context(level, "topics", category, None, kind == "stack", kind == "learnings")
        sections.append(Section(words, line, "skip", "no study content expected under this heading"))
        return _Context(level, "other")

    def _faithful_context(self, words: str, level: int, line: int, pkind: str, kind: str) -> _Context:
        sections = self.readme.sections
        if level == 2:
            found = {"Overview": "overview", "Major Learnings": "topics", "Progress": "progress"}.get(words)
            found = found or ("challenges" if words.startswith("Challenges") else "takeaways")
            sections.append(Section(words, line, found))
            return _Context(level, found)
        if pkind == "topics":
            sections.append(Section(words, line, "topics"))
            return _Context(level, "topics", category_of(words, "faithful"))
        sections.append(Section(words, line, "skip", "not in the shape nexus writes"))
        return _Context(level, "other")

    # --- entries

    def _add_topic(
        self, name: str, category: str, notes: str, parent: str | None, line: int, stack: bool
    ) -> str | None:
        name = _clip(name, MAX_TITLE)
        if not name:
            return None
        topic = ParsedTopic(name, category or "technology", _clip(notes, MAX_TEXT), parent, line=line)
        (self.stack_topics if stack else self.readme.topics).append(topic)
        return name

    def _topic(self, name: str) -> ParsedTopic | None:
        for topic in reversed(self.readme.topics + self.stack_topics):
            if topic.name == name:
                return topic
        return None

    def _add_takeaway(self, title: str, text: str, line: int) -> None:
        title = _clip(title.strip(), MAX_TITLE)
        if title:
            self.readme.takeaways.append(ParsedTakeaway(title, _clip(text.strip(), MAX_TEXT), line))
            group = self.ctx.group
            if group is not None:
                group.count += 1

    def _start_challenge(self, title: str, line: int, heading: bool = False) -> _Challenge | None:
        previous = self.challenge
        if (
            not heading
            and previous is not None
            and previous.heading
            and self.ctx.kind == "challenge"
            and not (previous.problem or previous.solution or previous.learned)
        ):
            self.challenges.remove(previous)  # it only grouped the challenges listed under it
        title = title.strip() if self.faithful else title.strip().rstrip(":").strip()
        title = _clip(title, MAX_TITLE)
        if not title:
            return None
        self.challenge = _Challenge(title, line, heading=heading)
        self.challenges.append(self.challenge)
        return self.challenge

    # --- topics

    def topic_item(self, item: Item, category: str, parent: str | None, stack: bool, learnings: bool) -> None:
        if not item.paras:
            for child in item.children:
                self.topic_item(child, category, parent, stack, learnings)
            return
        first, *more = item.paras[0].lines()
        marked, line = first
        if self.faithful:
            name, notes = _split_faithful(marked)
            made = self._add_topic(name, category, notes, parent, line, stack)
            for child in item.children:
                self.topic_item(child, category, made, stack, learnings)
            return
        name, notes = _split_name(marked)
        extra = [plain(m) for m, _ in more] + [plain(p.marked) for p in item.paras[1:]]
        bolds = [plain(b) for b in _BOLD_RUN.findall(marked)]
        outside = _BOLD_RUN.sub("", marked)
        if len(bolds) >= 2 and not plain(re.sub(r"[,;/&+]|\band\b|\bor\b", " ", _MARKS.sub("", outside))):
            for bold_name in bolds:
                self._add_topic(_trim(bold_name, " :"), category, "", parent, line, stack)
            return
        parts = _list_parts(notes) or ([notes.strip(" .")] if is_name_like(notes.strip(" .")) else [])
        capitalised = len(parts) >= 2 and all(p[:1].isupper() or p[:1].isdigit() for p in parts)
        strong = _last_word(name) in _CATEGORY_WORDS
        if parts and (strong or capitalised) and len(name.split()) <= 5:
            group = slugify(name) or category
            for part in parts:
                part_name, aside = split_aside(part)
                self._add_topic(part_name, group, aside, None, line, stack)
            return
        if not notes and not _LEADING_BOLD.match(marked):
            parts = _list_parts(name)
            if parts:
                for part in parts:
                    self._add_topic(part, category, "", parent, line, stack)
                return
        children = item.children
        if not notes and children and looks_like_category(name):
            group = slugify(name) or category
            for child in children:
                self.topic_item(child, group, None, stack, learnings)
            return
        named = is_name_like(name) or (not learnings and is_topic_like(name))
        if not named and not (notes and len(name.split()) <= 6):
            if learnings and not item.children:
                title, rest = _title_and_rest(plain(marked))
                self._add_takeaway(title, " ".join(filter(None, [rest, *extra])), line)
            return
        details: list[str] = []
        subtopics: list[Item] = []
        if children:
            with_names = [c for c in children if c.paras and _is_named(c.paras[0].marked)]
            if len(with_names) == len(children) or any(
                _LEADING_BOLD.match(c.paras[0].marked) for c in with_names
            ):
                subtopics = with_names
                details = [_item_text(c) for c in children if c not in with_names]
            else:
                details = [_item_text(c) for c in children]
        name, aside = split_aside(name)
        notes = "; ".join(filter(None, [notes, aside, *extra, *details]))
        made = self._add_topic(name, category, notes, parent, line, stack)
        for child in subtopics:
            self.topic_item(child, category, made, stack, learnings)

    def topic_para(self, para: Inline, ctx: _Context) -> None:
        lines = para.lines()
        if self.faithful:
            return
        if all("\t" in m for m, _ in lines):  # a table pasted from a rendered page
            for marked, line in lines:
                name, *cells = [plain(cell) for cell in marked.split("\t")]
                if name and not re.fullmatch(r"(?i)tech\w*|tools?|names?|topics?|skills?|concepts?", name):
                    name, aside = split_aside(name)
                    notes = "; ".join(filter(None, [" ".join(filter(None, cells)), aside]))
                    self._add_topic(name, ctx.category, notes, ctx.topic, line, ctx.stack)
            return
        itemish = [m for m, _ in lines if _LEADING_BOLD.match(m) or (self.plain_text and _is_named(m))]
        if len(itemish) == len(lines):
            for marked, line in lines:
                self.topic_item(Item(line, [Inline(marked, line)]), ctx.category, ctx.topic, ctx.stack, False)
            return
        text = plain(para.marked)
        parts = _list_parts(text.rstrip("."))
        if parts:
            for part in parts:
                self._add_topic(part, ctx.category, "", ctx.topic, para.line, ctx.stack)
            return
        if ctx.topic:
            self._add_notes(ctx.topic, text)

    def _add_notes(self, name: str, text: str) -> None:
        topic = self._topic(name)
        if topic is not None and text:
            topic.notes = _clip("; ".join(filter(None, [topic.notes, text])), MAX_TEXT)

    def topic_table(self, block: Block, ctx: _Context) -> None:
        header = [plain(cell.marked).lower() for cell in block.rows[0]] if block.rows else []
        rows = block.rows[1:]
        if not header:
            return
        name_col = _column(header, r"tech|tool|name|topic|concept|skill|framework|librar|language|stack|used")
        category_col = _column(header, r"categor|area|layer|type|domain|feature|field|group")
        note_col = _column(header, r"purpose|descri|use|why|what|notes?|role|details?|learn")
        if name_col is None:
            name_col = 1 if category_col == 0 and len(header) > 1 else 0
        if category_col == name_col:
            category_col = None
        for row in rows:
            if name_col >= len(row):
                continue
            cell = row[name_col]
            category = ctx.category
            if category_col is not None and category_col < len(row):
                label = _trim(plain(row[category_col].marked), " :")
                category = slugify(label) or category
            notes = plain(row[note_col].marked) if note_col is not None and note_col < len(row) else ""
            names = []
            for part, _ in cell.lines():
                text = _trim(plain(part), " ,")
                names += _list_parts(text) or ([text] if text else [])
            for name in names:
                self._add_topic(
                    name, category, notes if len(names) == 1 else "", ctx.topic, cell.line, ctx.stack
                )

    # --- challenges

    def challenge_item(self, item: Item) -> None:
        if not item.paras:
            for child in item.children:
                self.challenge_item(child)
            return
        lines = item.paras[0].lines()
        marked, line = lines[0]
        if self.pending_label == "solutions":
            self.solutions.append((plain(_item_text(item)), line))
            return
        if self.pending_label in ("solution", "approach", "cause", "title", "learned") and self.challenge:
            self.challenge.add("- " + _item_text(item), self.pending_label)
            if self.pending_label == "solution":
                self.challenge.labelled = True
            return
        label = match_label(marked)
        current = self.challenge if self.ctx.kind == "challenge" else None
        if label and current is not None and (label[0] != "title" or not current.problem):
            self._labelled_lines(current, lines, item)
            return
        if label and label[0] == "title":
            head, *tail = _INLINE_LABEL.split(label[1])
            title, rest = _title_and_rest(plain(head))
            challenge = self._start_challenge(title, line)
            lines = [(part, line) for part in tail] + lines[1:]
            if challenge is not None:
                challenge.add(rest)
                self._labelled_lines(challenge, lines, None)
                for para in item.paras[1:]:
                    self._labelled_lines(challenge, para.lines(), None)
                for child in item.children:
                    self._challenge_child(challenge, child)
            return
        else:
            text = plain(marked)
            arrow = _ARROW.split(text, maxsplit=1)
            if len(arrow) == 2:
                challenge = self._start_challenge(_trim(_title_and_rest(arrow[0])[0]), line)
                if challenge:
                    challenge.add(arrow[1], "solution")
                    challenge.labelled = True
                return
            bold_lead = bool(_LEADING_BOLD.match(marked))
            name, rest = _split_name(marked) if bold_lead else _title_and_rest(text)
            if current is not None and self.ctx.kind == "challenge":
                current.add(text)
                for child in item.children:
                    self._challenge_child(current, child)
                return
            challenge = self._start_challenge(name, line)
            if challenge is not None:
                challenge.titled = bold_lead
        if challenge is None:
            return
        challenge.add(rest)
        self._labelled_lines(challenge, lines[1:], None)
        for para in item.paras[1:]:
            self._labelled_lines(challenge, para.lines(), None)
        for child in item.children:
            self._challenge_child(challenge, child)

    def _challenge_child(self, challenge: _Challenge, child: Item) -> None:
        text = _item_text(child)
        label = match_label(child.paras[0].marked) if child.paras else None
        if label:
            part = "problem" if label[0] == "title" else label[0]
            challenge.part = part
            challenge.labelled = challenge.labelled or part == "solution"
            challenge.add(plain(label[1]) or "", part)
            for grandchild in child.children:
                challenge.add(_item_text(grandchild), part)
            return
        if not challenge.labelled and not challenge.solution and _SOLUTION_START.match(text):
            challenge.part, challenge.labelled = "solution", True
        challenge.add(text)

    def _labelled_lines(self, challenge: _Challenge, lines: list[tuple[str, int]], item: Item | None) -> None:
        lines = [(part, at) for marked, at in lines for part in _INLINE_LABEL.split(marked)]
        for marked, _ in lines:
            label = match_label(marked)
            if label:
                part = "problem" if label[0] == "title" else label[0]
                challenge.part = part
                challenge.labelled = challenge.labelled or part == "solution"
                challenge.add(plain(label[1]), part)
            else:
                challenge.add(plain(marked))
        if item is not None:
            for para in item.paras[1:]:
                self._labelled_lines(challenge, para.lines(), None)
            for child in item.children:
                self._challenge_child(challenge, child)

    def challenge_para(self, para: Inline) -> None:
        lines = para.lines()
        marked, line = lines[0]
        if self.faithful:
            self._faithful_challenge_para(para)
            return
        label = match_label(marked)
        whole_bold = _whole_bold(marked)
        if self.pending_label == "solutions" and not label:
            for text, at in lines:
                self.solutions.append((plain(text), at))
            return
        if label and label[0] == "title" and not plain(label[1]) and len(lines) == 1:
            self.pending_label = None
            return
        if label and label[0] != "title":
            if self.challenge is None:
                return
            if not plain(label[1]) and len(lines) == 1:
                self.pending_label = label[0]
                self.challenge.part = label[0]
                self.challenge.labelled = self.challenge.labelled or label[0] == "solution"
                return
            self.pending_label = None
            self._labelled_lines(self.challenge, lines, None)
            return
        self.pending_label = None
        if label and self.ctx.kind == "challenge" and self.challenge is not None:
            self._labelled_lines(self.challenge, lines, None)
            return
        if label:  # Challenge: title
            head, *tail = _INLINE_LABEL.split(label[1])
            title, rest = _title_and_rest(plain(head))
            challenge = self._start_challenge(title, line)
            if challenge is not None:
                challenge.add(rest)
                self._labelled_lines(challenge, [(part, line) for part in tail] + lines[1:], None)
            return
        if whole_bold is not None and self.ctx.kind == "challenges":
            challenge = self._start_challenge(_CHALLENGE_PREFIX.sub("", whole_bold) or whole_bold, line)
            if challenge is not None:
                self._labelled_lines(challenge, lines[1:], None)
            return
        text = plain(para.marked)
        arrow = _ARROW.split(text, maxsplit=1)
        if len(arrow) == 2 and len(lines) == 1 and self.ctx.kind == "challenges":
            challenge = self._start_challenge(_title_and_rest(arrow[0])[0], line)
            if challenge:
                challenge.add(arrow[1], "solution")
                challenge.labelled = True
            return
        if self.challenge is not None and (self.ctx.kind == "challenge" or self.challenges):
            self._labelled_lines(self.challenge, lines, None)
        elif self.plain_text and len(lines) == 1:
            title, rest = _title_and_rest(text)
            challenge = self._start_challenge(title, line)
            if challenge:
                challenge.add(rest)

    def _faithful_challenge_para(self, para: Inline) -> None:
        marked = para.marked
        if marked == I0 + OPEN_MARKER.strip("*") + I1:
            if self.challenge is not None:
                self.challenge.open_marker = True
            return
        bold = re.fullmatch(rf"{B0}([^{B0}{B1}]+){B1}", marked)
        whole = bold.group(1) if bold is not None else None
        if whole is not None and not re.match(r"^Solution(?: so far)?:$", whole):
            self._start_challenge(whole, para.line)
            return
        if self.challenge is None:
            return
        found = re.match(rf"^{B0}(Solution(?: so far)?):{B1}\s*", marked)
        if found:
            self.challenge.part, self.challenge.labelled = "solution", True
            self.challenge.so_far = found.group(1) != "Solution"
            marked = marked[found.end() :]
        self.challenge.add(plain(marked))

    # --- takeaways

    def takeaway_item(self, item: Item) -> None:
        if not item.paras:
            for child in item.children:
                self.takeaway_item(child)
            return
        lines = item.paras[0].lines()
        marked, line = lines[0]
        if self.faithful:
            title, text = _split_faithful(marked)
            self._add_takeaway(title, text, line)
            return
        extra = [plain(m) for m, _ in lines[1:]] + [plain(p.marked) for p in item.paras[1:]]
        extra += [_item_text(child) for child in item.children]
        if _LEADING_BOLD.match(marked):
            title, text = _split_name(marked)
            if not text and len(title) > 120:
                title, text = _title_and_rest(title)
        else:
            text_all = plain(marked)
            found = _PLAIN_SEPARATOR.match(text_all)
            if found and len(found.group("name").split()) <= 8:
                title, text = _trim(found.group("name")), found.group("rest")
            else:
                title, text = _title_and_rest(text_all)
        self._add_takeaway(title, "\n".join(filter(None, [text, *extra])), line)

    def takeaway_para(self, para: Inline) -> None:
        lines = para.lines()
        group = self.ctx.group
        if self.faithful:
            return
        if all(_LEADING_BOLD.match(m) for m, _ in lines) or (self.plain_text and len(lines) == 1):
            for marked, line in lines:
                self.takeaway_item(Item(line, [Inline(marked, line)]))
            return
        if group is not None:
            group.texts.append(plain(para.marked))

    def takeaway_table(self, block: Block) -> None:
        for row in block.rows[1:]:
            if row:
                title = plain(row[0].marked)
                text = " — ".join(plain(cell.marked) for cell in row[1:] if plain(cell.marked))
                self._add_takeaway(title, text, row[0].line)

    def challenge_table(self, block: Block) -> None:
        if not block.rows:
            return
        header = [plain(cell.marked).lower() for cell in block.rows[0]]
        solution_col = _column(
            header, r"solution|fix|resolution|resolved|how|approach|outcome|answer|mitigation"
        )
        title_col = _column(header, r"challenge|problem|issue|obstacle|difficult|struggle")
        if title_col is None or title_col == solution_col:
            title_col = next((i for i in range(len(header)) if i != solution_col), None)
        detail_col = _column(header, r"descri|detail|context|cause|why|impact|symptom")
        if title_col is None:
            return
        for row in block.rows[1:]:
            if title_col >= len(row):
                continue
            title, rest = _title_and_rest(plain(row[title_col].marked))
            challenge = self._start_challenge(title, row[title_col].line)
            if challenge is None:
                continue
            challenge.labelled = True
            challenge.add(rest)
            if detail_col is not None and detail_col < len(row) and detail_col != title_col:
                challenge.add(plain(row[detail_col].marked), "problem")
            if solution_col is not None and solution_col < len(row):
                challenge.add("\n".join(plain(m) for m, _ in row[solution_col].lines()), "solution")

    # --- dispatch

    def block(self, block: Block) -> None:
        if block.kind == "heading" and block.text is not None:
            self.heading(block.text.marked, block.level, block.line)
            return
        if block.kind == "para" and block.text is not None and self._pseudo_heading(block.text):
            return
        ctx = self.ctx
        kind = ctx.kind
        if kind in ("title", "overview"):
            if block.kind == "para" and block.text is not None:
                (self.overview if kind == "overview" else self.intro).append(plain(block.text.marked))
                self._built_with(block.text)
            elif block.kind == "list" and kind == "title" and not self.faithful:
                self._labelled_anywhere(block)
        elif kind == "topics":
            if block.kind == "list":
                for item in block.items:
                    if ctx.topic and not (item.paras and _is_named(item.paras[0].marked, strict=True)):
                        self._add_notes(ctx.topic, _item_text(item))
                        continue
                    self.topic_item(item, ctx.category, ctx.topic, ctx.stack, ctx.learnings)
            elif block.kind == "para" and block.text is not None:
                self.topic_para(block.text, ctx)
            elif block.kind == "table":
                self.topic_table(block, ctx)
        elif kind in ("challenges", "challenge", "solutions"):
            if kind == "solutions":
                self.pending_label = "solutions"
            if block.kind == "list":
                for item in block.items:
                    self.challenge_item(item)
                if self.pending_label != "solutions" or kind != "solutions":
                    self.pending_label = None
            elif block.kind == "para" and block.text is not None:
                self.challenge_para(block.text)
            elif block.kind == "table":
                self.challenge_table(block)
        elif kind in ("takeaways", "group"):
            if block.kind == "list":
                for item in block.items:
                    self.takeaway_item(item)
            elif block.kind == "para" and block.text is not None:
                self.takeaway_para(block.text)
            elif block.kind == "table":
                self.takeaway_table(block)
        elif kind == "progress" and block.kind == "table":
            self.readme.statuses.update(_table_statuses(block.rows))
        elif kind in ("skip", "other") and block.kind == "list" and not self.faithful:
            self._labelled_anywhere(block)

    def _built_with(self, para: Inline) -> None:
        """Keep the bold names of a `built with **X**, **Y**` sentence: a stack when there is no other."""
        if self.faithful or not _BUILT_WITH.search(plain(para.marked)):
            return
        for name in _BOLD_RUN.findall(para.marked):
            name = _trim(plain(name), " ,.")
            if is_name_like(name) and "," not in name and not _BUILT_WITH.search(name):
                self._add_topic(name, "technology", "", None, para.line, stack=True)

    def _labelled_anywhere(self, block: Block) -> None:
        """Read `Challenge: … Solution: …` items wherever they stand: they say what they are."""
        for item in block.items:
            label = match_label(item.paras[0].marked) if item.paras else None
            if label and label[0] == "title" and plain(label[1]):
                saved = self.challenge
                self.challenge_item(item)
                if self.challenge is saved:
                    self.challenge = None

    def _pseudo_heading(self, para: Inline) -> bool:
        """Treat a bold line, or a short title-like line in a plain-text README, as a heading."""
        if self.faithful:
            return False
        if "\n" in para.marked.strip():
            return self.plain_text and self._headed_paragraph(para)
        whole = _whole_bold(para.marked)
        text = whole if whole is not None else (plain(para.marked) if self.plain_text else None)
        if text is None or len(text.split()) > 9 or len(text) > 80:
            return False
        if whole is None and not self._title_line(text):
            return False
        words = clean_heading(text)
        kind, _ = classify(words)
        ctx = self.ctx
        in_items = whole is not None and ctx.kind in (
            "challenges",
            "challenge",
            "takeaways",
            "group",
            "solutions",
        )
        label = match_label(para.marked + (":" if not para.marked.endswith(":") else ""))
        if label and in_items and label[0] != "learned":
            return False
        if kind in ("other",) or (in_items and kind not in ("takeaways", "challenges", "skip", "solutions")):
            if self.plain_text and not self.seen_heading and kind == "other" and not text.endswith("."):
                self.heading(text, 1, para.line)
                return True
            return False
        if in_items and kind == ctx.kind:
            return False
        if kind == "skip" and in_items and whole is None:
            return False
        self.heading(text, 7 if whole is not None else 2, para.line)
        return True

    def _title_line(self, text: str) -> bool:
        """Return whether a line of a plain-text README reads as a section title."""
        if self.symbol_titles:
            return _symbol_led(text)
        return len(text.split()) <= 5 and not re.search(r"[.:;(]\s*$|\(", text.strip())

    def _headed_paragraph(self, para: Inline) -> bool:
        """Read a pasted paragraph whose first line is a section title and the rest its items."""
        first, rest = para.marked.strip().split("\n", 1)
        if len(first.split()) > 9 or not self._title_line(plain(first)):
            return False
        kind, _ = classify(clean_heading(first))
        if kind == "other":
            return False
        self._pseudo_heading(Inline(first, para.line))
        rows = [Inline(line, para.line + 1 + i) for i, line in enumerate(rest.split("\n")) if line.strip()]
        if self.ctx.kind == "topics":
            for row in rows:
                self.topic_para(row, self.ctx)
        else:
            for row in rows:
                self.block(Block("para", row.line, text=row))
        return True

    def finish(self) -> Readme:
        readme = self.readme
        while self.contexts:
            self._close_group(self.contexts.pop())
        if not readme.topics and self.stack_topics:
            readme.topics = self.stack_topics
        described = self.overview or (self.intro if readme.title else [])
        readme.description = _clip("\n\n".join(filter(None, described)), MAX_TEXT)
        waiting = [c for c in self.challenges if not c.solution]
        if self.solutions and waiting:
            for challenge, (text, _) in zip(waiting, self.solutions, strict=False):
                challenge.add(text, "solution")
                challenge.labelled = True
        readme.challenges = [c.parsed(self.faithful) for c in self.challenges]
        for topic in readme.topics:
            topic.status = readme.statuses.get(topic.name.casefold())
        return readme


def _column(header: list[str], pattern: str) -> int | None:
    return next((i for i, cell in enumerate(header) if re.search(pattern, cell)), None)


def _whole_bold(marked: str) -> str | None:
    """Return the text of a line that is bold (or italic) from end to end, else None."""
    text = marked.strip()
    found = re.fullmatch(rf"[{B0}{I0}]+([^{B0}{B1}{I0}{I1}]+)[{B1}{I1}]+\s*:?", text)
    if not found:
        return None
    return _trim(found.group(1).strip(), " \t:") or None


def _is_named(marked: str, strict: bool = False) -> bool:
    """Return whether an item's first line names a thing: a bold lead, `Name: notes`, or a short name.

    `strict` asks for an explicit name: a bold lead or `Name: notes`.
    """
    if _LEADING_BOLD.match(marked):
        return True
    name, notes = _split_name(marked)
    if strict:
        return bool(notes) and is_name_like(name)
    return is_name_like(name) and (bool(notes) or name == plain(marked).strip())


def _item_text(item: Item) -> str:
    parts = [plain(p.marked) for p in item.paras]
    parts += [_item_text(child) for child in item.children]
    return " ".join(filter(None, parts))


def _split_faithful(marked: str) -> tuple[str, str]:
    """Return (name, text) of an item nexus wrote: `**Name**` or `**Name**: text`, taken verbatim."""
    found = re.match(rf"^{B0}([^{B0}{B1}]*){B1}(?::\s?(.*))?$", marked, re.S)
    if not found:
        return " ".join(_MARKS.sub("", marked).split()), ""
    return " ".join(found.group(1).split()), " ".join(_MARKS.sub("", found.group(2) or "").split())


def _table_statuses(rows: list[list[Inline]]) -> dict[str, Status]:
    if len(rows) < 2:
        return {}
    header = [plain(cell.marked).lower() for cell in rows[0]]
    name_col = next((i for i, h in enumerate(header) if h in ("topic", "name", "technology")), None)
    status_col = next((i for i, h in enumerate(header) if h == "status"), None)
    if name_col is None or status_col is None:
        return {}
    found: dict[str, Status] = {}
    for row in rows[1:]:
        if max(name_col, status_col) >= len(row):
            continue
        name = plain(row[name_col].marked)
        status = plain(row[status_col].marked).lower()
        if name and status in Status.__members__:
            found[name.casefold()] = Status(status)
    return found


_NEXUS_SECTIONS = {"Overview", "Major Learnings", "Challenges and Solutions", "Best Practices and Takeaways"}


def _nexus_shaped(blocks: list[Block]) -> bool:
    """Return whether the README has exactly the shape `export markdown` writes."""
    headings = [b for b in blocks if b.kind == "heading" and b.text is not None]
    if not headings or headings[0].level != 1 or headings[0].line != 1:
        return False
    seconds = [plain(b.text.marked) for b in headings if b.level == 2 and b.text is not None]
    if not seconds or not set(seconds) <= _NEXUS_SECTIONS | {"Progress"}:
        return False
    return all(b.level in (1, 2, 3) for b in headings)


def _symbol_led(text: str) -> bool:
    return bool(text) and unicodedata.category(text.lstrip()[:1] or " ") in ("So", "Sk")


def _is_plain_text(blocks: list[Block]) -> bool:
    """Return whether the README is plain text (pasted from a rendered page): no headings, no lists."""
    if any(b.kind in ("heading", "table") for b in blocks) or len(blocks) < 3:
        return False
    lists = sum(1 for b in blocks if b.kind == "list")
    return lists * 3 <= len(blocks) - lists  # a numbered line or two does not make a Markdown README


def parse_readme(text: str) -> Readme:
    """Return the programme, topics, challenges and takeaways a README describes."""
    prepared, notes = prepare(text)
    blocks = to_blocks(_MD.parse(prepared))
    plain_text = _is_plain_text(blocks)
    firsts = [
        plain(b.text.marked.split("\n", 1)[0]) for b in blocks if b.kind == "para" and b.text is not None
    ]
    symbol_titles = (
        plain_text and sum(1 for line in firsts if _symbol_led(line) and len(line.split()) <= 6) >= 2
    )
    reader = _Reader(faithful=_nexus_shaped(blocks), plain_text=plain_text, symbol_titles=symbol_titles)
    for block in blocks:
        reader.block(block)
    readme = reader.finish()
    readme.notes = notes
    return readme


def explain_nothing(readme: Readme) -> str:
    """Return why a README gave nothing: the headings seen, and what nexus looks for."""
    seen = [s for s in readme.sections if s.kind != "title"]
    if seen:
        listed = ", ".join(f"{s.title!r} (line {s.line})" for s in seen[:8])
        more = f" and {len(seen) - 8} more" if len(seen) > 8 else ""
        return f"headings seen: {listed}{more}"
    return "it has only a title" if readme.sections else "it has no headings nexus could read"


EXPECTED_HEADINGS = (
    "nexus looks for sections such as 'Key Technologies', 'Concepts', 'What I Learned', "
    "'Challenges and Solutions' and 'Best Practices' / 'Takeaways'"
)


# --- merging into a journal -------------------------------------------------------


class _Index:
    """What merging looks entries up by, built once: a README of 10,000 items stays linear."""

    def __init__(self, journal: Journal) -> None:
        self.ids = all_ids(journal)
        self.by_name: dict[str, dict[str, Any]] = {}
        self.by_id: dict[str, dict[str, Any]] = {}
        self.first_word: dict[str, list[Topic]] = {}
        for kind in ("topics", "challenges", "takeaways"):
            self.by_name[kind], self.by_id[kind] = {}, {}
            for item in getattr(journal, kind):
                self.add(kind, item)

    def add(self, kind: str, item: Topic | Challenge | Takeaway) -> None:
        self.ids.add(item.id)
        self.by_name[kind].setdefault(label_of(item).casefold(), item)
        self.by_id[kind].setdefault(item.id, item)
        if isinstance(item, Topic):
            words = item.name.casefold().split()
            if words:
                self.first_word.setdefault(_first_word(words[0]), []).append(item)

    def find(self, kind: str, name: str) -> Any:
        """Return the entry with this name (any case), else the one whose id is its slug."""
        return self.by_name[kind].get(name.casefold()) or self.by_id[kind].get(slugify(name))

    def new_id(self, name: str) -> str:
        base = slugify(name)
        candidate, n = base, 2
        while candidate in self.ids:
            candidate = f"{base}-{n}"
            n += 1
        return candidate

    def related_topics(self, title: str) -> list[str]:
        """Return the topics a challenge title names (`Kubernetes Complexity` -> kubernetes)."""
        words = title.casefold()
        candidates: dict[str, Topic] = {}
        for word in words.split():
            for topic in self.first_word.get(_first_word(word), []):
                candidates.setdefault(topic.id, topic)
        found = [
            topic.id
            for topic in candidates.values()
            if re.search(r"(?<!\w)" + re.escape(topic.name.casefold()) + r"(?!\w)", words)
        ]
        order = {id_: i for i, id_ in enumerate(self.by_id["topics"])}
        return sorted(found, key=order.__getitem__)


def _first_word(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word) or word


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


def _merge_topic(journal: Journal, parsed: ParsedTopic, now: dt.datetime, index: _Index) -> Change | None:
    parent = index.find("topics", parsed.parent) if parsed.parent else None
    topic = index.find("topics", parsed.name)
    if topic is None:
        topic = build(
            Topic,
            "README",
            id=index.new_id(parsed.name),
            name=parsed.name,
            category=parsed.category,
            parent=parent.id if parent else None,
            status=parsed.status or Status.planned,
            notes=parsed.notes,
            created=now,
            updated=now,
        )
        journal.topics.append(topic)
        index.add("topics", topic)
        return Change(ADD, "topic", topic.id, topic.name, topic.category, parsed.line)
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
        return Change(UPDATE, "topic", topic.id, topic.name, ", ".join(filled), parsed.line)
    if parsed.notes and parsed.notes != topic.notes:
        return Change(KEPT, "topic", topic.id, topic.name, "the journal's notes differ; kept", parsed.line)
    return None


def _merge_status(name: str, status: Status, now: dt.datetime, index: _Index) -> Change | None:
    topic = index.find("topics", name)
    if topic is None or not topic.status == Status.planned != status:
        return None
    topic.status, topic.updated = status, now
    return Change(UPDATE, "topic", topic.id, topic.name, "status")


def _merge_challenge(
    journal: Journal, parsed: ParsedChallenge, now: dt.datetime, index: _Index
) -> Change | None:
    challenge = index.find("challenges", parsed.title)
    if challenge is None:
        resolved = parsed.resolved and bool(parsed.solution.strip())
        challenge = build(
            Challenge,
            "README",
            id=index.new_id(parsed.title),
            title=parsed.title,
            topics=index.related_topics(parsed.title),
            problem=parsed.problem,
            solution=parsed.solution,
            status=ChallengeStatus.resolved if resolved else ChallengeStatus.open,
            opened=now,
            resolved=now if resolved else None,
        )
        journal.challenges.append(challenge)
        index.add("challenges", challenge)
        return Change(ADD, "challenge", challenge.id, challenge.title, challenge.status.value, parsed.line)
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
    related = [] if challenge.topics else index.related_topics(challenge.title)
    if related:
        challenge.topics = related
        filled.append("topics")
    if filled:
        return Change(UPDATE, "challenge", challenge.id, challenge.title, ", ".join(filled), parsed.line)
    return None


def _merge_takeaway(
    journal: Journal, parsed: ParsedTakeaway, now: dt.datetime, index: _Index
) -> Change | None:
    takeaway = index.find("takeaways", parsed.title)
    if takeaway is None:
        takeaway = build(
            Takeaway,
            "README",
            id=index.new_id(parsed.title),
            title=parsed.title,
            text=parsed.text,
            created=now,
        )
        journal.takeaways.append(takeaway)
        index.add("takeaways", takeaway)
        return Change(ADD, "takeaway", takeaway.id, takeaway.title, "", parsed.line)
    if parsed.text and not takeaway.text:
        takeaway.text = parsed.text
        return Change(UPDATE, "takeaway", takeaway.id, takeaway.title, "text", parsed.line)
    return None


def apply_readme(journal: Journal, readme: Readme) -> list[Change]:
    """Add what the README says to the journal; fill only empty fields of entries that exist.

    A challenge is linked to the topics its title names, if they exist; no
    topic is ever made up from a challenge title.
    """
    now = clock.utcnow()
    changes = _merge_program(journal, readme)
    index = _Index(journal)
    found: list[Change | None] = [_merge_topic(journal, topic, now, index) for topic in readme.topics]
    listed = {topic.name.casefold() for topic in readme.topics}
    found += [
        _merge_status(name, status, now, index)
        for name, status in readme.statuses.items()
        if name not in listed
    ]
    found += [_merge_challenge(journal, challenge, now, index) for challenge in readme.challenges]
    found += [_merge_takeaway(journal, takeaway, now, index) for takeaway in readme.takeaways]
    return changes + [change for change in found if change is not None]
