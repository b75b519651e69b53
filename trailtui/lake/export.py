"""Writing query results to CSV, JSON (the GetQueryResults shape) or JSON Lines, page by page.

Writers stream: each page is written as it arrives, so memory stays flat however large the result.
Values are written exactly as Lake returned them (they are evidence); the only change is in CSV, where a
cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice for CSV injection).
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from trailtui import units
from trailtui.lake.results import QueryState, ResultPage

FORMATS = ("csv", "json", "jsonl")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


_LINE_BREAKING = re.compile("[\x80-\x9f\u2028\u2029]")


def _json(value: object) -> str:
    """Compact JSON that keeps text readable, with C1 controls and U+2028/U+2029 escaped: line-based tools
    (and JSON Lines readers that split with str.splitlines, which breaks at NEL) would otherwise cut a row
    in two. They can only occur inside strings, where an escape is always valid JSON."""
    return _LINE_BREAKING.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def neutralise_formula(value: str | None) -> str:
    if value is None:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


class ResultWriter:
    """Write pages to `out` in one format; call `finish()` once with the final statistics."""

    def __init__(self, out: IO[str], fmt: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.out = out
        self.fmt = fmt
        self.rows = 0
        self._columns: list[str] | None = None
        self._csv = csv.writer(out) if fmt == "csv" else None

    def write(self, page: ResultPage) -> None:
        if self._columns is None and page.columns:
            self._columns = page.columns
            if self._csv:
                self._csv.writerow(page.columns)
            elif self.fmt == "json":
                self.out.write('{\n  "QueryResultRows": [')
        for row in page.raw_rows():
            if self._csv:
                self._csv.writerow([neutralise_formula(next(iter(cell.values()))) for cell in row])
            elif self.fmt == "json":
                self.out.write(("," if self.rows else "") + "\n    " + _json(row))
            else:
                self.out.write(_json(row) + "\n")
            self.rows += 1

    def finish(self, status: str, statistics: dict[str, Any], error: str | None = None) -> None:
        if self.fmt != "json":
            return
        if self._columns is None:
            self.out.write('{\n  "QueryResultRows": [')
        tail: dict[str, Any] = {"QueryStatus": status, "QueryStatistics": statistics}
        if error:
            tail["ErrorMessage"] = error
        rest = json.dumps(tail, ensure_ascii=False, indent=2)[2:]  # the members and the closing brace
        self.out.write(("\n  ]" if self.rows else "]") + ",\n" + rest + "\n")


def write_results(
    pages: Iterable[ResultPage],
    out: IO[str],
    fmt: str,
    state: QueryState,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Stream `pages` to `out` (one page in memory at a time); returns the rows written. `progress` hears
    the running row count every ten pages."""
    writer = ResultWriter(out, fmt)
    last: ResultPage | None = None
    for n, page in enumerate(pages):
        writer.write(page)
        last = page
        if progress is not None and n % 10 == 9:
            progress(writer.rows)
    writer.finish(
        state.status,
        {
            "ResultsCount": writer.rows,
            "TotalResultsCount": last.total if last else 0,
            "BytesScanned": state.statistics.bytes_scanned,
        },
        state.error,
    )
    return writer.rows


@dataclass(frozen=True)
class FromFiles:
    """How a CSV export may come from the files a query delivered (StartQuery's DeliveryS3Uri) rather than
    page by page: far faster, the same CSV. Anything that stops it (delivery FAILED, a bucket that denies
    reading) is said through `notice`, and the export is read page by page instead; `progress` hears what
    takes time (waiting for a delivery to end, a download)."""

    s3: Callable[[], Any] | None = None  # the S3 client that reads an s3:// delivery; None: page instead
    local_lake: bool = False  # the local lake's connection: its files follow one CSV rule (the fast copy)
    notice: Callable[[str], object] = lambda _: None
    progress: Callable[[str], object] = lambda _: None
    explain: Callable[[BaseException], str] = str


