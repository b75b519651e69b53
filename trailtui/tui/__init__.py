"""The Textual explorer: one widget or screen per module, key bindings as data in keymap.py."""
