"""A CSV export from the files a query delivered (StartQuery's DeliveryS3Uri: result_1.csv.gz, ...), rather
than page by page through the API: the same CSV as export.py writes from pages, header first, formulas
neutralised, much faster.

Files the local lake wrote follow one rule (local/delivery.py: a field is quoted exactly when it holds a comma,
a quote or a line break; NULL is an empty field), the rule Python's csv writer applies too, so the export is
the delivered text with two changes made on whole blocks at once: a leading apostrophe where a field starts
with a formula character, and CRLF at the end of each row. Parsing every row in Python took longer than the
query. Files from elsewhere (CloudTrail Lake's own, in S3) are parsed and written row by row.

Before that: what DescribeQuery says of the delivery (`delivery_of` waits while it is PENDING: Lake writes
the files after the query finished; an export waits at most DELIVERY_WAIT seconds, then pages), and the files themselves (`delivered_parts`: a file:// folder's, or
downloaded from S3 into a private folder). lake/export.py's export_query puts these together for the CLI
and the explorer.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO, Any

from isal import igzip

from trailtui.lake.export import _FORMULA_START, neutralise_formula, whole_file

BLOCK = 8 * 1024 * 1024  # characters read at a time
_FORMULA = frozenset(_FORMULA_START)
_QUOTED = re.compile(r'("[^"]*(?:""[^"]*)*")')  # unrolled: an alternation per character was 5x slower
# A formula character where an unquoted field starts (after a comma or a row's end); line breaks are
# always quoted, so an unquoted one ends a row.
_UNQUOTED_FORMULA = frozenset(_FORMULA_START) - {"\r", "\n"}
# The formula characters as UTF-8, and a table of the bytes that may begin one (for numpy).
_FORMULA_BYTES = frozenset(c.encode() for c in _UNQUOTED_FORMULA)
_FIRST_BYTES = [any(b[0] == n for b in _FORMULA_BYTES) for n in range(256)]
_COMMA, _LINE_END = ord(","), ord("\n")
_JOIN = "\x00"  # joins the unquoted stretches of a block; a block holding it takes the slow way
# How long an export waits for a PENDING delivery before reading the pages instead: the results are readable
# page by page as soon as the query finished, and a delivery can stay PENDING for minutes (a large result, a
# slow or unreachable bucket). Past this, waiting longer costs more than the pages would.
DELIVERY_WAIT = 30.0


@dataclass(frozen=True)
class Delivery:
    """What DescribeQuery says of a query's results delivery: `status` is its DeliveryStatus (None: the
    query was not started with a DeliveryS3Uri), `uri` its DeliveryS3Uri (once delivered, the folder of the
    result files)."""

    status: str | None
    uri: str = ""

    @property
    def delivered(self) -> bool:
        return self.status == "SUCCESS"

    @property
    def ended(self) -> bool:
        return self.status != "PENDING"

    @classmethod
    def from_describe(cls, described: dict[str, Any]) -> Delivery:
        return cls(described.get("DeliveryStatus"), described.get("DeliveryS3Uri") or "")


def delivery_of(
    client: Any,
    query_id: str,
    *,
    on_pending: Callable[[Delivery], object] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
    timeout: float | None = None,
) -> Delivery:
    """The query's delivery once it has ended (DescribeQuery until DeliveryStatus is no longer PENDING:
    Lake writes the files after the query finished). `on_pending` hears the first PENDING answer. After
    `timeout` seconds (None: no limit) or when `should_stop` says so, the delivery is returned as it is,
    possibly still PENDING."""
    wait = 0.05
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        delivery = Delivery.from_describe(client.describe_query(QueryId=query_id))
        if delivery.ended or should_stop():
            return delivery
        if deadline is not None and time.monotonic() >= deadline:
            return delivery
        if on_pending is not None and wait == 0.05:
            on_pending(delivery)
        sleep(wait if deadline is None else max(0.0, min(wait, deadline - time.monotonic())))
        wait = min(2.0, wait * 1.5)


S3Client = Callable[[], Any]  # makes the S3 client that reads a delivery (the connection's credentials)


def delivered_parts(delivery: Delivery, scratch: Path, s3: S3Client) -> list[Path]:
    """The result files of a successful delivery, in order: a file:// folder's own (the local lake's
    extension), or downloaded from S3 into `scratch` (a private folder the caller removes)."""
    if delivery.uri.startswith("file://"):
        return result_parts(Path(delivery.uri.removeprefix("file://")))
    return download_delivered(s3(), delivery.uri, scratch)


def result_parts(folder: Path) -> list[Path]:
    parts = sorted(folder.glob("result_*.csv.gz"), key=lambda p: int(p.name.split("_")[1].split(".")[0]))
    if not parts:
        raise FileNotFoundError(f"no result files in {folder}")
    return parts


def download_delivered(s3: Any, uri: str, folder: Path) -> list[Path]:
    """Download the result files a query delivered under `uri` (s3://bucket/key-prefix) into `folder`."""
    bucket, _, prefix = uri.removeprefix("s3://").partition("/")
    keys: list[str] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix.rstrip("/") + "/"):
        keys += [
            o["Key"] for o in page.get("Contents", []) if _RESULT_FILE.fullmatch(o["Key"].rsplit("/", 1)[-1])
        ]
    for key in keys:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"]
        fd = os.open(folder / key.rsplit("/", 1)[-1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            shutil.copyfileobj(body, fh, 1 << 20)
    return result_parts(folder)


_RESULT_FILE = re.compile(r"result_\d+\.csv\.gz")


def export_delivered(parts: Iterable[Path], target: Path, canonical: bool = True) -> int:
    """Write the delivered files `parts` as one CSV export to `target` (through `target.part`, renamed when
    whole, like export_query); returns the rows. `canonical`: the files are the local lake's."""
    rows = 0
    with whole_file(target) as out:
        writer = csv.writer(out)
        for n, part in enumerate(parts):
            # ISA-L inflates in about a third of zlib's time (a 22 MB CSV: 0.05 s against 0.12-0.2 s)
            with igzip.open(part, "rt", newline="", encoding="utf-8") as fh:
                header = next(csv.reader(iter(fh.readline, "")), None)  # whole lines only
                if n == 0 and header is not None:
                    writer.writerow(header)
                rows += _copy_rows(fh, out) if canonical else _rewrite_rows(fh, writer)
    return rows


def _rewrite_rows(fh: IO[str], writer: Any) -> int:
    rows = 0
    for row in csv.reader(fh):
        writer.writerow([neutralise_formula(v) for v in row])
        rows += 1
    return rows


def _copy_rows(fh: IO[str], out: IO[str]) -> int:
    rows = 0
    carry = ""
    while True:
        block = fh.read(BLOCK)
        text = carry + block
        if not block:
            if text:  # a last row without its line end
                rows += _write_block(text + "\n", out)
            return rows
        cut = _row_end(text)
        carry = text[cut:]
        if cut:
            rows += _write_block(text[:cut], out)


def _row_end(text: str) -> int:
    """Just past the last row end of `text`: a newline after an even number of quotes."""
    end = text.rfind("\n")
    while end >= 0 and text.count('"', 0, end) % 2:
        end = text.rfind("\n", 0, end)
    return end + 1


def _neutralise_fields(text: str) -> str:
    """An apostrophe before each field of `text` (unquoted stretches of rows) that starts with a formula
    character after a comma or a row end; the start of `text` is the caller's."""
    data = text.encode()
    starts = _formula_field_starts(data)
    if not starts:
        return text
    bounds = [0, *starts, len(data)]
    return b"'".join([data[i:j] for i, j in pairwise(bounds)]).decode()


def _formula_field_starts(data: bytes) -> list[int]:
    """Where in `data` (UTF-8) a formula character follows a comma or a line end, in order.

    numpy finds the bytes after each separator and keeps those that may begin a formula character (by a
    table of first bytes); the few left are checked whole. Splitting the text at every comma took 0.23 s of
    a 22 MB block (600,000 fields), a lookbehind regular expression 0.3 to 0.9 s; this takes 0.05 to 0.08."""
    import numpy as np

    if len(data) < 2:
        return []
    octets = np.frombuffer(data, np.uint8)
    before = octets[:-1]
    after = np.flatnonzero((before == _COMMA) | (before == _LINE_END)) + 1
    maybe = after[np.array(_FIRST_BYTES, dtype=bool)[octets[after]]]
    return [int(i) for i in maybe if data[i : i + 1] in _FORMULA_BYTES or data[i : i + 3] in _FORMULA_BYTES]


def _write_block(text: str, out: IO[str]) -> int:
    """Write whole rows as the export has them; returns how many."""
    if _JOIN in text:
        return _rewrite_rows(io.StringIO(text, newline=""), csv.writer(out))
    pieces = _QUOTED.split(text)  # unquoted stretches at even positions, quoted fields at odd ones
    joined = _JOIN.join(pieces[0::2])
    rows = joined.count("\n")
    joined = _neutralise_fields(joined).replace("\n", "\r\n")
    if joined[:1] in _UNQUOTED_FORMULA:  # the block starts a row
        joined = "'" + joined
    pieces[0::2] = joined.split(_JOIN)
    pieces[1::2] = [('"' + "'" + q[1:]) if q[1:2] in _FORMULA else q for q in pieces[1::2]]
    out.write("".join(pieces))
    return rows
