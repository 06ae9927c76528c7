"""Hypothesis strategies for whole journals (shared by round-trip tests)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from nexus_cli.core.models import (
    Challenge,
    Journal,
    Program,
    Resource,
    Session,
    Status,
    Takeaway,
    Timer,
    Topic,
)

ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True)
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
titles = text.filter(lambda s: 1 <= len(s) <= 200)
tags = st.lists(st.from_regex(r"[^\s,]{1,10}", fullmatch=True), max_size=3, unique=True)
stamps = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1), timezones=st.just(dt.UTC)
).map(lambda d: d.replace(microsecond=0))
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1))
times = st.times().map(lambda t: t.replace(microsecond=0))
hours = st.none() | st.floats(min_value=0.5, max_value=10_000, allow_nan=False).map(lambda h: round(h, 2))


@st.composite
def journals(draw: st.DrawFn) -> Journal:
    topic_ids = draw(st.lists(ids, max_size=5, unique=True))
    topics = [
        Topic(
            id=tid,
            name=draw(titles),
            category=draw(st.sampled_from(["technology", "concept", "ops"])),
            parent=draw(st.sampled_from([None, *topic_ids[:i]])),
            status=draw(st.sampled_from(list(Status))),
            notes=draw(text),
            tags=draw(tags),
            target_hours=draw(hours),
            resources=draw(
                st.lists(st.builds(Resource, url=titles, title=text, done=st.booleans()), max_size=2)
            ),
            created=draw(stamps),
            updated=draw(stamps),
        )
        for i, tid in enumerate(topic_ids)
    ]
    refs = st.lists(st.sampled_from(topic_ids), max_size=2, unique=True) if topic_ids else st.just([])
    challenges = [
        Challenge(
            id=f"c-{n}",
            title=draw(titles),
            topics=draw(refs),
            problem=draw(text),
            solution=draw(text),
            status=draw(st.sampled_from(["open", "resolved"])),
            tags=draw(tags),
            opened=draw(stamps),
            resolved=draw(st.none() | stamps),
        )
        for n in range(draw(st.integers(0, 3)))
    ]
    takeaways = [
        Takeaway(
            id=f"t-{n}",
            title=draw(titles),
            text=draw(text),
            topics=draw(refs),
            tags=draw(tags),
            created=draw(stamps),
        )
        for n in range(draw(st.integers(0, 3)))
    ]
    sessions = []
    if topic_ids:
        sessions = [
            Session(
                id=f"s-{n}",
                topic=draw(st.sampled_from(topic_ids)),
                date=draw(dates),
                start=draw(st.none() | times),
                minutes=draw(st.integers(1, 1440)),
                note=draw(text),
            )
            for n in range(draw(st.integers(0, 5)))
        ]
    program = draw(
        st.none()
        | st.builds(Program, name=titles, description=text, start=st.none() | dates, end=st.none() | dates)
    )
    timer = None
    if topic_ids and draw(st.booleans()):
        timer = Timer(topic=topic_ids[0], started=draw(stamps), note=draw(text))
    return Journal(
        program=program,
        timer=timer,
        topics=topics,
        challenges=challenges,
        takeaways=takeaways,
        sessions=sessions,
    )
