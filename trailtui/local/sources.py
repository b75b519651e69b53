"""Finding trail log files on disk and telling what each one is before DuckDB reads it.

Folders are walked recursively (the S3 trail layout and the organization-trail layout are plain folder
trees); digest files and files that are not logs are skipped with a reason, and each log file is sniffed
for its shape: the `{"Records": [...]}` object CloudTrail writes, a bare JSON array of records, or JSON
Lines (one record per line), each optionally gzipped.
"""

from __future__ import annotations

import gzip
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

LOG_SUFFIXES = (".json", ".jsonl", ".ndjson")
SNIFF_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"

_RECORDS_RE = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"Records"\s*:')
_RECORDS_LIST_RE = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"Records"\s*:\s*\[')
_ARRAY_RE = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\[")
_OBJECT_RE = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\{")
_DIGEST_KEYS = (b'"digestStartTime"', b'"digestS3Object"', b'"previousDigestSignature"')


class LogFormat(StrEnum):
    RECORDS = "records"  # {"Records": [...]}
    ARRAY = "array"  # [ {...}, ... ]
    LINES = "lines"  # one record per line (or concatenated objects)


@dataclass(frozen=True)
class LogFile:
    path: Path
    format: LogFormat
    gzipped: bool
    size: int
    mtime_ns: int

    @property
    def display(self) -> str:
        return str(self.path)


@dataclass(frozen=True)
class Passed:
    """A file that was looked at and set aside: skipped (not a log) or rejected (a broken log)."""

    path: str
    reason: str


@dataclass
class Discovery:
    logs: list[LogFile]
    skipped: list[Passed]
    rejected: list[Passed]


def is_digest_path(path: str) -> bool:
    """CloudTrail digest files live under CloudTrail-Digest/ and carry that word in their name."""
    return "CloudTrail-Digest" in path


def _is_log_name(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return lower.endswith(LOG_SUFFIXES)


def _walk(root: Path, skipped: list[Passed]) -> Iterator[Path]:
    """Files under root, following symlinks but never a loop."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as exc:
            skipped.append(Passed(str(folder), f"cannot read folder: {exc.strerror or exc}"))
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            skipped.append(Passed(str(folder), "symlink loop: folder already visited"))
            continue
        seen.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Passed(str(folder), f"cannot list folder: {exc.strerror or exc}"))
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    subfolders.append(path)
                elif entry.is_file():
                    yield path
                elif not entry.is_symlink() and _is_log_name(entry.name):
                    skipped.append(Passed(str(path), "not a regular file"))
                elif entry.is_symlink():
                    skipped.append(Passed(str(path), "broken symlink"))
            except OSError as exc:
                skipped.append(Passed(str(path), f"cannot stat: {exc.strerror or exc}"))
        stack.extend(reversed(subfolders))


def _read_head(path: Path) -> tuple[bytes, bool]:
    with open(path, "rb") as fh:
        magic = fh.read(2)
        fh.seek(0)
        if magic == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=fh) as gz:
                return gz.read(SNIFF_BYTES), True
        return fh.read(SNIFF_BYTES), False


def sniff(path: Path) -> LogFile | Passed:
    """Classify one file by its first bytes. Returns a LogFile, or a Passed with the reason it is not one.

    A Passed whose reason starts with "skipped:" is not a log at all (a digest file); any other reason
    is a rejection.
    """
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end: never open one
            return Passed(str(path), "not a regular file")
        head, gzipped = _read_head(path)
    except PermissionError:
        return Passed(str(path), "permission denied")
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        return Passed(str(path), f"corrupt gzip data ({exc or 'truncated'})")
    except OSError as exc:
        return Passed(str(path), f"cannot read: {exc.strerror or exc}")
    if not head.strip():
        return Passed(str(path), "empty file")
    if any(k in head for k in _DIGEST_KEYS) and b'"Records"' not in head:
        return Passed(str(path), "skipped: CloudTrail digest file (not events)")
    if _RECORDS_RE.match(head):
        if not _RECORDS_LIST_RE.match(head):
            return Passed(str(path), 'not CloudTrail: "Records" is not a list')
        fmt = LogFormat.RECORDS
    elif _ARRAY_RE.match(head):
        fmt = LogFormat.ARRAY
    elif _OBJECT_RE.match(head):
        fmt = LogFormat.LINES
    else:
        shown = head.lstrip()[:16].decode("utf-8", "backslashreplace")
        return Passed(str(path), f"not JSON: starts with {shown!r}")
    return LogFile(path, fmt, gzipped, st.st_size, st.st_mtime_ns)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Discovery:
    """Every log file under the given files and folders, with what was skipped or rejected and why."""
    found = Discovery([], [], [])
    seen: set[Path] = set()

    def consider(path: Path, named: bool) -> None:
        real = path.resolve()
        if real in seen:
            return
        seen.add(real)
        if is_digest_path(str(path)):
            found.skipped.append(Passed(str(path), "CloudTrail digest file (not events)"))
            return
        if not named and (path.name.startswith(".") or not _is_log_name(path.name)):
            found.skipped.append(Passed(str(path), "not a log file name (.json, .json.gz, .jsonl, ...)"))
            return
        result = sniff(path)
        if isinstance(result, LogFile):
            found.logs.append(result)
        elif result.reason.startswith("skipped: "):
            found.skipped.append(Passed(result.path, result.reason.removeprefix("skipped: ")))
        else:
            found.rejected.append(result)

    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            for f in _walk(path, found.skipped):
                consider(f, named=False)
        elif path.exists():
            consider(path, named=True)
        elif path.is_symlink():
            found.rejected.append(Passed(str(path), "broken symlink"))
        else:
            found.rejected.append(Passed(str(path), "no such file or folder"))
    return found
