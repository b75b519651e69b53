"""How an import batch's files become rows of (src, j): each record's text, with the file it came from.

Trail log files (one `{"Records": [...]}` object each) are split here, in Python, one record per line,
before DuckDB reads them. DuckDB's JSON readers give a record's text only by parsing the whole file and
writing every record out again (`json_extract(json, '$.Records[*]')`), and that text is then parsed again
for the record's identity and its typed row. msgspec hands out each record's original bytes without
decoding them (`msgspec.Raw`), and DuckDB reads the lines as plain text (one column of CSV), so a record's
text is never parsed just to be written out again. `eventjson` is thus the record as the log file has it.

A file this cannot split plainly (not one `{"Records": [...]}` object, invalid JSON or UTF-8, a byte-order
mark, a truncated or multi-member gzip) or within the split's bounds (too large, grown since it was listed,
a million elements or more, past the batch's split text on disk) is read by DuckDB's own reader, as before:
what is imported from it, and the reason given when it is refused, do not change.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from isal import isal_zlib

from trailtui.local.sources import LogFile, LogFormat

MAX_OBJECT_BYTES = 128 << 20  # a {"Records": [...]} file is one JSON object; CloudTrail files stay far below.
# DuckDB sizes its read buffers from it (twice this per thread), so it must fit under IMPORT_MEMORY.


# Elements of a Records list split at most: msgspec makes an object of each (about 70 bytes, whatever the
# element's size), so a gzip of `0,0,0,...` (130 kB for 128 MB) would have taken gigabytes. A file with more
# commas (an upper bound on its elements; some 30 MB of CloudTrail records) is left to DuckDB's reader,
# which works within IMPORT_MEMORY.
MAX_SPLIT_ELEMENTS = 1 << 20
# Split text of a batch on disk at most (a batch of real logs holds about 400 MB of text, see importer's
# BATCH_BYTES): a gzip file inflates up to 1000 times, so 400 small files could fill the disk, where DuckDB's
# own spill is bounded (SPILL_LIMIT). The files past it are left to DuckDB's reader.
SPLIT_BATCH_BYTES = 1 << 30

_LAYOUT_PEEK = 256  # bytes: a CloudTrail record's first values (eventVersion, userIdentity) hold no JSON text


class _LogObject(msgspec.Struct):
    Records: list[msgspec.Raw]


_DECODER = msgspec.json.Decoder(_LogObject)


def duckdb_reader_sql(fmt: LogFormat, gzipped: bool) -> str:
    """SQL yielding (src, j) for $files with DuckDB's own JSON reader: each record as compact JSON text."""
    opts = (
        f"filename=true, compression={'gzip' if gzipped else 'none'!r}, "
        f"maximum_object_size={MAX_OBJECT_BYTES}"
    )
    if fmt is LogFormat.RECORDS:
        # Extracting the Records elements re-serialises each record compactly (and parses the file once).
        # 'unstructured' (one object, or several, however laid out): 'auto' spends about 15% more CPU
        # reading, deciding what the format is (measured on 200,000 events: 1.46-1.50 against 1.69-1.83 s).
        return (
            "SELECT filename AS src, unnest(json_extract(json, '$.Records[*]'))::VARCHAR AS j "
            f"FROM read_json_objects($files, format='unstructured', {opts})"
        )
    shape = "array" if fmt is LogFormat.ARRAY else "auto"
    return (
        "SELECT filename AS src, json(json)::VARCHAR AS j "
        f"FROM read_json_objects($files, format='{shape}', {opts})"
    )


