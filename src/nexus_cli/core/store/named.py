"""Leave out of a journal's cached state the topics a change cannot be looking for.

`log django 1h` reads the topics only to find the one `django` names, and
`add topic NAME` to find one that `NAME` already names and the ids its own id
must not take. On a journal of 100,000 topics, building every topic costs most
of such a write. Given the words the change looks topics up by, this keeps
every topic one of them could name, by the rules of `ids.resolve` and
`ops.add_topic` (the same id, the same name up to case and Unicode form, an id
the word or its slug begins), in their order, and drops the rest, working on
the state's bytes. A change that fails on the topics kept must run again on
all of them: its message may list suggestions from the rest.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from nexus_cli.core.idgen import nfc, slugify

# Each topic's JSON starts so (its id is the model's first field). Quotes inside
# strings are escaped, so this occurs only where a topic starts, and a case
# folding or a Unicode normalisation of the text keeps it so.
_START = b'{"id":"'


def named_topics(state: bytes, words: Sequence[str]) -> bytes | None:
    """Return a journal's compact JSON with only the topics `words` could name (None: not as expected)."""
    start = state.find(b'"topics":[')  # the first is the journal's own: no earlier field has a list
    end = state.find(b'],"challenges":[', max(start, 0))
    if start < 0 or end < 0:
        return None
    body = start + len(b'"topics":[')
    section = state[body:end]
    if not section:
        return state
    if not section.startswith(_START):
        return None  # not laid out as expected
    starts: set[int] = set()
    folded: list[bytes] | None = None
    for word in words:
        raw = nfc(word.strip())
        if not raw or '"' in raw or "\\" in raw or not raw.isprintable():
            return state  # not worth escaping: keep every topic
        for prefix in {raw.lower(), slugify(raw), slugify(word)}:
            starts.update(_all(section, _START + prefix.encode()))
        if folded is None:
            folded = _folded(section)
        needle = b'"name":"' + unicodedata.normalize("NFC", raw.casefold()).encode() + b'"'
        for text in folded:
            for pos in _all(text, needle):
                at = _start_of(section, text, pos)
                if at is None:
                    return state
                starts.add(at)
    kept = []
    for at in sorted(starts):
        stop = section.find(_START, at + 1)
        kept.append(section[at : stop - 1] if stop >= 0 else section[at:])  # without the comma
    return state[:body] + b",".join(kept) + state[end:]


def _folded(section: bytes) -> list[bytes]:
    # Every name is matched as nfc(casefold(name)) and as nfc(casefold(nfc(name))): together
    # these take in every test resolve() and add_topic() make on a name (see the tests).
    if section.isascii():
        return [section.lower()]  # the same as casefold on ASCII, and the same length
    text = section.decode()
    folded = [unicodedata.normalize("NFC", text.casefold()).encode()]
    if not unicodedata.is_normalized("NFC", text):
        folded.append(unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold()).encode())
    return folded


def _all(text: bytes, needle: bytes) -> list[int]:
    found = []
    pos = text.find(needle)
    while pos >= 0:
        found.append(pos)
        pos = text.find(needle, pos + 1)
    return found


def _start_of(section: bytes, text: bytes, pos: int) -> int | None:
    """Return where, in `section`, starts the topic whose folded form holds `text[pos]` (None: unsure)."""
    at = text.rfind(_START, 0, pos)
    if text is not section and len(text) == len(section) and section.isascii():
        return at
    # Ids are lowercase ASCII, the same folded: find the topic by its id, if no other has it.
    ident = text[at : text.find(b'"', at + len(_START))]
    where = section.find(ident + b'","name":"')
    if where < 0 or section.find(ident + b'","name":"', where + 1) >= 0:
        return None
    return where
