"""The main screen's results out: exporting a whole result (ctrl+e) and saving each query's results as files
(`:deliver`, StartQuery's DeliveryS3Uri, as the Lake console's "Save results" option).

The `:deliver` setting is per connection (the local lake, each AWS profile) and remembered with the rest of
what trailtui keeps per connection. A CSV export of a query whose results were delivered is made from its
files (downloaded from S3, or read from the local folder), which is faster than paging. Nothing is ever
run again for an export: on CloudTrail Lake a query costs money, and on either engine a second run could
return other rows than the grid shows (a lake that changed, a LIMIT without ORDER BY). Without delivered
files, or when they cannot be read, the export pages through GetQueryResults, and says why. (Writing a
local query's stored rows out as result files was tried, and measured slower than paging: 4.6 s against
4.1 s for 100,000 x 7, so it is not done.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trailtui.lake.connection import ConnectionKey
from trailtui.lake.results import READABLE_STATES
from trailtui.tui import events, workers
from trailtui.tui.dialogs import PromptScreen
from trailtui.tui.overwrite import then_unless_declined
from trailtui.tui.state import Run
from trailtui.units import rows

if TYPE_CHECKING:
    from textual.screen import Screen

    from trailtui.aws.memory import ProfileMemory
    from trailtui.tui.state import ExplorerState

    _Base = Screen[None]
else:
    _Base = object

S3_PREFIX = "s3://"
S3_OBJECT = re.compile(r"s3://[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9]/[^\x00-\x1f]+")


def memory_name(key: ConnectionKey) -> str:
    """The name a connection's remembered settings go under (as accounts.py keeps them)."""
    return "local" if key.is_local else key.profile or "default"


def delivery_target(arg: str, key: ConnectionKey) -> str:
    """The DeliveryS3Uri `:deliver ARG` asks for on `key`; raises ValueError saying what is wrong. On the
    local lake a folder (a path or file:///path) is ours to make, private to the user."""
    from trailtui.local.delivery import S3_URI

    if arg.startswith(S3_PREFIX):
        if not S3_URI.match(arg):
            raise ValueError(
                f"{arg} is not an S3 location: use s3://BUCKET[/PREFIX] (a bucket name is lower case)."
            )
        return arg.rstrip("/")
    if not key.is_local:
        raise ValueError("CloudTrail Lake saves results only to S3: use :deliver s3://BUCKET[/PREFIX].")
    folder = Path(arg.removeprefix("file://")).expanduser().resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ValueError(f"cannot use {folder}: {exc.strerror or exc}") from None
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder.")
    return f"file://{folder}"


class ExportMixin(_Base):
    if TYPE_CHECKING:  # provided by MainScreen
        state: ExplorerState
        memory: ProfileMemory

        def post(self, event: object) -> None: ...
        def start_worker(self, fn: Callable[..., None], *args: Any, group: str) -> None: ...
        def _show_status(self) -> None: ...

    # -- saving results as files: :deliver ----------------------------------------------------------------
    def delivery_for(self, key: ConnectionKey) -> str | None:
        """Where queries on `key` deliver their results (None: they are not saved as files)."""
        return self.memory.get(memory_name(key)).deliver_to

    def set_delivery(self, arg: str) -> None:
        """`:deliver s3://BUCKET[/PREFIX]` (a folder, on the local lake), `:deliver off`, or `:deliver`."""
        key = self.state.current
        where = self.state.label(key)
        current = self.delivery_for(key)
        if not arg:
            if current:
                self.notify(f"Queries on {where} save their results to {current} (:deliver off stops it).")
            else:
                self.notify(f"Queries on {where} do not save their results as files (:deliver s3://BUCKET).")
            return
        if arg == "off":
            self.memory.remember(memory_name(key), deliver_to=None)
            self.notify(f"Queries on {where} no longer save their results as files.")
            return
        try:
            target = delivery_target(arg, key)
        except ValueError as exc:
            self.notify(f":deliver: {exc}", severity="error")
            return
        self.memory.remember(memory_name(key), deliver_to=target)
        self.notify(f"Queries on {where} now also save their whole results to {target}.")

    def _delivery_changed(self, e: events.DeliveryChanged) -> None:
        run = self.state.runs.get(e.run_id)
        if run is None:
            return
        was = run.delivery
        run.delivery = e.delivery if e.delivery.status is not None else None
        self._show_status()
        if e.delivery.status == "PENDING" or (was is not None and was == e.delivery):
            return
        qid = (run.query_id or "")[:8]
        if e.delivery.delivered:
            self.notify(f"The results of {qid} were saved to {e.delivery.uri}")
        elif e.delivery.status is None:
            self.notify(
                f"The results of {qid} were not saved as files: its engine does not deliver results "
                "(an Athena table keeps them in its own output location).",
                severity="warning",
            )
        elif was is not None and run.status in READABLE_STATES:  # a delivery this run asked for
            self.notify(
                f"Saving the results of {qid} ended {e.delivery.status} ({e.delivery.uri}); "
                "ctrl+e still exports them page by page.",
                severity="warning",
            )

    # -- export: ctrl+e -----------------------------------------------------------------------------------
    def action_export(self) -> None:
        run = self.state.run
        if run is None or not run.query_id or run.status not in READABLE_STATES:
            self.notify("Nothing to export yet: run a query first.", severity="warning")
            return
        default = str(Path.home() / f"trailtui-{run.query_id[:8]}.csv")
        question = (
            f"Export the whole result to a file or s3://BUCKET/KEY (.csv, .json or .jsonl){_route(run)}:"
        )
        prompt = PromptScreen(question, default)
        self.app.push_screen(prompt, lambda path: self._export(path, run))

    def _export(self, path: str | None, run: Run) -> None:
        if not path:
            return
        path = path.strip()
        fmt = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
        if fmt not in ("csv", "json", "jsonl"):
            self.notify("Name the file .csv, .json or .jsonl to choose the format.", severity="error")
            return
        if path.startswith(S3_PREFIX):  # an S3 object: an existing one is refused by the worker
            if not S3_OBJECT.match(path):
                self.notify(f"{path} is not an S3 object: use s3://BUCKET/KEY.csv", severity="error")
                return
            self._start_export(path, fmt, run)
            return
        target = Path(path).expanduser()
        then_unless_declined(self, target, lambda: self._start_export(target, fmt, run))

    def _start_export(self, target: Path | str, fmt: str, run: Run) -> None:
        self.notify(f"Exporting to {target}…")
        conn = self.state.connections[run.key]
        self.start_worker(
            workers.export_results, conn, run.query_id or "", target, fmt, self.post, group="export"
        )

    def _export_progress(self, e: events.ExportProgress) -> None:
        if e.error:
            self.notify(f"Export to {e.path} failed: {e.error}", severity="error")
        elif e.done:
            self.notify(f"Exported {rows(e.rows)} to {e.path}")
        else:
            self.notify(f"Exporting… {rows(e.rows)} so far", timeout=2)


def _route(run: Run) -> str:
    """How the export will be made, for the prompt: a user waiting on 100,000 rows knows why."""
    if run.delivery is not None and run.delivery.delivered:
        return "; a .csv comes from the saved files"
    return "; read page by page (the query is not run again)"
