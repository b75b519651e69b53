"""Esc typed right before a symbol or a digit, as tmux sends it: ESC and the key as one sequence.

tmux and GNU screen hold an Escape for their `escape-time` (500 ms by default) to see whether a key follows,
and send both together. Textual's input parser (textual/_xterm_parser.py, 8.x) reads ESC + a letter as an Alt
letter (alt+s), which keyorder.py takes back apart into Esc and the letter. ESC + a symbol it reads as the
symbol alone (`ESC /` is `/`: the Esc is lost, so Esc then `/` in the detail view typed nothing and left the
view open), and ESC + a digit, `-` or `=` as a macOS Option character (`ESC -` is `–`, `ESC 0` is `º`: the
grid's `-` hid nothing and the filter box got an en dash). This parser names them Alt keys as it does letters
(alt+slash, alt+minus, alt+0, with the typed character), so the explorer can treat them like Alt letters;
ESC + Enter likewise (alt+enter: Textual read it as Enter alone), and ESC + Tab (alt+tab: Textual read it as
shift+tab, which tmux and xterm send as ESC [ Z).

Textual's terminal drivers make their parser from their module's `XTermParser` name and offer no other hook, so
`install` points that name at this subclass (in this process only). The rest of the parser is Textual's.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._xterm_parser import XTermParser

ESC = "\x1b"
# Control keys typed right after Esc that the parser would otherwise read without it (Enter: as Enter alone;
# Tab: as shift+tab). ESC + Backspace stays ctrl+w, Alt+Backspace's word delete, as Textual reads it.
_CONTROLS = ("\r", "\t")


def _typed_after_escape(sequence: str, alt: bool) -> str | None:
    """The ASCII symbol or digit typed after Esc, if the parser would otherwise lose that Esc."""
    if alt and len(sequence) == 1:
        # Reissued after the wait for more of an escape sequence ran out (ESC /): Textual drops the Alt
        # unless the key is a letter or digit.
        # Enter too: Esc then Enter in the filter box kept the filter instead of clearing it.
        character = sequence
        return (
            character
            if (" " <= character <= "~" and not character.isalnum()) or character in _CONTROLS
            else None
        )
    if not alt and sequence == ESC + "\t":
        # Textual's table reads ESC Tab as shift+tab: Esc then Tab in the filter box kept the filter.
        return "\t"
    if not alt and len(sequence) == 2 and sequence[0] == ESC and " " <= sequence[1] <= "~":
        # ESC 1, ESC -, ESC =: read at once as a macOS Option character (a str in Textual's table). The
        # sequences mapped to keys (ESC f, ESC b: Option+arrows) stay as they are.
        return sequence[1] if isinstance(ANSI_SEQUENCES_KEYS.get(sequence), str) else None
    return None


class EscapeKeepingParser(XTermParser):
    """Textual's parser, except that Esc + a symbol or a digit is an Alt key, as Esc + a letter is."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        character = _typed_after_escape(sequence, alt)
        if character is None:
            yield from super()._sequence_to_key_events(sequence, alt)
            return
        for key in super()._sequence_to_key_events(character):
            yield events.Key(f"alt+{key.key}", character)


def install() -> None:
    """Make Textual's terminal drivers read keys with EscapeKeepingParser (see the module's docstring).

    This leans on Textual's internals (pyproject.toml pins the minor version it was written for). Where they
    differ (a driver no longer making its parser from its module's `XTermParser`, or the parser no longer
    reading keys through `_sequence_to_key_events(sequence, alt)`), replacing the name would do nothing and
    keys would be read without the Esc again, unnoticed (the tests' own parser would still be this one), so
    it fails here, loudly, instead."""
    from textual.drivers import linux_driver, linux_inline_driver

    method = XTermParser.__dict__.get("_sequence_to_key_events")
    if method is None or method.__code__.co_varnames[:3] != ("self", "sequence", "alt"):
        raise RuntimeError(_DIFFERS + "its XTermParser no longer has _sequence_to_key_events(sequence, alt)")
    if "_sequence_to_key_events" not in XTermParser.parse.__code__.co_names:
        raise RuntimeError(
            _DIFFERS + "XTermParser.parse no longer reads keys through _sequence_to_key_events"
        )
    for module, driver in (
        (linux_driver, linux_driver.LinuxDriver),
        (linux_inline_driver, linux_inline_driver.LinuxInlineDriver),
    ):
        made_from_name = "XTermParser" in driver.run_input_thread.__code__.co_names
        if not made_from_name or getattr(module, "XTermParser", None) not in (
            XTermParser,
            EscapeKeepingParser,
        ):
            raise RuntimeError(_DIFFERS + f"{driver.__name__} no longer makes its parser from XTermParser")
        module.XTermParser = EscapeKeepingParser  # type: ignore[attr-defined]


_DIFFERS = "trailtui's key parser (tui/terminalkeys.py) does not fit this Textual's internals: "
