from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from nexus_cli import said, ui
from nexus_cli.commands._common import changing_journal, complete_topic, require_text, update_journal
from nexus_cli.core import ops
from nexus_cli.core.models import Status
from nexus_cli.core.parse import parse_hours
from nexus_cli.helpformat import HumanCommand

app = typer.Typer(
    help="Add a topic, challenge, takeaway or resource.",
    no_args_is_help=True,
    epilog="Example: nexus add topic Decorators --parent python --category concept",
)

TopicOption = Annotated[
    list[str] | None,
    typer.Option(
        "--topic",
        "-t",
        metavar="TOPIC",
        help="Related topic id (repeat for more).",
        autocompletion=complete_topic,
    ),
]
TagOption = Annotated[list[str] | None, typer.Option("--tag", metavar="TAG", help="A tag (repeat for more).")]


@app.command("topic", cls=HumanCommand)
def add_topic(
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="The topic's name, e.g. Django.")] = None,
    category: Annotated[
        str, typer.Option("--category", "-c", metavar="NAME", help="technology, concept or your own label.")
    ] = "technology",
    parent: Annotated[
        str | None,
        typer.Option(
            "--parent",
            metavar="TOPIC",
            help="Parent topic id (Python → Decorators).",
            autocompletion=complete_topic,
        ),
    ] = None,
    status: Annotated[
        Status,
        typer.Option("--status", "-s", case_sensitive=False, metavar="STATUS", help="Where you stand."),
    ] = Status.planned,
    notes: Annotated[
        str, typer.Option("--notes", metavar="TEXT", help="What it covers, in a sentence.")
    ] = "",
    tag: TagOption = None,
    target: Annotated[
        str | None, typer.Option("--target", metavar="HOURS", help="Hours you aim to spend, e.g. 20h.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Add it even if a topic of that name exists.")
    ] = False,
) -> None:
    """Add a topic to study.

    \b
    Example:
      nexus add topic Django --notes "models, views, ORM" --target 40h
    """
    name = require_text(name, "topic name", "NAME")
    hours = parse_hours(target) if target else None
    topic = update_journal(
        lambda journal: ops.add_topic(
            journal,
            name,
            category=category,
            parent=parent,
            status=status,
            notes=notes,
            tags=tag or [],
            target_hours=hours,
            force=force,
        ),
        # it reads no session, and of the topics only those its name or parent could name
        sessions_since=dt.date.max,
        topics_named=[name] if parent is None else [name, parent],
    )
    ui.success(f"added topic {topic.id}")


@app.command("challenge", cls=HumanCommand)
def add_challenge(
    title: Annotated[
        str | None, typer.Argument(metavar="TITLE", help="What blocked you, in a few words.")
    ] = None,
    topic: TopicOption = None,
    problem: Annotated[str, typer.Option("--problem", metavar="TEXT", help="What was hard.")] = "",
    solution: Annotated[
        str, typer.Option("--solution", metavar="TEXT", help="What worked (marks it resolved).")
    ] = "",
    tag: TagOption = None,
) -> None:
    """Record a challenge that blocked you, and how you solved it.

    \b
    Example:
      nexus add challenge "RabbitMQ routing" -t rabbitmq --problem "exchanges confused me"
    """
    asked = title is None and ui.is_interactive()  # `nexus add challenge` alone: ask for the rest too
    title = require_text(title, "challenge title", "TITLE")
    if asked:
        topic = topic or _ask_list("Topic ids (space-separated, empty for none)")
        problem = problem or _ask("What was hard")
    challenge = update_journal(
        lambda journal: ops.add_challenge(
            journal, title, topics=topic or [], problem=problem, solution=solution, tags=tag or []
        )
    )
    ui.success(said.added_challenge(challenge.id, challenge.solution))


@app.command("takeaway", cls=HumanCommand)
def add_takeaway(
    title: Annotated[
        str | None, typer.Argument(metavar="TITLE", help="The practice or lesson, in a few words.")
    ] = None,
    text: Annotated[
        str, typer.Option("--text", metavar="TEXT", help="The lesson in a sentence or two.")
    ] = "",
    topic: TopicOption = None,
    tag: TagOption = None,
) -> None:
    """Record a practice or lesson you took away.

    \b
    Example:
      nexus add takeaway "Test-driven development" --text "write the test first"
    """
    asked = title is None and ui.is_interactive()
    title = require_text(title, "takeaway title", "TITLE")
    if asked:
        text = text or _ask("The lesson in a sentence or two")
    takeaway = update_journal(
        lambda journal: ops.add_takeaway(journal, title, text=text, topics=topic or [], tags=tag or [])
    )
    ui.success(said.added_takeaway(takeaway.id))


def _ask(question: str) -> str:
    """Ask for optional text at the terminal; an empty answer is fine."""
    return str(typer.prompt(question, default="", show_default=False)).strip()


def _ask_list(question: str) -> list[str]:
    return _ask(question).replace(",", " ").split()


@app.command("resource", cls=HumanCommand)
def add_resource(
    topic: Annotated[str, typer.Argument(metavar="TOPIC", help="Topic id.", autocompletion=complete_topic)],
    url: Annotated[str, typer.Argument(metavar="URL", help="Where it is (URL or book reference).")],
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="Its title.")] = "",
) -> None:
    """Attach a tutorial, doc or book to a topic.

    \b
    Example:
      nexus add resource rabbitmq https://rabbitmq.com/tutorials --title "Tutorials"
    """
    with changing_journal() as journal:
        target, _ = ops.add_resource(journal, topic, url, title=title)
    ui.success(f"added resource to {target.id}")
