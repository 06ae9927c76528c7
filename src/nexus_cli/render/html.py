"""A view as a web page people would share: a title, light and dark, and a layout for the window.

Rich's own HTML export is one fixed-width block in one palette, whose empty bar
cells and study-free days are dark grey: on a white page an 8% bar looks 90%
full. This page instead carries the view drawn at a few widths (the window
shows the one that fits) and two palettes: the `--svg` picture's dark one, and
a light one in which empty cells are pale (prefers-color-scheme picks).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from rich.color import Color
from rich.color_triplet import ColorTriplet
from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import SVG_EXPORT_THEME, TerminalTheme

WIDTHS = (56, 80, 110, 160)  # columns the view is drawn at; the window shows the widest that fits

# GitHub's light palette: readable on white, greens that match the calendar.
LIGHT_THEME = TerminalTheme(
    (255, 255, 255),
    (36, 41, 47),
    [
        (36, 41, 47),
        (207, 34, 46),
        (26, 127, 55),
        (154, 103, 0),
        (9, 105, 218),
        (130, 80, 223),
        (27, 124, 131),
        (110, 119, 129),
    ],
    [
        (110, 119, 129),
        (164, 14, 38),
        (26, 127, 55),
        (99, 60, 1),
        (33, 139, 255),
        (163, 113, 247),
        (49, 146, 170),
        (140, 149, 159),
    ],
)
DARK_THEME = SVG_EXPORT_THEME  # the same colours as `nexus progress --svg`

# Fixed colours the terminal view uses for empty cells and the calendar's shades,
# and what they become on a light page (pale for "nothing", darker for "more").
LIGHT_FIXED = {
    (58, 58, 58): (208, 215, 222),  # grey23: an empty bar cell
    (78, 78, 78): (235, 237, 240),  # grey30: a day without study
    (0, 95, 0): (155, 233, 168),  # dark_green ... green1: more study, darker green
    (0, 135, 0): (64, 196, 99),
    (0, 215, 0): (48, 161, 78),
    (0, 255, 0): (33, 110, 57),
}


def _hex(triplet: ColorTriplet | tuple[int, int, int]) -> str:
    red, green, blue = triplet
    return f"#{red:02x}{green:02x}{blue:02x}"


def _css(style: Style, theme: TerminalTheme, fixed: dict[tuple[int, int, int], tuple[int, int, int]]) -> str:
    """Return the CSS declarations of a Rich style in one palette."""

    def colour(color: Color | None, foreground: bool) -> str | None:
        if color is None or color.is_default:
            return None
        triplet = tuple(color.get_truecolor(theme, foreground=foreground))
        return _hex(fixed.get(triplet, triplet))  # type: ignore[arg-type]

    rules = []
    fore, back = colour(style.color, True), colour(style.bgcolor, False)
    if style.reverse:
        fore, back = back or _hex(theme.background_color), fore or _hex(theme.foreground_color)
    if fore:
        rules.append(f"color:{fore}")
    if back:
        rules.append(f"background:{back}")
    if style.bold:
        rules.append("font-weight:bold")
    if style.italic:
        rules.append("font-style:italic")
    if style.underline:
        rules.append("text-decoration:underline")
    if style.dim:
        rules.append("opacity:.75")
    return ";".join(rules)


def _lines(view: RenderableType, width: int) -> list[list[Segment]]:
    from nexus_cli.output import export_console

    console = export_console(width)  # the console the SVG is drawn with: the same colours
    return console.render_lines(view, console.options, pad=False)


CHAR_REM = 0.875 * 0.6  # a monospace cell at the page's font size, in rem


def _fits(columns: int) -> float:
    """Return the window width, in rem, that a drawing `columns` wide needs (with the page's margins)."""
    return round(columns * CHAR_REM + 2.5, 2)


def render_html(
    make_view: Callable[[], RenderableType], title: str, *, widths: Sequence[int] = WIDTHS
) -> str:
    """Return a whole HTML page showing the view; `make_view` makes it afresh for each width."""
    classes: dict[Style, str] = {}
    blocks = []
    for number, width in enumerate(widths):
        body = []
        for line in _lines(make_view(), width):
            cells = []
            for segment in Segment.simplify(line):
                text = html.escape(segment.text)
                style = segment.style
                if style is None or not style or segment.control:
                    cells.append(text)
                    continue
                name = classes.setdefault(style, f"s{len(classes)}")
                cells.append(f'<span class="{name}">{text}</span>')
            body.append("".join(cells).rstrip())
        blocks.append(f'<pre class="view w{number}">' + "\n".join(body) + "</pre>")
    light = "\n".join(
        f".{name}{{{_css(style, LIGHT_THEME, LIGHT_FIXED)}}}" for style, name in classes.items()
    )
    dark = "\n".join(f"  .{name}{{{_css(style, DARK_THEME, {})}}}" for style, name in classes.items())
    # Each drawing shows from the window width where it fits up to where the next one fits.
    shown = []
    for number in range(len(widths)):
        limits = [f"(min-width:{_fits(widths[number])}rem)"] if number else []
        if number + 1 < len(widths):
            limits.append(f"(max-width:{_fits(widths[number + 1]) - 0.01:.2f}rem)")
        rule = f".w{number}{{display:block}}"
        # on a window narrower than the narrowest drawing, the letters shrink rather than scroll
        size = f"min(.875rem,calc((100vw - 2rem) / {widths[number] * 0.6:.1f}))"
        shown.append(f".w{number}{{display:none;font-size:{size}}}")
        shown.append(f"@media {' and '.join(limits)}{{{rule}}}" if limits else rule)
    page_title = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{page_title}</title>
<style>
:root{{--bg:{_hex(LIGHT_THEME.background_color)};--fg:{_hex(LIGHT_THEME.foreground_color)};--muted:#57606a}}
@media (prefers-color-scheme: dark){{
  :root{{--bg:{_hex(DARK_THEME.background_color)};--fg:{_hex(DARK_THEME.foreground_color)};--muted:#9a9b99}}
}}
html{{background:var(--bg);color:var(--fg)}}
body{{margin:0 auto;padding:1.5rem 1rem;max-width:max-content}}
h1{{font:600 1.25rem/1.3 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 0 1rem}}
footer{{font:.8rem system-ui,sans-serif;color:var(--muted);margin-top:1rem}}
pre.view{{font-family:ui-monospace,"SFMono-Regular","Cascadia Mono","DejaVu Sans Mono",Menlo,monospace;
  line-height:1.15;margin:0;font-variant-ligatures:none}}
{chr(10).join(shown)}
{light}
@media (prefers-color-scheme: dark){{
{dark}
}}
</style>
</head>
<body>
<h1>{page_title}</h1>
<main>
{chr(10).join(blocks)}
</main>
<footer>Made with nexus, a study journal for the terminal.</footer>
</body>
</html>
"""
