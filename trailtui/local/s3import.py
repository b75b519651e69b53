"""Importing trail logs straight from S3, fetching only the days, accounts and Regions asked for.

The bucket is walked by its layout, never listed whole:
    [prefix/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz
    [prefix/]AWSLogs/<o-org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz
Accounts and Regions come from delimiter listings (or straight from --accounts/--regions); each Region's
folder is then listed once, starting after --since and stopping after --until (keys sort by date). Digest files live under CloudTrail-Digest/, a sibling folder, and are
never visited. Objects already imported into the store (same key and ETag) are skipped, so an interrupted
import resumes where it stopped. Objects download in parallel (a bounded pool) into a temporary folder, a
batch at a time, and go through the same import as local files: parsing, deduplication, per-file errors.
Retries are botocore's standard mode.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from trailtui.local.importer import BATCH_BYTES, Importer, ImportProgress, ImportReport, RecordSource
from trailtui.local.lakefile import LakeFile
from trailtui.local.sources import LogFile, Passed, sniff

ACCOUNT_RE = re.compile(r"^\d{12}$")
ORG_RE = re.compile(r"^o-[a-z0-9]{10,32}$")
DOWNLOAD_WORKERS = 8
# A download batch is as big as one import batch (the importer's limits), so what is on disk at once stays
# bounded and each batch commits whole.
BATCH_OBJECTS = 400


class S3ImportError(RuntimeError):
    """A problem with the bucket itself (missing, denied, another Region): said in plain words."""


@dataclass(frozen=True)
class S3Object:
    key: str
    etag: str
    size: int


@dataclass
class S3Plan:
    bucket: str
    prefix: str
    since: date | None = None
    until: date | None = None
    accounts: set[str] | None = None
    regions: set[str] | None = None
    list_calls: int = 0
    prefixes_listed: list[str] = field(default_factory=list)


def parse_s3_uri(uri: str) -> tuple[str, str]:
    m = re.match(r"^s3://([^/]+)/?(.*)$", uri)
    if not m:
        raise S3ImportError(f"{uri} is not an s3://BUCKET[/PREFIX] address")
    return m.group(1), m.group(2).strip("/")


def _explain(exc: Exception, bucket: str, prefix: str) -> S3ImportError:
    code = getattr(exc, "response", {}).get("Error", {}).get("Code") if hasattr(exc, "response") else None
    where = f"s3://{bucket}/{prefix}".rstrip("/")
    if code == "NoSuchBucket":
        return S3ImportError(f"The bucket {bucket} does not exist (or not in this partition).")
    if code in ("AccessDenied", "AllAccessDisabled", "403"):
        return S3ImportError(
            f"Access denied to {where}: the import needs s3:ListBucket on the bucket and "
            "s3:GetObject on its objects (and kms:Decrypt for SSE-KMS logs)."
        )
    if code in (
        "PermanentRedirect",
        "AuthorizationHeaderMalformed",
        "301",
        "IllegalLocationConstraintException",
    ):
        return S3ImportError(
            f"The bucket {bucket} is in another Region: pass --region (or the profile's Region) "
            "where the bucket lives."
        )
    if code in ("SlowDown", "Throttling", "ThrottlingException", "503"):
        return S3ImportError(
            f"S3 kept throttling requests to {where} after retries; try again later or with narrower filters."
        )
    return S3ImportError(f"{where}: {exc}")


class S3Walker:
    """Lists only what the filters allow; counts its list calls (the benchmark compares them)."""

    def __init__(self, s3: Any, plan: S3Plan) -> None:
        self.s3 = s3
        self.plan = plan

    def _list(self, prefix: str, delimiter: bool, start_after: str | None = None) -> Iterator[dict[str, Any]]:
        args: dict[str, Any] = {"Bucket": self.plan.bucket, "Prefix": prefix}
        if delimiter:
            args["Delimiter"] = "/"
        if start_after:
            args["StartAfter"] = start_after
        token = None
        while True:
            if token:
                args["ContinuationToken"] = token
            self.plan.list_calls += 1
            self.plan.prefixes_listed.append(prefix)
            try:
                page = self.s3.list_objects_v2(**args)
            except Exception as exc:
                raise _explain(exc, self.plan.bucket, prefix) from exc
            yield page
            if not page.get("IsTruncated"):
                return
            token = page.get("NextContinuationToken")

    def children(self, prefix: str) -> list[str]:
        """The sub-folder names directly under `prefix`."""
        names = []
        for page in self._list(prefix, delimiter=True):
            for cp in page.get("CommonPrefixes") or []:
                names.append(cp["Prefix"][len(prefix) :].rstrip("/"))
        return names

    def objects(self, prefix: str, start_after: str | None = None) -> Iterator[S3Object]:
        for page in self._list(prefix, delimiter=False, start_after=start_after):
            for item in page.get("Contents") or []:
                key = item["Key"]
                if "CloudTrail-Digest" in key or not key.endswith((".json.gz", ".json")):
                    continue
                yield S3Object(key, item.get("ETag", "").strip('"'), int(item.get("Size") or 0))

    def _root(self) -> str:
        prefix = self.plan.prefix
        if prefix.endswith("AWSLogs") or "/AWSLogs/" in f"/{prefix}/":
            head = prefix[: prefix.index("AWSLogs") + len("AWSLogs")]
            return head + "/"
        return (prefix + "/" if prefix else "") + "AWSLogs/"

    def account_prefixes(self) -> Iterator[tuple[str, str]]:
        """(account, prefix of its CloudTrail/ folder) for both layouts."""
        root = self._root()
        wanted = self.plan.accounts
        for name in self.children(root):
            if ACCOUNT_RE.match(name):
                if wanted is None or name in wanted:
                    yield name, f"{root}{name}/CloudTrail/"
            elif ORG_RE.match(name):
                # One listing of the organization's folder says which accounts exist: cheaper than one
                # (possibly empty) listing per wanted account.
                org = f"{root}{name}/"
                for account in self.children(org):
                    if ACCOUNT_RE.match(account) and (wanted is None or account in wanted):
                        yield account, f"{org}{account}/CloudTrail/"

    def region_objects(self, region_prefix: str) -> Iterator[S3Object]:
        """The logs of one Region folder within the date range.

        S3 lists keys in order and the date path (YYYY/MM/DD) sorts as time does, so one listing starting
        after the first day and stopped after the last costs one call per 1,000 keys in range: fewer calls
        than a folder-by-folder walk (a day folder holds a few hundred files) and than a full listing.
        """
        since, until = self.plan.since, self.plan.until
        start_after = f"{region_prefix}{since:%Y/%m/%d}" if since else None
        stop = f"{region_prefix}{until + timedelta(days=1):%Y/%m/%d}" if until else None
        for obj in self.objects(region_prefix, start_after):
            if stop is not None and obj.key >= stop:
                return
            yield obj

    def walk(self) -> Iterator[S3Object]:
        for _account, ct_prefix in self.account_prefixes():
            regions = sorted(self.plan.regions) if self.plan.regions else self.children(ct_prefix)
            for region in regions:
                yield from self.region_objects(f"{ct_prefix}{region}/")


@dataclass
class S3Progress:
    objects_done: int
    objects_total: int
    bytes_done: int
    bytes_total: int
    events_added: int
    started: float

    def as_import_progress(self) -> ImportProgress:
        return ImportProgress(
            self.objects_done,
            self.objects_total,
            self.bytes_done,
            self.bytes_total,
            self.events_added,
            0,
            self.started,
        )


def _batches(objects: list[S3Object]) -> Iterator[list[S3Object]]:
    batch: list[S3Object] = []
    size = 0
    for obj in objects:
        if batch and (len(batch) >= BATCH_OBJECTS or size + obj.size > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(obj)
        size += obj.size
    if batch:
        yield batch


def import_s3(
    lake: LakeFile,
    s3: Any,
    plan: S3Plan,
    store_name: str,
    progress: Callable[[ImportProgress], None] | None = None,
    scratch: Path | None = None,
    window: tuple[datetime, datetime] | None = None,
) -> ImportReport:
    """Import the trail logs that `plan` selects into the store (created if missing); with `window`, only
    the events whose eventTime falls in it."""
    started = time.monotonic()
    importer = Importer(lake, store_name, window)
    store, created = importer.prepare_store()
    report = ImportReport(store=store, store_created=created)
    done = importer.already_imported(store)
    walker = S3Walker(s3, plan)
    todo: list[S3Object] = []
    for obj in walker.walk():
        if done.get(f"s3://{plan.bucket}/{obj.key}") == obj.etag:
            report.skipped.append(Passed(f"s3://{plan.bucket}/{obj.key}", "already imported (same ETag)"))
        else:
            todo.append(obj)
    state = S3Progress(0, len(todo), 0, sum(o.size for o in todo), 0, started)
    if progress:
        progress(state.as_import_progress())
    workdir = Path(tempfile.mkdtemp(prefix="trailtui-s3-", dir=scratch))
    try:
        with ThreadPoolExecutor(DOWNLOAD_WORKERS, thread_name_prefix="trailtui-s3") as pool:
            for batch in _batches(todo):
                fetched = list(
                    pool.map(
                        lambda n, o: _download(s3, plan.bucket, o, workdir / _local_name(n, o.key)),
                        range(len(batch)),
                        batch,
                    )
                )
                sources = []
                for obj, result in zip(batch, fetched, strict=True):
                    uri = f"s3://{plan.bucket}/{obj.key}"
                    if isinstance(result, Passed):
                        report.rejected.append(Passed(uri, result.reason))
                        continue
                    sniffed = sniff(result)
                    if isinstance(sniffed, LogFile):
                        display = LogFile(
                            sniffed.path, sniffed.format, sniffed.gzipped, sniffed.size, sniffed.mtime_ns
                        )
                        sources.append(RecordSource(display, uri, obj.etag))
                    else:
                        report.rejected.append(Passed(uri, sniffed.reason))
                before = len(report.rejected)
                importer.import_sources(sources, report, None, started)
                for i in range(before, len(report.rejected)):  # name rejected objects by their S3 address
                    local = report.rejected[i].path
                    match = next((s.source for s in sources if str(s.file.path) == local), local)
                    report.rejected[i] = Passed(match, report.rejected[i].reason)
                if report.interrupted:
                    break
                for f in workdir.iterdir():
                    f.unlink()
                state.objects_done += len(batch)
                state.bytes_done += sum(o.size for o in batch)
                state.events_added = report.events_added
                if progress:
                    progress(state.as_import_progress())
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report.seconds = time.monotonic() - started
    return report


def _local_name(n: int, key: str) -> str:
    """A distinct local file name for the batch's n-th object.

    Names are numbered, not derived from the key alone: any flattening of keys collides somewhere
    (`a/b.json.gz` and `a__b.json.gz`), and one object would silently overwrite another. The key's own
    file name follows, cut short, for a person looking at the folder.
    """
    base = re.sub(r"[^A-Za-z0-9._-]", "_", key.rsplit("/", 1)[-1])[-120:]
    return f"{n:05d}-{base}"


def _download(s3: Any, bucket: str, obj: S3Object, path: Path) -> Path | Passed:
    try:
        # A plain GetObject: trail log files are small, and download_file's transfer manager (threads,
        # multipart logic) costs more per object than the transfer itself.
        # IfMatch: the object must still be the one listed, or its recorded ETag would be wrong.
        args = {"Bucket": bucket, "Key": obj.key} | ({"IfMatch": f'"{obj.etag}"'} if obj.etag else {})
        body = s3.get_object(**args)["Body"]
        with open(path, "wb") as out:
            shutil.copyfileobj(body, out, 1 << 20)
        return path
    except Exception as exc:
        return Passed(obj.key, str(_explain(exc, bucket, obj.key)))


def parse_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise S3ImportError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def parse_list(text: str | None) -> set[str] | None:
    if not text:
        return None
    return {part.strip() for part in text.split(",") if part.strip()}


def plan_from_text(
    uri: str, since: str | None, until: str | None, accounts: str | None, regions: str | None
) -> S3Plan:
    """The plan for an import as a user types it (CLI flags or the :import command)."""
    bucket, prefix = parse_s3_uri(uri)
    return S3Plan(
        bucket, prefix, parse_day(since), parse_day(until), parse_list(accounts), parse_list(regions)
    )
