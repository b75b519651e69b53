"""Athena queries in CloudTrail Lake's shapes: StartQueryExecution / GetQueryExecution / GetQueryResults /
StopQueryExecution answered as StartQuery / DescribeQuery / GetQueryResults / CancelQuery would be.

That is how Athena joins the one query path (trailtui.lake.run): the explorer, `trailtui query`, history and
export all talk to a CloudTrail-shaped client, and Athena is one more engine behind it, as the local lake is.
Statistics carry two keys Lake does not have, `Engine` and `QueueTimeInMillis`.
"""

from __future__ import annotations

import threading
from typing import Any

from botocore.exceptions import ClientError

from trailtui.athena import ENGINE
from trailtui.athena.catalog import get_table, list_tables
from trailtui.athena.table import AthenaTable
from trailtui.athena.translate import AthenaTranslationError, translate

STATUS = {"QUEUED": "QUEUED", "RUNNING": "RUNNING", "SUCCEEDED": "FINISHED", "FAILED": "FAILED"}
STATUS["CANCELLED"] = "CANCELLED"
DEFAULT_WORKGROUP = "primary"


def _lake_error(code: str, message: str, operation: str = "StartQuery") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


def explain_failure(reason: str) -> str:
    """Athena's StateChangeReason, with what to do about the common ones."""
    low = reason.lower()
    if "no output location" in low or ("output location" in low and "required" in low):
        return (
            f"{reason} Set the workgroup's query result location, or output_location under [athena] in "
            "config.toml (trailtui paths shows where it is)."
        )
    if "access denied" in low or "permission denied" in low or "not authorized" in low:
        if "output" in low or "writing" in low:
            need = "s3:PutObject and s3:GetBucketLocation on the query result location"
        elif "glue" in low:
            need = "glue:GetTable, glue:GetDatabase and glue:GetPartitions on the table"
        else:
            need = "s3:GetObject and s3:ListBucket on the trail bucket"
        return f"{reason} (this needs {need})"
    return reason


