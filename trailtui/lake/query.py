"""The life of one CloudTrail Lake query over a boto3 CloudTrail client: start, poll, page, cancel.

The same code drives AWS and the local lake: the client decides which. botocore has no paginators for
GetQueryResults, so pages are followed by NextToken here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from trailtui.lake.backoff import PollBackoff
from trailtui.lake.results import QueryState, ResultPage

StatusCallback = Callable[[QueryState], None]
StopCheck = Callable[[], bool]
T = TypeVar("T")
# Reads (DescribeQuery, GetQueryResults) that still fail after botocore's own retries, and whose retry
# quota may be spent, get these extra waits: a query that ran should not be lost to a burst of throttling.
READ_RETRY_WAITS = (0.5, 1.0, 2.0)


class QueryRun:
    """One query: `start()`, then `wait()` for it to end, then `pages()` to read its results."""

    def __init__(
        self,
        client: Any,
        sql: str | None = None,
        query_id: str | None = None,
        delivery_uri: str | None = None,
    ) -> None:
        self.client = client
        self.sql = sql
        self.query_id = query_id
        self.delivery_uri = (
            delivery_uri  # StartQuery's DeliveryS3Uri: the full results also go there as files
        )
        self.state: QueryState | None = None

    def start(self) -> str:
        assert self.sql is not None, "a QueryRun made from a query ID cannot be started again"
        extra = {"DeliveryS3Uri": self.delivery_uri} if self.delivery_uri else {}
        response = self.client.start_query(QueryStatement=self.sql, **extra)
        self.query_id = response["QueryId"]
        return self.query_id

    def _read(self, call: Callable[..., T], **args: Any) -> T:
        from trailtui.lake.errors import is_transient

        for wait in READ_RETRY_WAITS:
            try:
                return call(**args)
            except Exception as exc:
                if not is_transient(exc):
                    raise
            time.sleep(wait)
        return call(**args)

    def describe(self) -> QueryState:
        assert self.query_id
        self.state = QueryState.from_describe(self._read(self.client.describe_query, QueryId=self.query_id))
        return self.state

    def wait(
        self,
        on_status: StatusCallback | None = None,
        should_stop: StopCheck | None = None,
        backoff: PollBackoff | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> QueryState:
        """Poll DescribeQuery until the query ends (or `should_stop` says so), reporting each state."""
        backoff = backoff or PollBackoff()
        last_status = None
        while True:
            state = self.describe()
            if state.status != last_status:
                backoff.reset()
                last_status = state.status
            if on_status:
                on_status(state)
            if state.ended or (should_stop and should_stop()):
                return state
            sleep(backoff.next_wait())

    def page(self, next_token: str | None = None, page_size: int = 1000) -> ResultPage:
        assert self.query_id
        args: dict[str, Any] = {"QueryId": self.query_id, "MaxQueryResults": page_size}
        if next_token:
            args["NextToken"] = next_token
        return ResultPage.from_response(self._read(self.client.get_query_results, **args))

    def pages(self, page_size: int = 1000, should_stop: StopCheck | None = None) -> Iterator[ResultPage]:
        token: str | None = None
        while True:
            page = self.page(token, page_size)
            yield page
            token = page.next_token
            if not token or (should_stop and should_stop()):
                return

    def cancel(self) -> QueryState:
        assert self.query_id
        self.client.cancel_query(QueryId=self.query_id)
        return self.describe()
