"""Delivering a query's results as files: StartQuery's DeliveryS3Uri on the local lake.

CloudTrail Lake writes a finished query's full results under the URI given to StartQuery, at

    <uri>/AWSLogs/<account-id>/CloudTrail-Lake/Query/<yyyy>/<mm>/<dd>/<query-id>/result_<n>.csv.gz

with a sign file beside them, `result_sign.json`, naming each result file with its SHA-256 and signing the
list (CloudTrail user guide, "CloudTrail sign file structure"). The local lake writes the same layout, to
S3 through boto3 (`s3://bucket/prefix`) or, as our extension, to a local directory (`file:///path`).

The signature cannot be AWS's: the local lake signs with its own RSA key (kept private in the lake's data
directory) and names it by its fingerprint, so the files can be checked against that key; the SHA-256 of
each file can be checked by anyone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isal import isal_zlib

if TYPE_CHECKING:
    from trailtui.local.querystore import QueryStore

# AWS's pattern for DeliveryS3Uri (StartQuery API reference).
S3_URI = re.compile(r"^s3://([a-z0-9][.\-a-z0-9]{1,61}[a-z0-9])(/.*)?$")
MAX_URI = 1024
# Rows per result file: files of a few tens of MB of CSV, small enough to download and open one at a time.
FILE_ROWS = 250_000
SIGN_FILE = "result_sign.json"

# DescribeQuery's DeliveryStatus values used here.
PENDING, SUCCESS, FAILED, SIGNING_FAILED = "PENDING", "SUCCESS", "FAILED", "FAILED_SIGNING_FILE"
NOT_FOUND, ACCESS_DENIED, CANCELLED = "RESOURCE_NOT_FOUND", "ACCESS_DENIED", "CANCELLED"


class DeliveryUriError(ValueError):
    """A DeliveryS3Uri that is neither an S3 URI AWS would accept nor a local directory URI."""


@dataclass(frozen=True)
class Destination:
    uri: str
    bucket: str | None  # None: a local directory
    prefix: str  # the S3 key prefix, or the directory's path

    def folder(self, account_id: str, query_id: str, when: datetime) -> str:
        parts = [self.prefix.strip("/")] if self.prefix.strip("/") else []
        parts += ["AWSLogs", account_id, "CloudTrail-Lake", "Query", when.strftime("%Y/%m/%d"), query_id]
        folder = "/".join(parts)
        return "/" + folder if self.bucket is None else folder


def parse_destination(uri: str) -> Destination:
    if len(uri) > MAX_URI:
        raise DeliveryUriError(f"DeliveryS3Uri is longer than {MAX_URI} characters.")
    m = S3_URI.match(uri)
    if m:
        return Destination(uri, m.group(1), (m.group(2) or "").strip("/"))
    if uri.startswith("file:///"):
        path = uri[len("file://") :]
        if ".." in Path(path).parts:
            raise DeliveryUriError("A file:// DeliveryS3Uri must be an absolute path without '..'.")
        return Destination(uri, None, path.rstrip("/") or "/")
    raise DeliveryUriError(
        f"DeliveryS3Uri {uri!r} is not valid: use s3://bucket[/prefix] (or file:///directory on the local lake)."
    )


def csv_record(values: list[str | None]) -> str:
    """One row as a line of a result file (no line end): NULL as an empty field; a field holding a comma, a
    quote or a line break quoted, its quotes doubled (render_sql.csv_record builds the same in DuckDB). A
    lone empty field is quoted, or the line would read as a blank line."""
    if len(values) == 1 and not values[0]:
        return '""'
    return ",".join(
        "" if v is None else '"' + v.replace('"', '""') + '"' if _NEEDS_QUOTES.search(v) else v
        for v in values
    )


_NEEDS_QUOTES = re.compile('[,"\r\n]')


class Spool:
    """A query's result files, written as its rows are stored (result_<n>.csv.gz, FILE_ROWS rows each,
    each with the header line) into a private temporary folder, until they are delivered or discarded."""

    def __init__(self, columns: list[str]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="trailtui-delivery-"))  # mode 0700
        self.header = csv_record(list(columns))
        self.parts: list[Path] = []
        self._rows = 0  # in the current part
        self._out: Any = None
        self._zip: Any = None

    def write(self, lines: list[str]) -> None:
        """Append rows, each a CSV line without its line end."""
        done = 0
        while done < len(lines):
            if self._out is None:
                self._open()
            take = lines[done : done + FILE_ROWS - self._rows]
            self._out.write(self._zip.compress(("\n".join(take) + "\n").encode()))
            self._rows += len(take)
            done += len(take)
            if self._rows >= FILE_ROWS:
                self._close()

    def finish(self) -> list[Path]:
        """The files, complete (one with the header alone for a result without rows)."""
        if self._out is None and not self.parts:
            self._open()
        if self._out is not None:
            self._close()
        return self.parts

    def discard(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def _open(self) -> None:
        path = self.folder / f"result_{len(self.parts) + 1}.csv.gz"
        self._out = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
        # ISA-L at level 1 (plain gzip, any reader inflates it): on 100,000 demo rows x 7 (22 MB of CSV)
        # 0.04-0.05 s for 6.2% of the CSV, where zlib took 0.21-0.24 s at its level 1 (6.6%) and twice
        # that at level 6 (4.5%). wbits 31: the gzip format.
        self._zip = isal_zlib.compressobj(1, isal_zlib.DEFLATED, 31)
        self._out.write(self._zip.compress((self.header + "\n").encode()))
        self.parts.append(path)
        self._rows = 0

    def _close(self) -> None:
        self._out.write(self._zip.flush())
        self._out.close()
        self._out = None


class Signer:
    """The lake's own RSA key (SHA256withRSA, as the sign file names), created on first use."""

    def __init__(self, key_file: Path) -> None:
        self.key_file = key_file
        self._key: Any = None

    def _load(self) -> Any:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        if self._key is None:
            if self.key_file.exists():
                self._key = serialization.load_pem_private_key(self.key_file.read_bytes(), password=None)
            else:
                key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                pem = key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
                self.key_file.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(pem)
                self._key = key
        return self._key

    def fingerprint(self) -> str:
        from cryptography.hazmat.primitives import serialization

        der = (
            self._load()
            .public_key()
            .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
        return hashlib.md5(der, usedforsecurity=False).hexdigest()

    def sign(self, data: bytes) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        signature: bytes = self._load().sign(data, padding.PKCS1v15(), hashes.SHA256())
        return signature.hex()


def sign_file(files: list[tuple[str, str]], region: str, completed: datetime, signer: Signer) -> bytes:
    """The sign file's JSON: each file's SHA-256, and a signature over the hashes in file order."""
    hashes = [h for _, h in files]
    body = {
        "version": "1.0",
        "region": region,
        "files": [{"fileHashValue": h, "fileName": name} for name, h in files],
        "hashAlgorithm": "SHA-256",
        "signatureAlgorithm": "SHA256withRSA",
        "queryCompleteTime": completed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "hashSignature": signer.sign(",".join(hashes).encode()),
        "publicKeyFingerprint": signer.fingerprint(),
    }
    return json.dumps(body, indent=2).encode()


Put = Callable[[str, bytes], None]


def local_put(path: str, data: bytes) -> None:
    """Write a file atomically (a partial file never carries the final name), private to the user."""
    target = Path(path)
    missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    # A new file of a name no one could plant beforehand (mkstemp: O_EXCL, 0600): a fixed `<name>.part`
    # opened with O_TRUNC followed a symbolic link someone put there, in a folder others may write (the
    # date folders under a shared --allow-path or :deliver folder), and overwrote the file it pointed to.
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def s3_put(client: Any, bucket: str) -> Put:
    def put(key: str, data: bytes) -> None:
        client.put_object(Bucket=bucket, Key=key, Body=data)

    return put


def deliver(
    dest: Destination,
    put: Put,
    account_id: str,
    query_id: str,
    region: str,
    files: list[Path],
    completed: datetime,
    signer: Signer,
) -> str:
    """Write the result files and then the sign file; returns the folder's URI."""
    folder = dest.folder(account_id, query_id, completed)
    written: list[tuple[str, str]] = []
    for path in files:
        data = path.read_bytes()
        put(f"{folder}/{path.name}", data)
        written.append((path.name, hashlib.sha256(data).hexdigest()))
        del data
    put(f"{folder}/{SIGN_FILE}", sign_file(written, region, completed, signer))
    return ("file://" if dest.bucket is None else f"s3://{dest.bucket}/") + folder


def failure_status(exc: BaseException) -> str:
    """DeliveryStatus for an error from S3 or the file system."""
    code = getattr(exc, "response", {}).get("Error", {}).get("Code", "") if hasattr(exc, "response") else ""
    if code in ("NoSuchBucket", "404", "NotFound") or isinstance(exc, FileNotFoundError):
        return NOT_FOUND
    if code in ("AccessDenied", "403", "AllAccessDisabled") or isinstance(exc, PermissionError):
        return ACCESS_DENIED
    return FAILED


LOCAL_ACCOUNT = "000000000000"


def deliver_query(
    queries: QueryStore,
    dest: Destination,
    query_id: str,
    account_id: str | None,
    region: str | None,
    data_dir: Path,
    spool: Spool | None,
) -> None:
    """Deliver a query that has ended, from the files spooled as it ran, recording DeliveryStatus (and the
    result folder's URI); the spool is gone afterwards."""
    try:
        record = queries.get(query_id)
        if record is None:
            return
        if record.status != "FINISHED" or spool is None:
            queries.set_delivery(query_id, dest.uri, CANCELLED if record.status == "CANCELLED" else FAILED)
            return
        completed = datetime.fromtimestamp(record.end_time or record.creation_time, UTC)
        try:
            if dest.bucket is None:
                if not Path(dest.prefix).is_dir():
                    raise FileNotFoundError(dest.prefix)
                put: Put = local_put
            else:
                import boto3

                s3 = boto3.session.Session().client("s3", region_name=region or "us-east-1")
                put = s3_put(s3, dest.bucket)
            folder = deliver(
                dest,
                put,
                account_id or LOCAL_ACCOUNT,
                query_id,
                region or "us-east-1",
                spool.finish(),
                completed,
                Signer(data_dir / "delivery-signing-key.pem"),
            )
        except Exception as exc:  # S3 or file system errors become DeliveryStatus, the results stay readable
            queries.set_delivery(query_id, dest.uri, failure_status(exc))
            return
        queries.set_delivery(query_id, folder, SUCCESS)
    finally:
        if spool is not None:
            spool.discard()
