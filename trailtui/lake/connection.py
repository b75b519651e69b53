"""The seam between the explorer (and the CLI) and the engines: what they may ask of a connection.

A connection is the local lake or an AWS profile in one Region (later: more engines). Its `ConnectionKey`
is the one vocabulary for "where a query ran": the explorer keys its connections by it, the history
records it, and a query run anywhere can be reopened anywhere on the same key. Code above this seam never
asks which kind of engine it holds, and never reaches into an engine's internals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

LOCAL_NAME = "local"
ConnectionKind = Literal["local", "aws"]


@dataclass(frozen=True)
class ConnectionKey:
    """Which engine and account a query goes to: `local`, or an AWS profile in a Region.

    Its text form (`local`, `aws:PROFILE@REGION`) is what the history stores; `parse` reads it back, and
    reads the bare profile names older trailtui versions wrote for CLI queries.
    """

    kind: ConnectionKind
    profile: str | None = None  # AWS: the profile ("default" for botocore's default chain)
    region: str | None = None  # AWS: None while the profile's Region is not yet known

    @classmethod
    def local(cls) -> ConnectionKey:
        return cls("local")

    @classmethod
    def aws(cls, profile: str | None, region: str | None) -> ConnectionKey:
        return cls("aws", profile or "default", region or None)

    @classmethod
    def parse(cls, text: str, region: str | None = None) -> ConnectionKey:
        """The key a history entry names; `region` completes a bare profile name (older CLI entries)."""
        if text == LOCAL_NAME:
            return cls.local()
        if text.startswith("aws:"):
            profile, at, reg = text[4:].rpartition("@")
            if not at:
                return cls.aws(text[4:], region)
            return cls.aws(profile, None if reg in ("?", "…", "") else reg)
        return cls.aws(text, region)

    @property
    def is_local(self) -> bool:
        return self.kind == "local"

    @property
    def resolved(self) -> bool:
        """Is the Region known (an AWS profile's Region is found when its connection opens)?"""
        return self.is_local or self.region is not None

    def __str__(self) -> str:
        if self.is_local:
            return LOCAL_NAME
        return f"aws:{self.profile or 'default'}@{self.region or '?'}"

    @property
    def label(self) -> str:
        """As people read it: `local lake`, `AWS prod (eu-west-1)`."""
        if self.is_local:
            return "local lake"
        return f"AWS {self.profile or 'default'} ({self.region or 'its Region'})"


@dataclass
class EventDataStore:
    """A store as the explorer lists it: GetEventDataStore's details, plus figures when the engine knows
    them without a query (the local lake does)."""

    connection: ConnectionKey
    id: str
    name: str
    arn: str
    details: dict[str, Any] = field(default_factory=dict)
    event_count: int | None = None
    first_event: datetime | None = None
    last_event: datetime | None = None


@dataclass(frozen=True)
class StoreFigures:
    event_count: int
    first_event: datetime | None
    last_event: datetime | None


@dataclass(frozen=True)
class ImportRequest:
    """Trail logs to bring into a local store: paths, or `s3://BUCKET[/PREFIX]` with its filters."""

    source: str
    store: str = "trail-logs"
    since: str | None = None
    until: str | None = None
    accounts: str | None = None
    regions: str | None = None
    profile: str | None = None  # S3: the profile and Region to read the bucket with
    region: str | None = None


@dataclass(frozen=True)
class ImportOutcome:
    store_name: str
    events_added: int
    duplicates: int
    rejected: int
    first_rejection: str = ""  # "FILE: why", so a failed import names its reason


class ImportUnsupported(RuntimeError):
    """The connection cannot import logs (an AWS profile: Lake imports go through StartImport)."""


ImportProgress = Callable[[int, int, int], None]  # files done, files total, events added


@runtime_checkable
class Connection(Protocol):
    """What the explorer and the CLI may ask of an engine. Implementations: `trailtui.connections`."""

    @property
    def key(self) -> ConnectionKey: ...

    @property
    def region(self) -> str: ...

    @property
    def profile(self) -> str | None:
        """The AWS profile named by the user (None: the local lake, or botocore's default chain)."""
        ...

    @property
    def cloudtrail(self) -> Any:
        """A boto3 CloudTrail client (thread-safe): the query path's only way to the engine."""
        ...

    @property
    def sts(self) -> Any: ...

    @property
    def account_id(self) -> str | None:
        """The account, when known without a call (the local lake); AWS profiles learn it from STS."""
        ...

    @property
    def bills_scans(self) -> bool:
        """Does a query cost money per byte scanned (so an unbounded one deserves a question first)?"""
        ...

    def store_figures(self) -> dict[str, StoreFigures]:
        """Event counts and time ranges by store ID, where the engine knows them cheaply; else empty."""
        ...

    def stores_changed(self) -> None:
        """Forget any cached store list (after an import)."""
        ...

    def identity_clients(self) -> tuple[Any, Any]:
        """STS and IAM clients for "who am I" (caller identity and account alias)."""
        ...

    def import_logs(self, request: ImportRequest, progress: ImportProgress | None = None) -> ImportOutcome:
        """Import trail logs into a store of this connection; raises ImportUnsupported where it cannot."""
        ...

    def explain(self, exc: BaseException) -> str:
        """An error of this connection, said so that the user knows what to do."""
        ...

    def close(self) -> None: ...
