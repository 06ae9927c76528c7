"""The dashboard of `nexus progress`: topic tree, summary and a calendar heatmap.

The view adapts to the width it is given: the summary and heatmap beside the
tree when both fit at their natural widths, side by side under it when they fit
there, else everything stacked (down to 40 columns and less).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.styled import Styled
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from nexus_cli.core.models import Challenge, Journal, Topic
from nexus_cli.core.pace import summarize
from nexus_cli.core.parse import format_minutes
from nexus_cli.core.queries import subtree_ids
from nexus_cli.core.stats import Stats, heat_level, heat_thresholds, heatmap_grid, heatmap_weeks
from nexus_cli.render.common import STATUS_STYLE, progress_bar, safe, status_text
from nexus_cli.render.pace import render_compact as render_compact_pace

ONE_LINE_TOPIC = 60  # narrower than this, a topic takes two lines

HEAT_GLYPHS = ("·", "░", "▒", "▓", "█")  # without colour, the shade is in the glyph
HEAT_SQUARES = ("■", "■", "■", "■", "■")  # with colour, the shade is in the colour
HEAT_STYLES = ("grey30", "dark_green", "green4", "green3", "green1")
BAR_WIDTH = 10
STATUS_WIDTH = 10
HOURS_WIDTH = 7
TARGET_WIDTH = 11
ROW_NUMBERS = 4 + STATUS_WIDTH + HOURS_WIDTH + BAR_WIDTH + TARGET_WIDTH  # with the gaps between them
SUMMARY_LEAST = 40  # narrower than this, the summary goes above the heatmap, not beside it
NAME_NATURAL = 32  # longer names wrap rather than widen the whole tree
MAX_TREE_DEPTH = 12  # deeper subtopics are counted under the 12th level, not drawn ever narrower
TREE_TOPICS = 60  # more topics than this, and the tree shows top-level topics only (`--all`: every one)
PACE_SHOWN = 12  # goals in the pace panel: a dashboard, not a list (`nexus pace` has them all)


def render_progress(
    journal: Journal, stats: Stats, *, every_topic: bool = False, now: dt.datetime | None = None
) -> RenderableType:
    """Return the whole dashboard; it lays itself out for the width it is printed at.

    A journal of more than TREE_TOPICS topics shows its top-level topics only,
    unless `every_topic`. A running timer gets a line on top (given `now`).
    """
    return _Dashboard(journal, stats, every_topic=every_topic, now=now)


class _Dashboard:
    def __init__(self, journal: Journal, stats: Stats, *, every_topic: bool, now: dt.datetime | None) -> None:
        self.journal = journal
        self.stats = stats
        self.every_topic = every_topic
        self.now = now

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if self.journal.timer is not None and self.now is not None:
            from nexus_cli.render.timer import timer_line

            yield timer_line(self.journal.timer, self.now)
        tree = _panel(topic_tree(self.journal, self.stats, every_topic=self.every_topic), "Topics")
        summary = _panel(render_summary(self.stats), "Summary")
        heatmap = _panel(Heatmap(self.stats.daily, self.stats.today, began=self.stats.began), "Study days")

        def natural(renderable: RenderableType, room: int = width) -> int:
            return Measurement.get(console, options.update_width(room), renderable).maximum

        tree_width = natural(tree)
        side_width = max(natural(summary), natural(heatmap, max(width - tree_width, 1)))
        used = width
        if width >= tree_width + side_width:
            used = tree_width + side_width
            grid = Table.grid()
            grid.add_column(width=tree_width)
            grid.add_column(width=side_width)
            grid.add_row(tree, Group(summary, heatmap))
            yield grid
        else:
            yield tree
            heatmap_width = natural(heatmap)
            if width - heatmap_width >= SUMMARY_LEAST:
                grid = Table.grid(expand=True)
                grid.add_column(ratio=1)
                grid.add_column(width=heatmap_width)
                grid.add_row(summary, heatmap)
                yield grid
            else:
                yield summary
                yield heatmap
        pace = summarize(self.journal, self.stats.today, known=self.stats)
        if pace.overall is not None:  # only journals with targets have a pace to show
            # One form at every width (`nexus pace` has the full table), as wide as the panels above.
            body = render_compact_pace(pace, limit=PACE_SHOWN)
            panel = _panel(body, "Pace")
            panel.width = min(width, max(used, natural(body) + 4))  # 4: the borders and padding
            yield panel


class _Tree(Tree):
    """Rich's Tree, drawn with less work per row: the same lines, guides and styles.

    Rich lays out every label through `Console.render_lines` (options copied,
    text wrapped, joined and split again), which was half the time of printing
    a dashboard. Here a label that is one line of text with room to spare is
    drawn as its own segments after the guides; a label that wraps, or anything
    the plain drawing does not cover (nodes with their own styles, collapsed
    nodes, a hidden root, justified output), goes through Rich as before.
    """

    def _plain(self, options: ConsoleOptions) -> bool:
        if self.hide_root or options.justify is not None:
            return False
        stack: list[Tree] = [self]
        while stack:
            node = stack.pop()
            if node.style != self.style or node.guide_style != self.guide_style:
                return False
            if node.children and not node.expanded:
                return False
            stack.extend(node.children)
        return True

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        style = console.get_style(self.style)
        guide_style = console.get_style(self.guide_style)
        if not self._plain(options) or style.background_style or guide_style.underline2:
            yield from super().__rich_console__(console, options)
            return
        # The guide set Rich picks for these options and this guide style.
        if options.ascii_only:
            texts = self.ASCII_GUIDES
        else:
            texts = self.TREE_GUIDES[0 if options.legacy_windows or not guide_style.bold else 1]
        guide = guide_style + Style(bold=False, underline2=False)
        space, line, fork, end = (Segment(text, guide) for text in texts)
        new_line = Segment.line()
        # (node, its guides on its first line, its guides on the lines after)
        todo: list[tuple[Tree, list[Segment], list[Segment]]] = [(self, [], [])]
        while todo:
            node, first, rest = todo.pop()
            room = options.max_width - sum(segment.cell_length for segment in first)
            lines = self._label_lines(console, options, node, style, room)
            for number, segments in enumerate(lines):
                yield from first if number == 0 else rest
                yield from segments
                yield new_line
            if not node.children:
                continue
            above = rest  # what every line under this node starts with
            last = len(node.children) - 1
            todo.extend(
                (child, [*above, end if index == last else fork], [*above, space if index == last else line])
                for index, child in reversed(list(enumerate(node.children)))
            )

    def _label_lines(
        self, console: Console, options: ConsoleOptions, node: Tree, style: Style, room: int
    ) -> list[list[Segment]]:
        label = node.label
        one_line = getattr(label, "one_line", None)
        if one_line is not None and room > 0:
            label = one_line(console, room) or label
        if (
            isinstance(label, Text)
            and room > 0
            and label.end == "\n"
            and label.justify is None
            and "\n" not in label.plain
            and "\t" not in label.plain
            and label.cell_len <= room
        ):
            # As Text lays itself out: the line joined (its own style becomes a span), then drawn.
            segments = Segment.apply_style(Text("\n").join([label]).render(console), style)
            return [[segment for segment in segments if segment.text]]
        return console.render_lines(
            Styled(node.label, style),
            options.update(width=room, highlight=self.highlight, height=None),
            pad=False,
        )


def _panel(body: RenderableType, title: str) -> Panel:
    return Panel(body, title=Text(title, style="bold"), title_align="left", box=box.ROUNDED, padding=(0, 1))


# --- the tree ---------------------------------------------------------------------------------------


def topic_tree(journal: Journal, stats: Stats, *, every_topic: bool = False) -> Tree:
    """Return programme → category → topic → subtopic, each topic with its numbers.

    Past TREE_TOPICS topics (unless `every_topic`), each top-level topic stands
    for its subtree: its subtopics are counted, not listed, its open challenges
    include theirs, and after TREE_TOPICS top-level topics the rest are counted.
    """
    tree = _Tree(_root_label(journal, stats), guide_style="bright_black")
    ids = {t.id for t in journal.topics}
    children: dict[str | None, list[Topic]] = defaultdict(list)
    for topic in stats.topics:
        children[topic.parent if topic.parent in ids else None].append(topic)
    open_by_topic: dict[str, list[Challenge]] = defaultdict(list)
    loose: list[Challenge] = []
    for challenge in journal.challenges:
        if challenge.status.value != "open":
            continue
        known = [t for t in challenge.topics if t in ids]
        for topic_id in known:
            open_by_topic[topic_id].append(challenge)
        if not known:
            loose.append(challenge)
    categories: dict[str, list[Topic]] = {}
    for topic in children[None]:
        categories.setdefault(topic.category, []).append(topic)
    fold = not every_topic and len(journal.topics) > TREE_TOPICS
    rank = {c.id: n for n, c in enumerate(journal.challenges)} if fold else {}
    seen: set[str] = set()

    def add(node: Tree, top: Topic, _depth: int) -> None:
        # depth first with a stack, not recursion: a parent chain may be thousands deep
        stack = [(node, top, 0)]
        while stack:
            parent, topic, depth = stack.pop()
            seen.add(topic.id)
            branch = parent.add(_TopicRow(topic, stats.subtree_minutes.get(topic.id, 0), root=depth == 0))
            if fold:
                _add_folded(branch, topic, children, open_by_topic, seen, rank)
                continue
            _add_challenges(branch, open_by_topic.get(topic.id, []))
            below = [child for child in children.get(topic.id, []) if child.id not in seen]
            if below and depth + 1 >= MAX_TREE_DEPTH:
                hidden = subtree_ids(journal, topic.id) - seen
                more = len(hidden)
                branch.add(Text(f"… {more} deeper subtopics: nexus show {topic.id}", style="bright_black"))
                seen.update(hidden)
                continue
            stack.extend((branch, child, depth + 1) for child in reversed(below))

    shown = 0
    for category, topics in categories.items():
        if fold and shown == TREE_TOPICS:
            break
        label = safe(category, "bold magenta")
        listed = min(len(topics), TREE_TOPICS - shown) if fold else len(topics)
        counted = (
            _count(len(topics), "topic") if listed == len(topics) else f"{listed} of {len(topics)} topics"
        )
        label.append(f"  {counted}", style="bright_black")
        node = tree.add(label)
        for topic in topics:
            if fold and shown == TREE_TOPICS:
                break
            add(node, topic, 0)
            shown += 1
    if fold and shown < len(children[None]):
        more = len(children[None]) - shown
        plural = "" if more == 1 else "s"
        tree.add(Text(f"… {more} more top-level topic{plural}: nexus progress --all", style="bright_black"))
    if loose:
        node = tree.add(Text("open challenges without a topic", style="bold red"))
        _add_challenges(node, loose)
    return tree


def _add_folded(
    branch: Tree,
    topic: Topic,
    children: dict[str | None, list[Topic]],
    open_by_topic: dict[str, list[Challenge]],
    seen: set[str],
    rank: dict[str, int],
) -> None:
    """Hang a topic's open challenges and those of its subtopics, then a count of the subtopics."""
    challenges = {c.id: c for c in open_by_topic.get(topic.id, [])}
    subtopics = 0
    stack = list(children.get(topic.id, []))
    while stack:
        child = stack.pop()
        if child.id in seen:
            continue
        seen.add(child.id)
        subtopics += 1
        challenges.update((c.id, c) for c in open_by_topic.get(child.id, []))
        stack.extend(children.get(child.id, []))
    _add_challenges(branch, sorted(challenges.values(), key=lambda c: rank[c.id]))
    if subtopics:
        branch.add(Text(f"… {_count(subtopics, 'subtopic')}: nexus show {topic.id}", style="bright_black"))


