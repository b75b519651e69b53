"""Text put in the SQL editor from outside the keyboard (a paste, a query reopened from history or a saved
file) may hold control characters: copied from an event field, they are attacker-controlled. Shown raw, an
ESC would start a terminal control sequence (a clipboard write, a title, cursor moves): the editor shows each
as a visible escape instead, as everything else in trailtui shows event text."""

from __future__ import annotations

from typing import Any

from tests.explorer import explorer

PASTED = "SELECT '\x1b]52;c;aGk=\x07' AS x,\t'\u202eevil' AS y\r\n-- \x9b2J end"


async def test_a_pasted_control_sequence_is_shown_as_an_escape_and_never_reaches_the_terminal(
    demo_lake: Any,
) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = ""
        ex.paste(PASTED)
        await ex.wait_until(lambda: "end" in ex.editor_text, what="the paste")
        assert ex.editor_text == "SELECT '\\x1b]52;c;aGk=\\x07' AS x,\t'\\u202eevil' AS y\n-- \\x9b2J end"
        shown = "\n".join(ex.screen_lines())
        assert "\\x1b]52;c;aGk=\\x07" in shown
        assert not any(ch in shown for ch in "\x1b\x07\x9b\u202e")
        assert ex.notified("control", "warning")
