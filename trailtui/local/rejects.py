"""Why a log file was rejected, in words a user can act on: DuckDB's error reduced to what is wrong with the
file, and for invalid JSON the line and column to go to in an editor.

DuckDB's reader says "Malformed JSON ... at byte N in record/value M", where N counts from the start of the
value it was reading (not of the file) and M counts values in its own way: no use for finding the spot. So
a file DuckDB refused is read again here, only to place the error, with Python's JSON decoder, which says
where each error is in the whole text. Files too large to read again within a bounded memory keep DuckDB's
wording.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from pathlib import Path

from trailtui.local.lakefile import IMPORT_MEMORY
from trailtui.local.sources import LogFile

# A CloudTrail log file is a few MB at most; reading a bigger one whole to place an error would cost more
# memory than the import itself is allowed (json.loads holds several times the text).
MAX_LOCATE_BYTES = 32 << 20


def _text(path: Path, gzipped: bool) -> bytes | None:
    """The file's bytes (inflated), or None when it is larger than MAX_LOCATE_BYTES or unreadable."""
    try:
        opener = gzip.open if gzipped else open
        with opener(path, "rb") as fh:
            data = fh.read(MAX_LOCATE_BYTES + 1)
    except (OSError, EOFError, zlib.error):
        return None
    return data if len(data) <= MAX_LOCATE_BYTES else None


def _place(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (both from 1, the column in characters, as Python's decoder counts) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def locate_json_error(path: Path, gzipped: bool) -> str | None:
    """'line L, column C: what is wrong' for the first JSON error in the file, or None if it has none that
    can be placed (too large, unreadable, too deeply nested for the decoder, or valid after all)."""
    data = _text(path, gzipped)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _place(data, exc.start)
        return f"line {line}, column {column}: invalid UTF-8 (byte 0x{data[exc.start]:02x})"
    decoder = json.JSONDecoder()
    pos = 0
    # The reader accepts several values one after the other (JSON Lines, concatenated objects): each is
    # decoded in turn, so the error is the first one DuckDB could have met, not "extra data" after the first.
    try:
        while True:
            while pos < len(text) and text[pos] in " \t\r\n":
                pos += 1
            if pos >= len(text):
                return None
            _, pos = decoder.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        return f"line {exc.lineno}, column {exc.colno}: {exc.msg[:1].lower()}{exc.msg[1:]}"
    except RecursionError:
        return None


def rejection_reason(exc: BaseException, file: LogFile) -> str:
    """DuckDB's message, reduced to what tells a user what is wrong with their file."""
    text = re.sub(r' in file "[^"]*",?', "", str(exc).strip())
    for prefix in ("Invalid Input Error: ", "IO Error: ", "Conversion Error: ", "Binder Error: "):
        text = text.replace(prefix, "")
    low = text.lower()
    if "out of memory" in low:
        return f"too large to import within the import memory limit ({IMPORT_MEMORY}; see TRAILTUI_IMPORT_MEMORY)"
    if "gzip" in low or "inflate" in low or "zlib" in low or "decompress" in low:
        return "corrupt or truncated gzip data"
    first = text.splitlines()[0] if text else "the file could not be read"
    if "malformed json" in low or "json" in low:
        where = locate_json_error(file.path, file.gzipped) if "malformed json" in low else None
        return f"invalid JSON at {where}" if where else "invalid JSON: " + first[:300]
    return first[:300]