OPEN_SHOWN = 3  # per topic: a dashboard, not a list (`nexus list challenges --open` has them all)


def _add_challenges(node: Tree, challenges: list[Challenge]) -> None:
    """Hang the oldest open challenges under a node, and a count of the rest."""
    for challenge in challenges[:OPEN_SHOWN]:
        node.add(_challenge_label(challenge))
    if len(challenges) > OPEN_SHOWN:
        more = len(challenges) - OPEN_SHOWN
        node.add(Text(f"⚑ … {more} more open: nexus list challenges --open", style="red"))


def _root_label(journal: Journal, stats: Stats) -> Text:
    program = journal.program
    label = safe(program.name if program else "Study journal", "bold")
    if program and program.start:
        span = program.start.strftime("%-d %b %Y")
        if program.end:
            span += " → " + program.end.strftime("%-d %b %Y")
        label.append("\n" + span, style="bright_black")
        if program.end and program.start <= stats.today <= program.end:
            week = (stats.today - program.start).days // 7 + 1
            weeks = math.ceil(((program.end - program.start).days + 1) / 7)
            label.append(f" · week {week} of {weeks}", style="bright_black")
    return label


def _challenge_label(challenge: Challenge) -> Text:
    label = Text("⚑ ", style="red")
    label.append_text(safe(challenge.title))
    label.append(f"  {challenge.id}", style="bright_black")
    return label


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _hours(minutes: int) -> str:
    return format_minutes(minutes) if minutes else "0h"


