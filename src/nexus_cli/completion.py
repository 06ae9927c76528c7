"""TAB completion of ids, answered before Typer and Pydantic load.

The shell runs `nexus` with `_NEXUS_COMPLETE=complete_bash` (zsh, fish) for
each TAB. Loading the app and the journal's models for that takes longer than
a TAB may; yet most TABs ask one thing: the ids that start with what was typed,
where a command takes a topic or entry id (`nexus log dj<TAB>`,
`nexus show <TAB>`, `--topic <TAB>`). `answer()` recognises exactly those
plain forms and answers them from the journal's cache entry; for anything else
(other words, options it does not know, no cache entry, text it would have to
render differently), it returns False and Typer completes as before.
"""

from __future__ import annotations

import os
import re
import shlex
import sys

COMPLETE_VAR = "_NEXUS_COMPLETE"
ALL = ["topic", "challenge", "takeaway", "session"]
# command -> kinds of the id its first argument takes
FIRST_ARGUMENT: dict[str, list[str]] = {
    "log": ["topic"],
    "start": ["topic"],
    "show": ALL,
    "rm": ALL,
    "edit": ALL,
    "solve": ["challenge"],
    "review": ["takeaway", "topic"],
    "add resource": ["topic"],
}
# command -> options whose value is a topic id
TOPIC_OPTIONS: dict[str, set[str]] = {
    "list": {"-t", "--topic"},
    "add challenge": {"-t", "--topic"},
    "add takeaway": {"-t", "--topic"},
    "add topic": {"--parent"},
    "edit": {"-t", "--topic", "--parent"},
}
GLOBAL_FLAGS = {"--no-color", "--debug"}
JOURNAL_OPTIONS = {"-j", "--journal"}
# labels zsh and fish show as they are (Typer runs them through Rich markup first)
PLAIN_LABEL = re.compile(r"[\w .,/+#&()'-]{0,60}")


def _split(text: str) -> list[str] | None:
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:  # an open quote: Click reads that its own way
        return None


def _words() -> tuple[str, list[str], str] | None:
    """Return (shell, words typed after `nexus`, the word being completed)."""
    shell = os.environ.get(COMPLETE_VAR, "")
    if shell == "complete_bash":
        words = _split(os.environ.get("COMP_WORDS", ""))
        try:
            cword = int(os.environ.get("COMP_CWORD", ""))
        except ValueError:
            return None
        if words is None or cword < 1:
            return None
        return "bash", words[1:cword], words[cword] if cword < len(words) else ""
    if shell in ("complete_zsh", "complete_fish"):
        if shell == "complete_fish" and os.environ.get("_TYPER_COMPLETE_FISH_ACTION") not in (
            "get-args",
            "is-args",
        ):
            return None
        typed = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = _split(typed)
        if words is None:
            return None
        args = words[1:]
        if args and not typed.endswith(" "):
            return shell[9:], args[:-1], args[-1]
        return shell[9:], args, ""
    return None


def _kinds(args: list[str], incomplete: str) -> tuple[str | None, list[str]] | None:
    """Return (--journal value, kinds of id wanted) when the word is a plain id position."""
    if incomplete.startswith("-") or "=" in incomplete or "--" in args:
        return None
    journal = None
    rest = list(args)
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        if option in JOURNAL_OPTIONS and rest:
            journal = rest.pop(0)
        elif option not in GLOBAL_FLAGS:
            return None
    if not rest:
        return None
    command, rest = rest[0], rest[1:]
    if command == "add":
        if not rest:
            return None
        command, rest = f"add {rest[0]}", rest[1:]
    if not rest:
        kinds = FIRST_ARGUMENT.get(command)
        return (journal, kinds) if kinds else None
    options = TOPIC_OPTIONS.get(command, set())
    if rest[-1] in options and not (len(rest) > 1 and rest[-2].startswith("-")):
        return journal, ["topic"]
    return None


def _zsh_escape(text: str) -> str:
    return (
        text.replace('"', '""')
        .replace("'", "''")
        .replace("$", "\\$")
        .replace("`", "\\`")
        .replace(":", r"\\:")
    )


def answer() -> int | None:
    """Print the completions and return the exit code, or return None to leave them to Typer."""
    found = _words()
    if found is None:
        return None
    shell, args, incomplete = found
    wanted = _kinds(args, incomplete)
    if wanted is None:
        return None
    journal_option, kinds = wanted
    from nexus_cli.core import store
    from nexus_cli.core.errors import NexusError
    from nexus_cli.core.paths import resolve_journal

    try:
        path = resolve_journal(journal_option).path
    except NexusError:
        return None
    state = store.cached_state(path)
    if state is None:
        return None
    # ids.complete matches in lower case; Click then keeps what starts with the word as typed
    items = [item for item in store.id_labels(state, kinds, incomplete) if item[0].startswith(incomplete)]
    if shell == "bash":
        out = "\n".join(value for value, _label in items)
    elif not all(PLAIN_LABEL.fullmatch(label) for _value, label in items):
        return None  # Typer would render these through Rich: let it
    elif shell == "zsh":
        pairs = "\n".join(f'"{_zsh_escape(value)}":"{_zsh_escape(label)}"' for value, label in items)
        out = f"_arguments '*: :(({pairs}))'" if items else "_files"
    elif os.environ.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
        return 0 if items else 1  # whether fish should offer arguments rather than files
    else:
        out = "\n".join(f"{value}\t{label}" for value, label in items)
    sys.stdout.write(out + "\n")
    return 0
