"""Keys applied in the order typed, one at a time, even when they arrive in one burst.

Why this is needed (Textual 8, app.py `App.on_event` and message_pump.py `_on_message`): every key arrives in
the App's message queue. The App runs *priority* bindings (ctrl+j, ctrl+o, F2-F4...) at once, when it takes
the key from its own queue; any other key it only *forwards*, by posting it to the focused widget's queue,
where it is handled later, and from where it bubbles, queue by queue, back up to the App (non-priority
bindings such as `:` run there). Focus moves (`Widget.focus`) and new screens settle later still, through
more queued messages. So with type-ahead or a paste followed by ctrl+j, ctrl+j ran while the pasted text was
still waiting in the editor's queue (a truncated statement), and after F4 the `/` was forwarded to the editor
before the focus had moved.

The fix: the App hands over one key, then holds the keys typed after it until that key has been handled all
the way. It posts a marker (`KeyApplied`) right behind the key to the widget that got it; the marker bubbles
up the same queues behind the key and whatever the key's handling posted, so when it reaches the App the key
is applied: its bindings ran, its text is in the editor. A second pass goes through whatever is focused then,
so a focus move or a new screen (its focused input) has settled before the next key is given out. Plain
typing into a text box (printable keys, pastes) needs no wait between keys, as they only insert text in one
queue, in order; the first other key waits for a marker behind them.

Esc typed right before a letter: tmux (and GNU screen) hold an Escape for `escape-time` (500 ms by default)
to see whether a key follows, and send both as one Alt key, so Esc then `s` arrives as alt+s, and the Esc is
lost (the detail view stayed open and `s` did nothing). An Alt key no binding takes where it arrives is
taken for what was typed: Esc, then the key. Esc then a symbol or a digit (`/`, `:`, `-`, `0`) is an Alt key
too, once terminalkeys.py has stopped Textual's parser from dropping its Esc. The Alt keys that are bound
(alt+t, alt+z, alt+v) stay Alt keys; docs/tui.md tells tmux users how to shorten escape-time.
"""

from __future__ import annotations

import re
from typing import Any

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, TextArea

from trailtui.tui.terminalkeys import install as install_escape_keeping_parser

PASSES = 2  # a key a widget handles, then what its handling queued (a focus move, a submitted input)
WATCHDOG = 0.5  # seconds between checks that a marker can still arrive (its widget may have been removed)
# An Alt key as the parsers name ESC followed by a printable key (alt+s, alt+shift+s for `S`, alt+slash).
_ESC_THEN = re.compile(r"alt\+(?:shift\+)?[a-z0-9_]+")


class KeyApplied(Message):
    """Follows a key through the queues it went through; handled by the App when it arrives there."""

    def __init__(self, token: int, passes_left: int, target: DOMNode, screen: Any) -> None:
        super().__init__()
        self.token = token
        self.passes_left = passes_left
        self.target = target
        self.screen = screen


class KeysInOrder(App[None]):
    """An App that applies keys (and pastes) one at a time, in the order typed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[events.Event] = []
        self._waiting: KeyApplied | None = None  # the marker of the key being applied
        self._tokens = 0
        self._watchdog: Timer | None = None
        self._unconfirmed = False  # text handed to a text box with no marker behind it yet
        install_escape_keeping_parser()

    async def on_event(self, event: events.Event) -> None:
        typed = isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded
        if not typed:
            await super().on_event(event)
            return
        self._held.append(event)
        await self._apply_held()

    async def _apply_held(self) -> None:
        while self._held and self._waiting is None:
            if self._exit or not self._screen_stack:
                self._held.clear()  # closing: nothing will read them
                return
            event = self._held[0]
            if self._escape_then_key(event):
                continue
            typing = self._plain_typing(event)
            if self._unconfirmed and not typing:
                self._follow(1)  # text typed just before must be in before this key acts
                continue
            self._held.pop(0)
            # A priority binding's action runs right here, so what it queued (a focus move) is ahead of the
            # first marker already: one pass. A key handed to a widget acts when it gets there: two.
            passes = 1 if self._priority(event) else PASSES
            await super().on_event(event)  # a priority binding runs, or the key goes to the focused widget
            if typing:
                # Text into a text box (the editor, an input) moves no focus and runs no action: the next
                # key of the same kind may follow at once, in the same queue; any other key waits for it.
                self._unconfirmed = True
            else:
                self._follow(passes)

    def _escape_then_key(self, event: events.Event) -> bool:
        """An Alt key nothing here binds, which a multiplexer made of Esc and a key typed quickly after it,
        is replaced in the queue by the two keys typed (see the module's docstring)."""
        if not isinstance(event, events.Key) or not _ESC_THEN.fullmatch(event.key):
            return False
        character = event.character
        if character is None or len(character) != 1 or not (character.isprintable() or character in "\r\t"):
            return False
        if any(event.key in bindings.key_to_bindings for _, bindings in self.screen._binding_chain):
            return False
        # A letter or digit is its own key name; a symbol or Enter has a name of its own (alt+slash: slash).
        name = character if character.isalnum() else event.key.removeprefix("alt+")
        escape, key = events.Key("escape", "\x1b"), events.Key(name, character)
        # Typed when the Alt key came: a question asked after that does not take them for its answer.
        escape.time = key.time = event.time
        self._held[0:1] = [escape, key]
        return True

    def _plain_typing(self, event: events.Event) -> bool:
        """A printable key or a paste into a focused text box, where no priority binding takes it."""
        box = self.focused
        if not isinstance(box, (TextArea, Input)) or (isinstance(box, TextArea) and box.read_only):
            return False  # a read-only text area's keys are bindings (copy, close), not text
        if isinstance(event, events.Paste):
            return True
        if not isinstance(event, events.Key) or not event.is_printable:
            return False
        return not self._priority(event)

    def _priority(self, event: events.Event) -> bool:
        """Whether a priority binding takes this key (Textual's own lookup: app.py `_check_bindings`)."""
        if not isinstance(event, events.Key):
            return False
        chain = self.screen._binding_chain
        return any(b.priority for _, bindings in chain for b in bindings.key_to_bindings.get(event.key, ()))

    def _follow(self, passes: int) -> None:
        """Post a marker behind what was just handed over, through the widget focused now."""
        try:
            screen = self.screen
        except Exception:  # no screen (starting or closing): nothing to wait for
            return
        target: DOMNode = self.focused or screen
        self._tokens += 1
        marker = KeyApplied(self._tokens, passes - 1, target, screen)
        self._waiting = marker
        self._unconfirmed = False
        if not target.post_message(marker):
            self._waiting = None  # the widget is closing: the marker would never arrive
            return
        if self._watchdog is None:
            self._watchdog = self.set_interval(WATCHDOG, self._watch)

    async def on_key_applied(self, marker: KeyApplied) -> None:
        marker.stop()
        if self._waiting is not marker:
            return  # released by the watchdog already
        self._waiting = None
        try:
            moved = self.screen is not marker.screen
        except Exception:
            moved = False
        if marker.passes_left > 0 or moved:
            # A new screen gets a pass of its own: it focuses its input while mounting, after this marker.
            self._follow(max(marker.passes_left, 1))
        await self._apply_held()

    def _watch(self) -> None:
        """A safety net, not the mechanism: if the marker's widget was removed before the marker got through
        (the key closed it), the marker is lost, and the held keys must not wait forever. A marker still on
        its way (a busy handler) is waited for."""
        waiting = self._waiting
        if waiting is None or (waiting.target.is_attached and waiting.screen.is_attached):
            return
        self._waiting = None
        self.call_later(self._apply_held)
