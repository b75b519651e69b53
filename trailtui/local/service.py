"""The local lake as a service: its file, query engine and CloudTrail API, wired together once."""

from __future__ import annotations

from typing import Any

from trailtui.local import LOCAL_ACCOUNT_ID, LOCAL_REGION
from trailtui.local.api import CloudTrailLakeApi
from trailtui.local.engine import Limits, QueryEngine
from trailtui.local.lakefile import LakeFile
from trailtui.paths import Locations, locations


class LocalLake:
    def __init__(
        self,
        where: Locations | None = None,
        account_id: str = LOCAL_ACCOUNT_ID,
        region: str = LOCAL_REGION,
        limits: Limits | None = None,
    ) -> None:
        self.locations = (where or locations()).ensure()
        self.file = LakeFile(self.locations)
        self.engine = QueryEngine(self.file, limits=limits)
        self.api = CloudTrailLakeApi(self.engine, account_id, region)
        self._clients: dict[str, Any] = {}

    def client(self, service: str = "cloudtrail") -> Any:
        """A boto3 client (thread-safe, shared) served by this lake in process."""
        if service not in self._clients:
            from trailtui.local.inprocess import local_client

            self._clients[service] = local_client(self.api, service)
        return self._clients[service]

    def close(self) -> None:
        self.engine.shutdown()