def export_query(
    client: Any,
    query_id: str,
    target: Path,
    fmt: str | None = None,
    progress: Callable[[int], object] | None = None,
    page_size: int = 1000,
    files: FromFiles | None = FromFiles(),
) -> int:
    """Write a query's whole result to `target` (format from its suffix unless given); returns the rows.
    A CSV comes from the query's delivered files when it has some (see FromFiles), else from pages.

    The rows go to `target.part`, renamed to `target` only when every page is written, so a failure (a
    network error, a full disk, an interrupt) never leaves a truncated file that looks complete."""
    from trailtui.lake.query import QueryRun

    fmt = fmt or target.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"name the file .csv, .json or .jsonl to choose the format (not {target.name})")
    if fmt == "csv" and files is not None:
        rows = _from_delivered_files(client, query_id, target, files)
        if rows is not None:
            return rows
    run = QueryRun(client, query_id=query_id)
    state = run.describe()
    with whole_file(target) as out:
        return write_results(run.pages(page_size), out, fmt, state, progress)


def _from_delivered_files(client: Any, query_id: str, target: Path, files: FromFiles) -> int | None:
    """The export made from the query's delivered files; None when it has none to use (then: pages)."""
    from trailtui.lake import delivered
    from trailtui.lake.delivered import delivered_parts, delivery_of, export_delivered

    wait = delivered.DELIVERY_WAIT
    try:
        delivery = delivery_of(
            client,
            query_id,
            on_pending=lambda _: files.progress(
                f"Waiting for the results delivery to end (at most {wait:.0f} s, then page by page)…"
            ),
            timeout=wait,
        )
    except Exception:  # throttled, say: the pages follow, with their retries, and say what is wrong
        return None
    with tempfile.TemporaryDirectory(prefix="trailtui-delivery-") as scratch:  # mode 0700
        try:
            if not delivery.ended:
                files.notice(
                    f"The results delivery is still PENDING after {wait:.0f} s; reading the results page by page."
                )
            elif delivery.status is not None and not delivery.delivered:
                files.notice(
                    f"The results delivery ended {delivery.status}; reading the results page by page."
                )
            if not delivery.delivered or (delivery.uri.startswith("s3://") and files.s3 is None):
                return None
            if delivery.uri.startswith("s3://"):
                files.progress(f"Downloading the delivered results from {delivery.uri}…")
            parts = delivered_parts(delivery, Path(scratch), files.s3 or (lambda: None))
        except Exception as exc:  # expired credentials, a bucket that denies reading, files gone
            files.notice(
                f"Could not read the delivered results ({files.explain(exc)}); reading them page by page."
            )
            return None
        canonical = files.local_lake or delivery.uri.startswith("file://")
        return export_delivered(parts, target, canonical=canonical)


def export_to_s3(
    client: Any,
    query_id: str,
    uri: str,
    files: FromFiles,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Export a query's whole result to the S3 object `uri` (s3://BUCKET/KEY, the format from its suffix):
    written to a private temporary file as export_query writes any file, then uploaded with the connection's
    S3 credentials (files.s3). An object already there is never replaced: the export is refused first."""
    from botocore.exceptions import ClientError

    bucket, _, key = uri.removeprefix("s3://").partition("/")
    s3 = (files.s3 or _no_s3)()
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchKey", "NotFound"):
            raise
    else:
        raise FileExistsError(f"{uri} already exists; name another key (nothing was replaced)")
    with tempfile.TemporaryDirectory(prefix="trailtui-export-") as scratch:  # mode 0700
        local = Path(scratch) / key.rsplit("/", 1)[-1]
        rows = export_query(client, query_id, local, progress=progress, files=files)
        files.progress(f"Uploading {units.rows(rows)} to {uri}…")
        s3.upload_file(str(local), bucket, key)
    return rows


def _no_s3() -> Any:
    raise RuntimeError("no S3 client for this connection")


@contextlib.contextmanager
def whole_file(target: Path) -> Iterator[IO[str]]:
    """`target` opened for an export, written through `target.part` and renamed only when whole: an export
    that fails or is interrupted leaves no file that looks complete."""
    tmp = target.with_name(target.name + ".part")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as out:
            yield out
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
