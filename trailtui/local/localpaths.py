"""Which locations the CloudTrail API may read (StartImport's S3LocationUri) and write (StartQuery's
DeliveryS3Uri) for its caller: folders of this machine, and S3 buckets read and written with the process's
own AWS credentials.

In process (the explorer, `trailtui query`), the caller is the user: any path they could open themselves,
any bucket their credentials reach. Over HTTP (`trailtui serve`), the caller is whoever holds the credential
pair, perhaps from another machine: only under the folders and S3 prefixes the operator named with
`--allow-path` (none by default). Without this, a client could have serve write result folders into any
folder the user may write or any bucket the operator's credentials may write, and read the first bytes of
any file (or S3 object) through ListImportFailures ("not JSON: starts with 'root:x:0:0:root:'" for
/etc/passwd, or serve's own environment from /proc/self/environ).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from trailtui.local.errors import InvalidParameter

S3 = "s3://"


class LocalPaths:
    def __init__(self, roots: Iterable[Path | str] | None = None) -> None:
        """`roots` None: anywhere (in process); else only under these folders and s3:// prefixes (`s3://`
        alone: any bucket)."""
        if roots is None:
            self.roots: tuple[Path, ...] | None = None
            self.prefixes: tuple[str, ...] = ()
            return
        given = [str(r) for r in roots]
        self.roots = tuple(Path(r).expanduser().resolve() for r in given if not r.startswith(S3))
        self.prefixes = tuple(r.rstrip("/") + "/" if r != S3 else S3 for r in given if r.startswith(S3))

    def check_uri(self, uri: str, what: str) -> None:
        """Raise InvalidParameterException unless the location `uri` names is one the caller may use: an
        `s3://` URI under an allowed prefix, or a local path (plain or `file://`) under an allowed folder. A URI
        of another scheme names no location here: each caller's own parsing refuses it."""
        if uri.startswith(S3):
            self._check_s3(uri, what)
        elif "://" not in uri or uri.startswith("file://"):
            self._check_path(uri.removeprefix("file://"), what)

    def _check_path(self, path: Path | str, what: str) -> None:
        """Raise InvalidParameterException unless `path` (symbolic links followed) is under an allowed folder."""
        if self.roots is None:
            return
        real = Path(path).expanduser().resolve()
        if not any(real == root or real.is_relative_to(root) for root in self.roots):
            self._refuse(what, str(path))

    def _check_s3(self, uri: str, what: str) -> None:
        """Raise InvalidParameterException unless the s3:// `uri` is under an allowed prefix."""
        if self.roots is None:
            return
        if not any(p == S3 or (uri.rstrip("/") + "/").startswith(p) for p in self.prefixes):
            self._refuse(what, uri)

    def _refuse(self, what: str, where: str) -> None:
        allowed = ", ".join([*(str(r) for r in self.roots or ()), *self.prefixes]) or "none"
        raise InvalidParameter(
            f"{what} {where} is not under a location this trailtui serve may use (allowed: {allowed}); "
            "its operator names them with --allow-path DIR or --allow-path s3://BUCKET[/PREFIX]."
        )
