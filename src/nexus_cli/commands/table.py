"""The command table: every command's name, where it lives, and its short help.

The root app (`nexus_cli.root`) reads this to load a command only when it
runs; this module imports nothing, so listing the commands costs nothing.
"""

from __future__ import annotations

# The command table: (name, module, function). Groups are Typer apps.
COMMANDS: list[tuple[str, str, str]] = [
    ("init", "nexus_cli.commands.init", "init"),
    ("log", "nexus_cli.commands.log", "log"),
    ("start", "nexus_cli.commands.timer", "start"),
    ("stop", "nexus_cli.commands.timer", "stop"),
    ("status", "nexus_cli.commands.status", "status"),
    ("today", "nexus_cli.commands.today", "today"),
    ("solve", "nexus_cli.commands.solve", "solve"),
    ("edit", "nexus_cli.commands.edit", "edit"),
    ("rm", "nexus_cli.commands.rm", "rm"),
    ("undo", "nexus_cli.commands.undo", "undo"),
    ("list", "nexus_cli.commands.list_", "list_"),
    ("show", "nexus_cli.commands.show", "show"),
    ("where", "nexus_cli.commands.where", "where"),
    ("review", "nexus_cli.commands.review", "review"),
    ("next", "nexus_cli.commands.next_", "next_"),
    ("pace", "nexus_cli.commands.pace", "pace"),
    ("progress", "nexus_cli.commands.progress", "progress"),
    ("stats", "nexus_cli.commands.stats", "stats"),
    ("export", "nexus_cli.commands.export", "export"),
    ("import", "nexus_cli.commands.import_", "import_"),
    ("validate", "nexus_cli.commands.validate", "validate"),
    ("schema", "nexus_cli.commands.schema", "schema"),
    ("merge-driver", "nexus_cli.commands.merge_driver", "merge_driver"),
    ("report", "nexus_cli.commands.report", "report"),
    ("demo", "nexus_cli.commands.demo", "demo"),
]
GROUPS: list[tuple[str, str, str]] = [
    ("add", "nexus_cli.commands.add", "app"),
    ("sync", "nexus_cli.commands.sync", "app"),
]

# Commands that work but stay out of `nexus --help`: git calls merge-driver, people do not.
HIDDEN: frozenset[str] = frozenset({"merge-driver"})


# The short help `nexus --help` lists (the first line of each command's docstring),
# kept here so that listing the commands imports none of them. A command missing
# from HELP still works; --help then imports it (tests/test_startup.py says which).
HELP: dict[str, str] = {
    "init": "Create a new journal (never overwrites one).",
    "add": "Add a topic, challenge, takeaway or resource.",
    "log": "Record a study session.",
    "start": "Start a timer for a study session; `nexus stop` logs it.",
    "stop": "Stop the running timer and log the session.",
    "status": "Show the running timer: which topic, since when, for how long.",
    "today": "Show today's sessions and total, and this week's.",
    "solve": "Mark a challenge resolved and record what worked.",
    "edit": "Change an entry with flags, or with no flags in $EDITOR (validated before saving).",
    "rm": "Remove an entry. A topic with sessions needs --with-sessions or --move-to.",
    "undo": "Take back the last change to the journal, after showing it as a diff.",
    "list": "List topics, challenges, takeaways or sessions.",
    "show": "Show one entry; a topic with its subtopics, sessions, challenges and resources.",
    "progress": "Show the dashboard: topic tree, totals, streaks and a calendar of study days.",
    "stats": "Show the numbers: total time, weeks, streaks, time per topic and category.",
    "review": "List what is due for review today, or record a review of one item.",
    "next": "Suggest three things to do in your next study block, each with its reason.",
    "pace": "Show hours still needed per target, recent pace and projected finish vs the end date.",
    "export": "Export the journal as a portfolio README, a journal file or a CSV table.",
    "import": "Import a portfolio README or merge another journal into this one.",
    "validate": "Check journal files and report every problem with its line; never writes anything.",
    "schema": "Print the JSON Schema (2020-12) of a journal file, for editors and other checkers.",
    "report": "Summarise many journals at once: one row per learner, then what the cohort shares.",
    "sync": "Sync the journal through its git repository: commit, pull (merge), push.",
    "merge-driver": "Merge two versions of a journal entry by entry (git runs this; see `nexus sync setup`).",
    "demo": "Show the dashboard of a demo journal dated up to today; your own journal is not touched.",
    "where": "Print the journal, backup, undo history, lock and config paths, and what chose the journal.",
}