def _pad(text: Text, width: int, *, right: bool = False) -> Text:
    space = " " * max(width - text.cell_len, 0)
    return Text.assemble(space, text) if right else Text.assemble(text, space)


class _TopicRow:
    """One topic in the tree: one line when there is room, two when narrow."""

    def __init__(self, topic: Topic, minutes: int, *, root: bool) -> None:
        self.topic = topic
        self.minutes = minutes
        self.root = root

    def _parts(self, bar_width: int, color: bool) -> tuple[Text, Text, Text, Text, Text]:
        topic = self.topic
        name = safe(topic.name, "bold" if self.root else "")
        hours = Text(_hours(self.minutes), style="" if self.minutes else "bright_black")
        bar, target = Text(), Text()
        if topic.target_hours:
            share = self.minutes / 60 / topic.target_hours
            style = "green" if share >= 1 else STATUS_STYLE.get(topic.status.value, "")
            bar = progress_bar(share, bar_width, style or "white", color=color)
            target = Text(f"{share:>4.0%}", style="bold green" if share >= 1 else "")
            target.append(f" of {topic.target_hours:g}h", style="bright_black")
        return name, status_text(topic.status), hours, bar, target

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        name = min(Text(self.topic.name).cell_len, NAME_NATURAL)
        # at least ONE_LINE_TOPIC: narrower, a row takes two lines, so a wide terminal would wrap every topic
        return Measurement(
            min(options.max_width, 20), min(options.max_width, max(name + ROW_NUMBERS, ONE_LINE_TOPIC))
        )

    def one_line(self, console: Console, width: int) -> Text | None:
        """Return the row as one Text when it fits on one line at `width` (the common case)."""
        if width < ONE_LINE_TOPIC:
            return None
        name, status, hours, bar, target = self._parts(BAR_WIDTH, bool(console.color_system))
        name_width = width - ROW_NUMBERS
        if name.cell_len > name_width or "\n" in name.plain:
            return None
        return Text.assemble(
            _pad(name, name_width),
            " ",
            _pad(status, STATUS_WIDTH),
            " ",
            _pad(hours, HOURS_WIDTH, right=True),
            " ",
            _pad(bar, BAR_WIDTH),
            " ",
            target,
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        line = self.one_line(console, width)
        if line is not None:
            # One Text, not a grid per row: a grid would cost most of the dashboard's time.
            yield line
            return
        if width >= ONE_LINE_TOPIC:
            name, status, hours, bar, target = self._parts(BAR_WIDTH, bool(console.color_system))
            grid = Table.grid(padding=(0, 1), expand=True)
            grid.add_column(ratio=1, overflow="fold")
            grid.add_column(width=STATUS_WIDTH)
            grid.add_column(width=HOURS_WIDTH, justify="right")
            grid.add_column(width=BAR_WIDTH)
            grid.add_column(width=TARGET_WIDTH)
            grid.add_row(name, status, hours, bar, target)
            yield grid
            return
        bar_width = max(4, min(BAR_WIDTH, width - STATUS_WIDTH - 6))
        name, status, hours, bar, target = self._parts(bar_width, bool(console.color_system))
        first = Table.grid(padding=(0, 1), expand=True)
        first.add_column(ratio=1, overflow="fold")
        first.add_column(justify="right", no_wrap=True)
        first.add_row(name, hours)
        second = Text.assemble(status, " " * max(1, STATUS_WIDTH + 1 - len(status)), bar)
        if target:
            second.append(" ")
            second.append_text(target[:4] if width < 30 else target)
        yield first
        yield second


# --- the summary ------------------------------------------------------------------------------------


def render_summary(stats: Stats) -> Table:
    """Return the headline numbers: time, this week, streaks, statuses, challenges."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    total = Text(_hours(stats.total_minutes), style="bold")
    total.append(
        f"  {_count(stats.sessions, 'session')} on {_count(stats.study_days, 'day')}", style="bright_black"
    )
    grid.add_row("Total", total)
    grid.add_row("This week", _week_text(stats))
    streak = Text(_count(stats.current_streak, "day"), style="bold" if stats.current_streak else "")
    streak.append(f"  longest {_count(stats.longest_streak, 'day')}", style="bright_black")
    grid.add_row("Streak", streak)
    grid.add_row("Topics", _counts(stats.topics_by_status))
    grid.add_row("Challenges", _counts(stats.challenges_by_status))
    return grid


def _week_text(stats: Stats) -> Text:
    """Return `2h15m · last week 2h (15m more)`: this week first, then what it compares with."""
    this, last = stats.this_week_minutes, stats.last_week_minutes
    text = Text(_hours(this), style="bold")
    text.append(f"  last week {_hours(last)}", style="bright_black")
    delta = this - last
    if this and last and delta > 0:
        text.append(f" ({format_minutes(delta)} more)", style="green")
    elif this and last and delta < 0:
        text.append(f" ({format_minutes(-delta)} less)", style="yellow")
    return text


class _Counts:
    """`3 learning · 2 confident`: on one line when it fits, else one count a line."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.items = []
        for name, number in counts.items():
            item = Text(f"{number} ", style="bold" if number else "bright_black")
            item.append(name, style=STATUS_STYLE.get(name, "") if number else "bright_black")
            self.items.append(item)
        self.line = Text(" · ", style="bright_black").join(self.items)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((item.cell_len for item in self.items), default=0)
        return Measurement(widest, self.line.cell_len).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.line.cell_len <= options.max_width:
            yield self.line
        else:
            yield from self.items


def _counts(counts: dict[str, int]) -> _Counts:
    return _Counts(counts)


# --- the heatmap ------------------------------------------------------------------------------------

DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
LABEL_WIDTH = 4


class Heatmap:
    """A contributions-style calendar: weekday rows, week columns, shade by minutes studied."""

    def __init__(self, daily: dict[dt.date, int], today: dt.date, *, began: dt.date | None = None) -> None:
        self.daily = daily
        self.today = today
        self.began = began
        self._layouts: dict[int, tuple[int, list[list[int | None]], tuple[int, ...]]] = {}

    def _layout(self, width: int) -> tuple[int, list[list[int | None]], tuple[int, ...]]:
        # The dashboard measures the heatmap before drawing it, at the same widths: lay it out once.
        if width not in self._layouts:
            most = max(1, (width - LABEL_WIDTH + 1) // 2)
            weeks = heatmap_weeks(self.daily, self.today, most, began=self.began)
            grid = heatmap_grid(self.daily, self.today, weeks)
            self._layouts[width] = (weeks, grid, heat_thresholds(minutes for row in grid for minutes in row))
        return self._layouts[width]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        weeks, _, thresholds = self._layout(options.max_width)
        legend = self._legend(thresholds, options.max_width).cell_len
        widest = max(LABEL_WIDTH + 2 * weeks - 1, legend)
        return Measurement(min(options.max_width, 16), min(options.max_width, widest))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        weeks, grid, thresholds = self._layout(options.max_width)
        # Squares need shades of green; 16-colour terminals have one green, so keep the glyphs there.
        glyphs = HEAT_SQUARES if console.color_system in ("256", "truecolor") else HEAT_GLYPHS
        first = self.today - dt.timedelta(days=self.today.weekday(), weeks=weeks - 1)
        yield self._months(first, weeks)
        for weekday, row in enumerate(grid):
            line = Text(DAY_LABELS[weekday].ljust(LABEL_WIDTH), style="bright_black")
            for column, minutes in enumerate(row):
                if column:
                    line.append(" ")
                if minutes is None:
                    line.append(" ")
                else:
                    level = heat_level(minutes, thresholds)
                    line.append(glyphs[level], style=HEAT_STYLES[level])
            line.rstrip()
            yield line
        yield self._legend(thresholds, options.max_width, glyphs)

    def _months(self, first: dt.date, weeks: int) -> Text:
        cells = [" "] * (LABEL_WIDTH + max(weeks * 2, 4))  # a young journal's one week still gets its month
        free_from = 0
        for column in range(weeks):
            monday = first + dt.timedelta(weeks=column)
            starts_month = column == 0 or monday.month != (monday - dt.timedelta(weeks=1)).month
            position = LABEL_WIDTH + column * 2
            name = monday.strftime("%b")
            if starts_month and position >= free_from and position + len(name) <= len(cells):
                cells[position : position + len(name)] = list(name)
                free_from = position + len(name) + 1
        return Text("".join(cells).rstrip(), style="bright_black")

    def _legend(self, thresholds: tuple[int, ...], width: int, glyphs: tuple[str, ...] = HEAT_GLYPHS) -> Text:
        bounds = [
            "0",
            *(f"<{format_minutes(m)}" for m in thresholds[1:]),
            f"{format_minutes(thresholds[-1])}+",
        ]
        legend = Text()
        for level, bound in enumerate(bounds):
            if legend:
                legend.append(" ")
            legend.append(glyphs[level], style=HEAT_STYLES[level])
            legend.append(" " + bound, style="bright_black")
        if legend.cell_len > width:
            legend = Text("less ", style="bright_black")
            for level, glyph in enumerate(glyphs):
                legend.append(glyph, style=HEAT_STYLES[level])
            legend.append(" more", style="bright_black")
        return legend


def empty_message() -> str:
    """Return what `nexus progress` says about a journal with nothing in it yet."""
    return (
        "Nothing to show yet: add a topic and log some time, e.g.\n"
        "  nexus add topic Python --target 40h\n"
        "  nexus log python 1h30m"
    )
