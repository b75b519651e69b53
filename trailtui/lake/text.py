"""Making event text safe to show: every control, bidi and invisible character becomes a visible escape.

Event fields are attacker-controlled (userAgent, requestParameters, errorMessage, resource names). Written
raw to a terminal, an ESC or C1 byte starts a control sequence (window title, clipboard write, cursor
moves); a bidi override reorders what is shown; zero-width characters hide text. Everything shown by the
CLI or the TUI passes through `sanitize`, which is total (never raises) and reversible by eye: `\\x1b`,
`\\u202e` and so on, in the style of a Python string literal.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls; bidi embeddings/overrides/isolates; zero-width and invisible formatting;
# line/paragraph separators; BOM; lone surrogates (from undecodable bytes); private-use tag characters.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\ud800-\udfff"
    "\U000e0000-\U000e0fff]"
)
_UNSAFE_KEEP_NEWLINES = re.compile(_UNSAFE.pattern.replace("\x00-\x1f", "\x00-\x09\x0b-\x1f"))
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def sanitize(value: object, *, keep_newlines: bool = False) -> str:
    """`value` as text with nothing a terminal would act on; `None` is shown as it came, by the caller."""
    text = value if isinstance(value, str) else str(value)
    pattern = _UNSAFE_KEEP_NEWLINES if keep_newlines else _UNSAFE
    return pattern.sub(_escape, text)


def truncate(text: str, width: int) -> str:
    """Cut to `width` characters with an ellipsis, for one-line display."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