# The split files: one record per line, nothing else (an empty Records list leaves an empty file), read by
# DuckDB's CSV reader as one text column: it reads the files in parallel, by buffer, where `read_text` hands
# every file of a batch to one thread in one chunk, so the batch's statement ran on one core (measured: 0.75
# of its 0.9 CPU s on one thread, 200,000 events). No byte of a record can split it: JSON text has no raw
# control character (\x01 is the delimiter) and no `\r` once laid out compactly (split_records), and no quote
# or escape character is set. A line may be as long as the batch's longest record (DuckDB's default is 2 MB).
def _lines_sql(longest: int) -> str:
    line = max(_CSV_DEFAULT_LINE, longest + 1)
    return (
        "SELECT filename AS src, j FROM read_csv($lines, columns={'j': 'VARCHAR'}, delim=chr(1), quote='', "
        "escape='', header=false, auto_detect=false, filename=true, "
        f"max_line_size={line}, buffer_size={max(_CSV_DEFAULT_BUFFER, 2 * line)}) WHERE j IS NOT NULL"
    )


_CSV_DEFAULT_LINE = 2 << 20  # DuckDB's defaults: a 2 MB line, a 32 MB buffer per thread
_CSV_DEFAULT_BUFFER = 32 << 20


def _inflate(data: bytes) -> bytes | None:
    """A gzip file's one member, inflated; None if it is truncated, has more members, or is too large.

    ISA-L inflates the same logs in under half the CPU time of Python's zlib (0.21 against 0.52 to 0.58 CPU s
    for the 33 MB of the import benchmark's 200,000 events)."""
    inflater = isal_zlib.decompressobj(wbits=isal_zlib.MAX_WBITS | 16)
    try:
        text = inflater.decompress(data, MAX_OBJECT_BYTES + 1)
    except Exception:  # isal_zlib.error (untyped): a corrupt stream, left to DuckDB to name
        return None
    if len(text) > MAX_OBJECT_BYTES or not inflater.eof or inflater.unused_data:
        return None
    return text


def split_records(data: bytes, gzipped: bool) -> tuple[bytes, int] | None:
    """The records of one log file, one per line (JSON Lines), and the longest record's length; or None to
    leave the file to DuckDB."""
    text = _inflate(data) if gzipped else data
    if text is None or len(text) > MAX_OBJECT_BYTES:
        return None
    # Counted only where there is room for that many (an element and its comma take two bytes at least):
    # counting costs 0.8 ms a MB (0.2 CPU s for the import benchmark's 273 MB), and most log files are smaller.
    if len(text) >= 2 * MAX_SPLIT_ELEMENTS and text.count(b",") >= MAX_SPLIT_ELEMENTS:
        return None
    # msgspec checks the JSON but not the UTF-8 inside strings; DuckDB's text reader would refuse it.
    if not text.isascii():
        try:
            text.decode("utf-8")
        except UnicodeDecodeError:
            return None
    newline = text.find(b"\n")
    try:
        if (newline != -1 and newline < len(text.rstrip())) or b"\r" in text or b'": ' in text[:_LAYOUT_PEEK]:
            # Laid out on several lines (a `\r` ends a line for the CSV reader too), or with spaces
            # (Python's json.dumps): one record per line needs each on one, and eventjson is compact
            # whatever the layout, as CloudTrail writes it. A writer lays a file out one way throughout,
            # so its first bytes tell (the whole text would not: half the demo's files hold IAM
            # policies, JSON text with spaces, inside string values).
            text = msgspec.json.format(text, indent=-1)
        records = _DECODER.decode(text).Records
    except (msgspec.DecodeError, RecursionError):
        return None
    # Nothing but the records between `{"Records":[` and `]}`: not a second "Records" key (msgspec keeps the
    # last, DuckDB the first), another key, or spaces between records that the layout check did not see.
    if len(text.strip()) != len(b'{"Records":[]}') + sum(map(len, records)) + max(len(records) - 1, 0):
        return None
    return b"\n".join(records), max(map(len, records), default=0)


@dataclass
class BatchRows:
    """The batch's records as a query: `sql` yields (src, j) with `params`; `names` maps src to the file."""

    sql: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


_GLOB_CHARS = re.compile(r"[*?\[]")


