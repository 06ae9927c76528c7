"""Check journal files: every problem, with its file, line, column, entry path and code.

A check never writes anything. It reads bytes and parses them the way the
store does (`syntax`), validates the data against the model (`schema`) and
then looks at the raw data again for what the model cannot see (`semantics`:
duplicate ids, dangling references, cycles, overlaps, dates in the future).
`codes` lists what can be found; `summary` puts a run in words; `files` finds
the journals in folders and checks many at once; `sourcemap` places a problem
on its line.

Everything outside this package uses the names below.
"""

from nexus_cli.core.check.codes import CODES, FIELDS, IO_CODES, Code, FileResult, Format, Problem, Severity
from nexus_cli.core.check.files import STDIN, STDIN_NAME, check_many, check_path, expand, run
from nexus_cli.core.check.guard import adds_no_error, refuse_new_errors
from nexus_cli.core.check.journal import check_bytes
from nexus_cli.core.check.semantics import rule_errors
from nexus_cli.core.check.summary import Summary, summarize
from nexus_cli.core.check.syntax import sniff_format

__all__ = [
    "CODES",
    "FIELDS",
    "IO_CODES",
    "STDIN",
    "STDIN_NAME",
    "Code",
    "FileResult",
    "Format",
    "Problem",
    "Severity",
    "Summary",
    "adds_no_error",
    "check_bytes",
    "check_many",
    "check_path",
    "expand",
    "refuse_new_errors",
    "rule_errors",
    "run",
    "sniff_format",
    "summarize",
]
