"""The journal's shape as plain constants, for code that must not load the models.

`nexus log`'s fast lane appends a session without importing Pydantic, so what
it needs to know of the journal's layout lives here; `models.py` imports the
schema version from here, and a test holds FIELDS to the model's fields.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

# The journal's top-level keys in the order the model (and so its cached JSON) has them.
FIELDS = ("schema_version", "program", "timer", "topics", "challenges", "takeaways", "sessions")
# The lists of entries, in the order a journal file holds them.
SECTIONS = ("topics", "challenges", "takeaways", "sessions")
# The most minutes one session, or one day's sessions together, may hold.
DAY_MINUTES = 24 * 60
# The longest text a note, problem or solution may hold; the longest title; the most tags.
MAX_TEXT = 20_000
MAX_TITLE = 200
MAX_TAGS = 50
# What `nexus edit program` (or `programme`) names: the programme, never an entry's id.
PROGRAMME_IDS = frozenset({"program", "programme"})