# Files split at once. ISA-L inflates with the GIL released, so a second thread splits the next file
# meanwhile (measured on 200,000 events, idle machine: 0.58 to 0.75 s against 0.87 to 0.94 s one by one).
_SPLIT_THREADS = 2


class _DiskBudget:
    """The bytes of split text a batch may still write (SPLIT_BATCH_BYTES), shared by the split threads."""

    def __init__(self, total: int) -> None:
        self.left = total
        self._lock = threading.Lock()

    def take(self, size: int) -> bool:
        with self._lock:
            if size > self.left:
                return False
            self.left -= size
            return True


def _split_to(file: LogFile, split: Path, budget: _DiskBudget) -> int | None:
    """Write the file's records to `split`, one per line (private to the user), and give the longest
    record's length; None to leave the file to DuckDB."""
    if file.format is not LogFormat.RECORDS or file.size > MAX_OBJECT_BYTES:
        return None
    try:
        with open(file.path, "rb") as log:  # no more than listed: it may have grown since (a sync running)
            data = log.read(file.size + 1)
    except OSError:  # gone or unreadable: DuckDB's reader names it as before
        return None
    if len(data) > file.size:  # grown: DuckDB's reader, which bounds what it reads, takes it
        return None
    split_text = split_records(data, file.gzipped)
    if split_text is None or not budget.take(len(split_text[0])):
        return None
    with open(os.open(split, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(split_text[0])
    return split_text[1]


@contextlib.contextmanager
def batch_rows(files: Sequence[LogFile], scratch: Path) -> Iterator[BatchRows]:
    """The records of a batch of files of one format, split in a private folder under `scratch` (removed
    at the end) where they can be; the others are read by DuckDB's JSON reader."""
    scratch.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Named for this process, as the spill folders beside it: a folder whose process is gone is removed.
    with tempfile.TemporaryDirectory(dir=scratch, prefix=f"{os.getpid()}-split-") as tmp:
        rows = BatchRows()
        splits = [Path(tmp) / f"{i}.jsonl" for i in range(len(files))]
        pool = ThreadPoolExecutor(_SPLIT_THREADS, thread_name_prefix="trailtui-split")
        try:
            budget = _DiskBudget(SPLIT_BATCH_BYTES)
            done = list(pool.map(_split_to, files, splits, [budget] * len(files)))
        finally:  # on Ctrl-C, the files not begun are not waited for
            pool.shutdown(cancel_futures=True)
        left = [file for file, longest in zip(files, done, strict=True) if longest is None]
        rows.names = {
            str(split): str(file.path)
            for file, split, longest in zip(files, splits, done, strict=True)
            if longest is not None
        }
        parts = []
        if rows.names:
            parts.append(_lines_sql(max(n for n in done if n is not None)))
            rows.params["lines"] = list(rows.names)
        if left:
            paths = _literal_paths(left, Path(tmp))
            rows.names.update(paths)
            parts.append(duckdb_reader_sql(left[0].format, left[0].gzipped))
            rows.params["files"] = list(paths)
        rows.sql = " UNION ALL ".join(parts)
        yield rows


def _literal_paths(files: Sequence[LogFile], tmp: Path) -> dict[str, str]:
    """The paths to hand DuckDB for these files, mapped back to the files' own paths.

    DuckDB's readers treat `*`, `?` and `[` in a path as a glob (`?hidden.json` reads `.hidden.json`,
    `[b].json` reads `b.json`), and have no option to read a path literally. A file whose path has one is
    read through a symlink with a plain name, in the batch's private temporary folder.
    """
    mapped = {}
    for i, file in enumerate(files):
        original = str(file.path)
        if _GLOB_CHARS.search(original):
            link = tmp / f"link-{i}{''.join(file.path.suffixes[-2:])}"
            link.symlink_to(file.path.resolve())
            mapped[str(link)] = original
        else:
            mapped[original] = original
    return mapped
