"""A CloudTrail client for an AWS profile that also answers for the account's Athena CloudTrail tables.

Lake's calls go to CloudTrail; a query whose FROM names an Athena table (`DB.TABLE`) goes to Athena, and so
do the calls that follow it (by query ID). ListEventDataStores lists the Athena tables beside Lake's stores
(ARN `arn:aws:athena:REGION:ACCOUNT:cloudtrail-table/DB.TABLE`, so the store ID the explorer shows is
`DB.TABLE`); when Lake itself cannot answer (closed to new customers, access denied, an endpoint without
it), the tables still list and Lake's error travels in the page under `LakeError`.
"""

from __future__ import annotations

import threading
from typing import Any

from botocore.exceptions import ClientError

from trailtui.athena import ENGINE
from trailtui.athena.service import AthenaService
from trailtui.athena.table import AthenaTable
from trailtui.athena.translate import athena_table_refs

ARN_MARK = ":cloudtrail-table/"


def table_arn(region: str, table: AthenaTable, account: str = "") -> str:
    return f"arn:aws:athena:{region}:{account}{ARN_MARK}{table.qualified}"


def table_details(region: str, table: AthenaTable, workgroup: str) -> dict[str, Any]:
    """GetEventDataStore's answer for a table, plus what only an Athena table has."""
    return {
        "EventDataStoreArn": table_arn(region, table),
        "Name": table.qualified,
        "Status": "ENABLED",
        "MultiRegionEnabled": True,
        "OrganizationEnabled": table.layout == "organization",
        "Engine": ENGINE,
        "Location": table.location,
        "Layout": table.layout + (f" ({table.org_id})" if table.org_id else ""),
        "PartitionRange": table.partition_range,
        "Projected": table.projected,
        "Workgroup": workgroup,
    }


class LakeAndAthena:
    def __init__(self, cloudtrail: Any, athena: AthenaService) -> None:
        self._lake = cloudtrail
        self.athena = athena
        self.meta = cloudtrail.meta
        self._athena_ids: set[str] = set()
        self._lake_ids: set[str] = set()
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:  # every other CloudTrail call is Lake's
        return getattr(self._lake, name)

    def _is_athena(self, query_id: str) -> bool:
        with self._lock:
            if query_id in self._athena_ids:
                return True
            if query_id in self._lake_ids:
                return False
        athena = self.athena.is_athena_query(query_id)  # a query from the history, run elsewhere
        with self._lock:
            (self._athena_ids if athena else self._lake_ids).add(query_id)
        return athena

    def start_query(self, **kwargs: Any) -> dict[str, Any]:
        sql = kwargs.get("QueryStatement", "")
        if not athena_table_refs(sql):
            response: dict[str, Any] = self._lake.start_query(**kwargs)
            with self._lock:
                self._lake_ids.add(response["QueryId"])
            return response
        response = self.athena.start_query(sql)
        with self._lock:
            self._athena_ids.add(response["QueryId"])
        return response

    def describe_query(self, **kwargs: Any) -> dict[str, Any]:
        qid = kwargs.get("QueryId", "")
        if self._is_athena(qid):
            return self.athena.describe_query(qid)
        result: dict[str, Any] = self._lake.describe_query(**kwargs)
        return result

    def get_query_results(self, **kwargs: Any) -> dict[str, Any]:
        qid = kwargs.get("QueryId", "")
        if self._is_athena(qid):
            return self.athena.get_query_results(
                qid, kwargs.get("NextToken"), int(kwargs.get("MaxQueryResults") or 1000)
            )
        result: dict[str, Any] = self._lake.get_query_results(**kwargs)
        return result

    def cancel_query(self, **kwargs: Any) -> dict[str, Any]:
        qid = kwargs.get("QueryId", "")
        if self._is_athena(qid):
            return self.athena.cancel_query(qid)
        result: dict[str, Any] = self._lake.cancel_query(**kwargs)
        return result

    def list_event_data_stores(self, **kwargs: Any) -> dict[str, Any]:
        lake_error: BaseException | None = None
        try:
            page: dict[str, Any] = dict(self._lake.list_event_data_stores(**kwargs))
        except Exception as exc:
            if kwargs.get("NextToken"):
                raise
            page, lake_error = {"EventDataStores": []}, exc
        if kwargs.get("NextToken"):
            return page
        region = self.meta.region_name
        try:
            tables = self.athena.tables()
        except Exception as exc:  # no Glue here (or no right to it): Lake's stores still list
            if lake_error is not None:
                raise lake_error from exc
            page["AthenaError"] = exc
            return page
        page["EventDataStores"] = list(page.get("EventDataStores") or []) + [
            {"EventDataStoreArn": table_arn(region, t), "Name": t.qualified} for t in tables
        ]
        if lake_error is not None:
            if not tables:
                raise lake_error
            page["LakeError"] = lake_error
        return page

    def get_event_data_store(self, **kwargs: Any) -> dict[str, Any]:
        ref = str(kwargs.get("EventDataStore", ""))
        if ARN_MARK in ref:
            qualified = ref.split(ARN_MARK, 1)[1]
            table = self.athena.table(qualified)
            if table is None:
                raise ClientError(
                    {"Error": {"Code": "EventDataStoreNotFoundException", "Message": f"{qualified} is gone"}},
                    "GetEventDataStore",
                )
            return table_details(self.meta.region_name, table, self.athena.workgroup_for(table))
        result: dict[str, Any] = self._lake.get_event_data_store(**kwargs)
        return result


def with_athena(session: Any, cloudtrail: Any, endpoint_url: str | None = None) -> LakeAndAthena:
    """`cloudtrail`, answering for the profile's Athena CloudTrail tables too (config.toml's [athena])."""
    from trailtui.aws.session import aws_client
    from trailtui.paths import locations
    from trailtui.settings import load_settings

    settings = load_settings(locations())
    service = AthenaService(
        aws_client(session, "athena", endpoint_url),
        aws_client(session, "glue", endpoint_url),
        aws_client(session, "s3", endpoint_url),
        workgroup=settings.athena_workgroup,
        output_location=settings.athena_output_location,
    )
    return LakeAndAthena(cloudtrail, service)
