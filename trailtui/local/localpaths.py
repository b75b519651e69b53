"""Which folders of this machine the CloudTrail API may read (StartImport from a local path) and write
(StartQuery's DeliveryS3Uri as file://) for its caller.

In process (the explorer, `trailtui query`), the caller is the user: any path they could open themselves.
Over HTTP (`trailtui serve`), the caller is whoever holds the credential pair, perhaps from another machine:
only under the folders the operator named with `--allow-path` (none by default). Without this, a client
could have serve write result folders into any folder the user may write, and read the first bytes of any
file the user may read through ListImportFailures ("not JSON: starts with 'root:x:0:0:root:'" for
/etc/passwd, or serve's own environment from /proc/self/environ).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from trailtui.local.errors import InvalidParameter


class LocalPaths:
    def __init__(self, roots: Iterable[Path | str] | None = None) -> None:
        """`roots` None: any path (in process); else only paths under these folders."""
        self.roots = None if roots is None else tuple(Path(r).expanduser().resolve() for r in roots)

    def check(self, path: Path | str, what: str) -> None:
        """Raise InvalidParameterException unless `path` (symbolic links followed) is under an allowed folder."""
        if self.roots is None:
            return
        real = Path(path).expanduser().resolve()
        if any(real == root or real.is_relative_to(root) for root in self.roots):
            return
        allowed = ", ".join(str(r) for r in self.roots) or "none"
        raise InvalidParameter(
            f"{what} {path} is not under a folder this trailtui serve may use (allowed: {allowed}); "
            "its operator names them with --allow-path DIR."
        )
