"""The outcome of a run in words: counts, the summary line, and the exit code."""

from __future__ import annotations

from dataclasses import dataclass

from nexus_cli.core.check.codes import IO_CODES, FileResult


@dataclass
class Summary:
    """Counts over a run, and the exit code they imply."""

    errors: int
    warnings: int
    files: int
    files_with_problems: int
    unreadable: int

    def exit_code(self, *, strict: bool = False) -> int:
        if self.unreadable:
            return 2
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def line(self) -> str:
        def count(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        files = count(self.files, "file")
        unreadable = f" ({count(self.unreadable, 'path')} could not be read)" if self.unreadable else ""
        if not self.errors and not self.warnings:
            return f"no problems in {files}"
        return (
            f"{count(self.errors, 'error')}, {count(self.warnings, 'warning')} "
            f"in {self.files_with_problems} of {files}{unreadable}"
        )


def summarize(results: list[FileResult]) -> Summary:
    """Count errors, warnings and files of a run."""
    problems = [p for r in results for p in r.problems]
    return Summary(
        errors=sum(p.severity == "error" for p in problems),
        warnings=sum(p.severity == "warning" for p in problems),
        files=sum(1 for r in results if r.checked),
        files_with_problems=sum(1 for r in results if r.problems and r.checked),
        unreadable=sum(p.code in IO_CODES for p in problems),
    )
