"""Make user text safe to show: no control characters reach a terminal."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 range (which some terminals
# treat like ESC sequences); the Unicode bidirectional overrides and isolates, which
# can make a terminal show text in another order than it is stored ("Trojan source");
# and the Unicode line and paragraph separators, which split a one-line message.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ␛ for ESC
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def neutralize(text: str, *, keep_newlines: bool = True) -> str:
    """Replace control characters with visible stand-ins."""
    if text.isprintable():  # none of _CONTROL's characters is printable: nothing to replace
        return text
    cleaned = _CONTROL.sub(_visible, text)
    if not keep_newlines:
        cleaned = cleaned.replace("\n", " ").replace("\t", " ")
    return cleaned


def one_line(text: str, limit: int | None = None) -> str:
    """Return text as a single safe line, shortened to `limit` characters."""
    line = " ".join(neutralize(text).split())
    if limit is not None and len(line) > limit:
        line = line[: max(limit - 1, 0)] + "…"
    return line


_JSON_RAW_CONTROLS = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(data: object) -> str:
    """Return data as indented JSON for scripts: text kept exactly, yet terminal-safe.

    json escapes C0 controls but leaves DEL, the C1 range (which some terminals
    obey like ESC), the line separators and bidi overrides raw; those are escaped here too, so the
    parsed values are the same while a terminal shows only plain characters.
    """
    import json

    return json_safe(json.dumps(data, indent=2, ensure_ascii=False))


def json_safe(dumped: str) -> str:
    """Return JSON text (as json.dumps gives it, not ASCII-only) with json_text's escapes, and a newline."""
    return _JSON_RAW_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", dumped) + "\n"