class AthenaService:
    """Athena and Glue for one profile and Region, behind CloudTrail-shaped calls."""

    def __init__(
        self,
        athena: Any,
        glue: Any,
        s3: Any = None,
        workgroup: str | None = None,
        output_location: str | None = None,
    ) -> None:
        self.athena = athena
        self.glue = glue
        self.s3 = s3
        self.workgroup = workgroup
        self.output_location = output_location
        self._tables: dict[str, AthenaTable] = {}
        self._names: dict[str, list[str | None]] = {}  # query ID -> Lake's output names
        self._sql: dict[str, str] = {}  # query ID -> the Lake SQL it was started with
        self._seen: dict[str, int] = {}
        self._fetches: set[str] = set()  # queries whose rows are ("$path", eventID): return the records
        self._lock = threading.Lock()

    # -- tables ------------------------------------------------------------------------------------------
    def tables(self) -> list[AthenaTable]:
        found = list_tables(self.glue)
        with self._lock:
            self._tables.update({t.qualified.lower(): t for t in found})
        return found

    def table(self, ref: str) -> AthenaTable | None:
        with self._lock:
            known = self._tables.get(ref.lower())
        if known is not None:
            return known
        table = get_table(self.glue, ref)
        if table is not None:
            with self._lock:
                self._tables[ref.lower()] = table
        return table

    def workgroup_for(self, table: AthenaTable | None) -> str:
        return (table.workgroup if table else None) or self.workgroup or DEFAULT_WORKGROUP

    def _result_location(self, workgroup: str) -> str | None:
        """The workgroup's own result location (None if it sets none): it wins over config.toml."""
        try:
            wg = self.athena.get_work_group(WorkGroup=workgroup)["WorkGroup"]
        except ClientError:
            return None  # not allowed to read it: StartQueryExecution will say what is missing
        config = wg.get("Configuration") or {}
        return (config.get("ResultConfiguration") or {}).get("OutputLocation") or None

    # -- the query lifecycle, in Lake's shapes --------------------------------------------------------------
    def start_query(self, sql: str) -> dict[str, Any]:
        try:
            t = translate(sql, self.table)
        except AthenaTranslationError as exc:
            raise _lake_error("InvalidQueryStatementException", str(exc)) from None
        workgroup = t.workgroup or self.workgroup or DEFAULT_WORKGROUP
        args: dict[str, Any] = {
            "QueryString": t.sql,
            "WorkGroup": workgroup,
            "QueryExecutionContext": {"Database": t.tables[0].database, "Catalog": "AwsDataCatalog"},
        }
        output = self._result_location(workgroup) or self.output_location
        if output is None:
            raise _lake_error(
                "InvalidParameterException",
                f"Athena has nowhere to write results: workgroup {workgroup} sets no query result location "
                "and config.toml has no output_location under [athena]. Set one of them "
                "(see docs/athena.md).",
            )
        if not self._result_location(workgroup):
            args["ResultConfiguration"] = {"OutputLocation": output}
        qid = self.athena.start_query_execution(**args)["QueryExecutionId"]
        with self._lock:
            self._names[qid] = t.names
            self._sql[qid] = sql
            if t.fetches_events:
                self._fetches.add(qid)
        return {"QueryId": qid}

    def is_athena_query(self, query_id: str) -> bool:
        with self._lock:
            if query_id in self._names:
                return True
        try:
            self.athena.get_query_execution(QueryExecutionId=query_id)
        except ClientError:
            return False
        return True

    def describe_query(self, query_id: str) -> dict[str, Any]:
        q = self.athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        status = q.get("Status") or {}
        stats = q.get("Statistics") or {}
        state = STATUS.get(status.get("State", ""), status.get("State", "QUEUED"))
        out: dict[str, Any] = {
            "QueryId": query_id,
            "QueryString": self._sql.get(query_id) or q.get("Query"),
            "QueryStatus": state,
            "QueryStatistics": {
                "EventsMatched": 0,
                "EventsScanned": 0,
                "BytesScanned": int(stats.get("DataScannedInBytes") or 0),
                "ExecutionTimeInMillis": int(stats.get("EngineExecutionTimeInMillis") or 0),
                "QueueTimeInMillis": int(stats.get("QueryQueueTimeInMillis") or 0),
                "Engine": ENGINE,
            },
        }
        if status.get("SubmissionDateTime"):
            out["QueryStatistics"]["CreationTime"] = status["SubmissionDateTime"]
        if state == "FAILED":
            reason = status.get("StateChangeReason") or (status.get("AthenaError") or {}).get("ErrorMessage")
            out["ErrorMessage"] = explain_failure(reason or "Athena reports the query failed.")
        return out

    def get_query_results(
        self, query_id: str, next_token: str | None = None, max_results: int = 1000
    ) -> dict[str, Any]:
        args: dict[str, Any] = {"QueryExecutionId": query_id, "MaxResults": max(1, min(1000, max_results))}
        if next_token:
            args["NextToken"] = next_token
        r = self.athena.get_query_results(**args)
        result = r.get("ResultSet") or {}
        info = (result.get("ResultSetMetadata") or {}).get("ColumnInfo") or []
        athena_names = [c.get("Label") or c.get("Name") or "" for c in info]
        rows = [
            [cell.get("VarCharValue") for cell in row.get("Data") or []] for row in result.get("Rows") or []
        ]
        if not next_token and rows and rows[0] == athena_names:
            rows = rows[1:]  # the first page of a SELECT repeats the column names
        if query_id in self._fetches:
            rows = [[self._record(path, event_id)] for path, event_id, *_ in rows]
            athena_names = ["eventjson"]
        names = self._names.get(query_id) or []
        columns = (
            [n if n is not None else a for n, a in zip(names, athena_names, strict=False)]
            if len(names) == len(athena_names)
            else athena_names
        )
        state = self.describe_query(query_id)
        return {
            "QueryStatus": state["QueryStatus"],
            "QueryStatistics": {
                "ResultsCount": len(rows),
                "TotalResultsCount": self._total_rows(query_id, len(rows), not next_token),
                "BytesScanned": state["QueryStatistics"]["BytesScanned"],
            },
            "QueryResultRows": [[{c: v} for c, v in zip(columns, row, strict=False)] for row in rows],
            **({"NextToken": r["NextToken"]} if r.get("NextToken") else {}),
            **({"ErrorMessage": state["ErrorMessage"]} if "ErrorMessage" in state else {}),
        }

    def _record(self, path: str | None, event_id: str | None) -> str | None:
        """The trail record with this eventID, from the log object at `path`, as JSON text."""
        import gzip
        import json

        if not path or not event_id or self.s3 is None or not path.startswith("s3://"):
            return None
        bucket, _, key = path[5:].partition("/")
        body = self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        for record in json.loads(body).get("Records") or []:
            if record.get("eventID") == event_id:
                return json.dumps(record, separators=(",", ":"))
        return None

    def _total_rows(self, query_id: str, page_rows: int, first_page: bool) -> int:
        """Rows read so far: Athena tells no total before the last page (its runtime statistics count
        rows of the output stage, which are not always the result's)."""
        with self._lock:
            seen = (0 if first_page else self._seen.get(query_id, 0)) + page_rows
            self._seen[query_id] = seen
        return seen

    def cancel_query(self, query_id: str) -> dict[str, Any]:
        self.athena.stop_query_execution(QueryExecutionId=query_id)
        return {"QueryId": query_id, "QueryStatus": self.describe_query(query_id)["QueryStatus"]}
