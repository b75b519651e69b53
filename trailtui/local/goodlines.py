"""The good lines of a JSON Lines file that DuckDB refused as a whole.

Such a file holds one record per line, so one bad line need not lose the others: each line is parsed here and
the good ones go to a cleaned copy, which the importer then imports like any file. Lines stream from the file
to the copy: only one line (at most MAX_LINE_BYTES) is held.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trailtui.local.sources import LogFile, LogFormat

MAX_LINE_BYTES = (
    32 * 1024 * 1024
)  # a CloudTrail record is far smaller (its largest fields are capped at 100 KB)
SHOWN_BAD_LINES = 10  # line numbers named in the warning; more are counted


@dataclass(frozen=True)
class GoodLines:
    copy: LogFile  # the good lines, in a temporary file that lasts as long as the context
    good: int
    bad: int
    bad_lines: list[int]  # the first SHOWN_BAD_LINES of them, numbered from 1

    def warning(self) -> str:
        shown = ", ".join(map(str, self.bad_lines)) + (" ..." if self.bad > len(self.bad_lines) else "")
        return f"{self.bad} malformed line(s) skipped (line {shown})"


def _bounded_lines(fh: Any) -> Iterator[bytes | None]:
    """The file's lines; None for a line longer than MAX_LINE_BYTES (skipped, never held whole)."""
    while True:
        line = fh.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


@contextlib.contextmanager
def good_lines(file: LogFile) -> Iterator[GoodLines | None]:
    """The file's good lines in a cleaned copy; None if it has none, or cannot be read to the end."""
    bad: list[int] = []
    bad_count = good = 0
    with tempfile.TemporaryDirectory(prefix="trailtui-lines-") as tmp:
        clean = Path(tmp) / "good-lines.jsonl"
        try:
            opener = gzip.open if file.gzipped else open
            with opener(file.path, "rb") as fh, open(clean, "wb") as out:
                for n, line in enumerate(_bounded_lines(fh), 1):
                    if line is not None and not line.strip():
                        continue
                    try:
                        if line is None or not isinstance(json.loads(line), dict):
                            raise ValueError("not an object")
                    except (ValueError, RecursionError):
                        bad_count += 1
                        if len(bad) < SHOWN_BAD_LINES:
                            bad.append(n)
                        continue
                    out.write(line.rstrip(b"\r\n") + b"\n")
                    good += 1
        except (OSError, EOFError, zlib.error):
            yield None
            return
        if not good:
            yield None
            return
        st = clean.stat()
        copy = LogFile(clean, LogFormat.LINES, False, st.st_size, st.st_mtime_ns)
        yield GoodLines(copy, good, bad_count, bad)
