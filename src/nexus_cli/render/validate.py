"""Show validation problems: text with the source line and a caret, JSON, GitHub annotations."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from nexus_cli.core.check import FileResult, Problem, Summary
from nexus_cli.core.text import json_text, neutralize

SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow"}
WINDOW = 100  # the longest stretch of a source line shown (minified JSON is one long line)


def _excerpt(line: str, column: int) -> tuple[str, int]:
    """Return the part of a long line around `column`, and the column within it."""
    line = neutralize(line.replace("\t", " "))
    if len(line) <= WINDOW:
        return line, column
    start = max(0, min(column - 1 - WINDOW // 2, len(line) - WINDOW))
    shown = line[start : start + WINDOW]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + WINDOW < len(line) else ""
    return prefix + shown + suffix, column - start + len(prefix)


def _where(problem: Problem) -> str:
    if problem.line is None:
        return problem.file
    return f"{problem.file}:{problem.line}:{problem.column or 1}"


def render_problem(problem: Problem) -> Text:
    """Return one problem: the location line, the source line with a caret, the hint."""
    out = Text()
    out.append(neutralize(_where(problem), keep_newlines=False), style="bold")
    out.append(": ")
    out.append(problem.code, style="bold")
    out.append(" ")
    out.append(problem.severity, style=SEVERITY_STYLE.get(problem.severity, ""))
    out.append(": ")
    out.append(neutralize(problem.message, keep_newlines=False))
    if problem.path:
        out.append(f" ({neutralize(problem.path, keep_newlines=False)})", style="dim")
    if problem.line is not None and problem.source:
        number = str(problem.line)
        gutter = " " * len(number)
        shown, column = _excerpt(problem.source, problem.column or 1)
        pad = cell_len(shown[: max(column - 1, 0)])
        out.append(f"\n{gutter} |\n", style="blue")
        out.append(f"{number} | ", style="blue")
        out.append(shown)
        out.append(f"\n{gutter} | ", style="blue")
        out.append(" " * pad + "^", style=SEVERITY_STYLE.get(problem.severity, ""))
    if problem.hint:
        out.append("\n" + (" " * (len(str(problem.line)) if problem.line else 0)) + " = ", style="blue")
        out.append("hint: ", style="cyan")
        out.append(neutralize(problem.hint, keep_newlines=False))
    return out


def render_text(results: list[FileResult], summary: Summary, *, strict: bool = False) -> Text:
    """Return every problem grouped by file, then a one-line summary.

    One text, its parts joined by line breaks: it prints the same lines as a group of
    texts, in less time when there are thousands of problems.
    """
    parts: list[Text] = []
    for result in results:
        for problem in result.problems:
            parts.append(render_problem(problem))
            parts.append(Text(""))
    style = "bold red" if summary.exit_code(strict=strict) else "bold green"
    parts.append(Text(summary.line(), style=style))
    return Text("\n").join(parts)


def render_json(results: list[FileResult]) -> str:
    """Return all problems as a JSON list with stable field names."""
    problems = [p.to_dict() for r in results for p in r.problems]
    return json_text(problems)


def _escape_data(value: str) -> str:
    # Control characters from the file (an ESC in a key) must not reach the CI log raw.
    return neutralize(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(results: list[FileResult]) -> str:
    """Return GitHub Actions workflow commands, one annotation per problem."""
    lines = []
    for result in results:
        for problem in result.problems:
            props = [f"file={_escape_property(problem.file)}"]
            if problem.line is not None:
                props.append(f"line={problem.line}")
                props.append(f"col={problem.column or 1}")
            props.append(f"title={_escape_property(problem.code)}")
            message = problem.message
            if problem.path:
                message = f"{problem.path}: {message}"
            if problem.hint:
                message += f"\nhint: {problem.hint}"
            level = "error" if problem.severity == "error" else "warning"
            lines.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)
