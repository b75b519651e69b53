"""What a query on the local lake may use: memory, threads, time, result size, and how many at once."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """What one query may use. The defaults suit a laptop; `serve` and tests may change them."""

    memory: str = "1GB"  # DuckDB's memory limit for one query (beyond it, DuckDB spills or fails)
    threads: int = 2
    seconds: float = 3600.0  # Lake ends queries running past an hour as TIMED_OUT
    max_result_bytes: int = 512 * 1024 * 1024
    lake_wait: float = 120.0  # how long a query waits in QUEUED for an import to let go of the lake
    running: int = (
        2  # queries executing at once (more wait QUEUED): DuckDB's memory is at most running x memory
    )
    result_reads: int = 2  # GetQueryResults pages being read and rendered at once

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, with the TRAILTUI_QUERY_* environment variables a user may set."""
        env = os.environ
        return cls(
            memory=env.get("TRAILTUI_QUERY_MEMORY", cls.memory),
            threads=int(env.get("TRAILTUI_QUERY_THREADS", cls.threads)),
            max_result_bytes=int(env.get("TRAILTUI_QUERY_RESULT_BYTES", cls.max_result_bytes)),
            running=max(1, int(env.get("TRAILTUI_QUERIES_RUNNING", cls.running))),
        )
