"""The engines behind the `Connection` seam (trailtui.lake.connection): the local lake and AWS profiles.

Both hand out boto3 CloudTrail clients; only how they were made differs. What only one kind can do (the
local lake's store figures and imports, an AWS profile's IAM alias) is a method of the seam, so the
explorer and the CLI never ask which kind they hold, and never reach past it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from trailtui.lake.connection import (
    Connection,
    ConnectionKey,
    ImportOutcome,
    ImportProgress,
    ImportRequest,
    ImportUnsupported,
    StoreFigures,
)
from trailtui.lake.export import FromFiles

if TYPE_CHECKING:
    from trailtui.local.service import LocalLake
    from trailtui.paths import Locations

LOCAL = "local"


class LocalConnection:
    """The embedded local lake, served in process through boto3."""

    bills_scans = False
    profile: str | None = None

    def __init__(self, lake: LocalLake, owned: bool = True) -> None:
        self._lake = lake
        self._owned = owned  # a lake handed in by the caller is the caller's to close
        self.key = ConnectionKey.local()
        self.region: str = lake.api.region
        self.cloudtrail: Any = lake.client("cloudtrail")
        self.sts: Any = lake.client("sts")

    @property
    def account_id(self) -> str | None:
        return self._lake.api.account_id

    def store_figures(self) -> dict[str, StoreFigures]:
        return {
            s.id: StoreFigures(s.event_count, s.first_event, s.last_event)
            for s in self._lake.engine.stores(max_age=0)
        }

    def stores_changed(self) -> None:
        self._lake.engine.invalidate_stores()

    def identity_clients(self) -> tuple[Any, Any]:
        return self.sts, None

    def import_logs(self, request: ImportRequest, progress: ImportProgress | None = None) -> ImportOutcome:
        """An import of the lake (recorded as StartImport's are), run in this thread."""
        from trailtui.local.imports import Imports, local_store

        def report_progress(p: Any) -> None:
            if progress is not None:
                progress(p.files_done, p.files_total, p.events_added)

        imports = Imports(self._lake.file)
        filters: dict[str, Any] = {}
        if request.source.startswith("s3://"):
            from trailtui.aws.session import aws_client, aws_session
            from trailtui.local.s3import import plan_from_text

            plan_from_text(request.source, request.since, request.until, request.accounts, request.regions)
            s3 = aws_client(aws_session(request.profile, request.region), "s3")
            imports.s3_client = lambda _region: s3
            filters = {"since": request.since, "until": request.until}
            filters |= {"accounts": request.accounts, "regions": request.regions}
        store, _ = local_store(self._lake.file, request.store)
        record = imports.begin(store, [request.source], request.region, None, filters=filters)
        report = imports.run(record, report_progress)
        self.stores_changed()
        if report is None:
            done = imports.log.get(record.import_id)
            raise RuntimeError((done.message if done else None) or "the import stopped before it began")
        first = report.rejected[0] if report.rejected else None
        return ImportOutcome(
            report.store.name,
            report.events_added,
            report.duplicates,
            len(report.rejected),
            f"{first.path}: {first.reason}" if first else "",
        )

    def drop_store(self, ref: str) -> None:
        """Delete a store for good with its events (the explorer's `:drop`), without DeleteEventDataStore's
        seven days of PENDING_DELETION. Refused as DeleteEventDataStore is: under termination protection,
        or while an import writes into it."""
        from trailtui.local.errors import EventDataStoreHasOngoingImport, EventDataStoreTerminationProtected
        from trailtui.local.store_admin import delete_store

        api = self._lake.api
        store = api.store(ref)
        if store.termination_protection:
            raise EventDataStoreTerminationProtected(
                f"{store.name} has termination protection: turn it off with :edit first."
            )
        if any(r.store_id == store.id for r in api.imports.log.active()):
            raise EventDataStoreHasOngoingImport(
                f"{store.name} has an import in progress; wait for it first."
            )
        with self._lake.file.writer() as con:
            delete_store(con, store)
        self.stores_changed()

    def explain(self, exc: BaseException) -> str:
        from trailtui.lake.errors import explain

        return explain(exc)

    def close(self) -> None:
        if self._owned:
            self._lake.close()


class AwsConnection:
    """An AWS profile in one Region: CloudTrail Lake itself (or any CloudTrail endpoint)."""

    bills_scans = True
    account_id: str | None = None  # learnt from STS by the caller

    def __init__(self, profile: str | None, session: Any, endpoint_url: str | None = None) -> None:
        from trailtui.aws.session import aws_client

        self.profile = profile
        self._session = session
        self.endpoint_url = endpoint_url
        from trailtui.athena.router import with_athena

        # Lake's client, which also answers for the profile's Athena CloudTrail tables (trailtui.athena).
        self.cloudtrail: Any = with_athena(
            session, aws_client(session, "cloudtrail", endpoint_url), endpoint_url
        )
        self.sts: Any = aws_client(session, "sts", endpoint_url)
        self.region: str = self.cloudtrail.meta.region_name
        self.key = ConnectionKey.aws(profile or session.profile_name or "default", self.region)

    def store_figures(self) -> dict[str, StoreFigures]:
        return {}  # Lake tells counts only through a query, which costs money

    def stores_changed(self) -> None:
        pass

    def identity_clients(self) -> tuple[Any, Any]:
        from trailtui.aws.session import aws_client

        return self.sts, aws_client(self._session, "iam", self.endpoint_url)

    def import_logs(self, request: ImportRequest, progress: ImportProgress | None = None) -> ImportOutcome:
        raise ImportUnsupported("imports go into the local lake; switch to it with :local")

    def explain(self, exc: BaseException) -> str:
        from trailtui.lake.errors import explain

        return explain(exc, self.profile)

    def close(self) -> None:
        pass


def open_local(local_lake: LocalLake | None = None, where: Locations | None = None) -> LocalConnection:
    from trailtui.local.service import LocalLake

    if local_lake is not None:
        return LocalConnection(local_lake, owned=False)
    return LocalConnection(LocalLake(where))


def open_aws(
    profile: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
    session: Any = None,
) -> AwsConnection:
    """Clients for an AWS profile and Region (`session`, if given, is the boto3 session already made for them)."""
    from trailtui.aws.session import aws_session

    return AwsConnection(profile, session or aws_session(profile, region), endpoint_url)


def delivered_results(
    conn: Connection, notice: Callable[[str], object], progress: Callable[[str], object] | None = None
) -> FromFiles:
    """How an export on `conn` reads a query's delivered results (`trailtui query --output` and the
    explorer's ctrl+e alike): S3 with the connection's own profile and Region."""
    from trailtui.aws.session import aws_client, aws_session

    return FromFiles(
        s3=lambda: aws_client(aws_session(conn.profile, conn.region), "s3"),
        local_lake=conn.key.is_local,
        notice=notice,
        progress=progress or notice,
        explain=conn.explain,
    )
