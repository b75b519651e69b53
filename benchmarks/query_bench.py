"""Query latency on a 1,000,000-event store: StartQuery to the first page of results, through boto3
(in process), polling as the TUI does; and the same questions answered by jq over the same gzipped logs."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.lake1m import STORE, lake_home
from trailtui.lake.query import QueryRun
from trailtui.local.service import LocalLake
from trailtui.paths import locations

# name -> (Lake SQL with {s} for the store, the jq program answering the same question)
QUESTIONS: dict[str, tuple[str, str]] = {
    "group by eventName": (
        "SELECT eventName, count(*) FROM {s} GROUP BY 1 ORDER BY 2 DESC",
        "reduce (inputs.Records[].eventName) as $n ({}; .[$n] += 1) | to_entries | sort_by(-.value)",
    ),
    "time + account filter": (
        "SELECT eventTime, eventName, sourceIPAddress FROM {s} WHERE eventTime >= '2026-10-20 00:00:00' "
        "AND eventTime < '2026-10-21 00:00:00' AND recipientAccountId = '444455556666' ORDER BY eventTime LIMIT 1000",
        '[inputs.Records[] | select(.eventTime >= "2026-10-20T00:00:00Z" and .eventTime < "2026-10-21T00:00:00Z" '
        'and .recipientAccountId == "444455556666") | [.eventTime, .eventName, .sourceIPAddress]] '
        "| sort_by(.[0]) | .[:1000]",
    ),
    "top callers": (
        "SELECT userIdentity.arn, count(*) FROM {s} WHERE userIdentity.arn IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 10",
        "reduce (inputs.Records[] | .userIdentity.arn // empty) as $a ({}; .[$a] += 1) | to_entries "
        "| sort_by(-.value) | .[:10]",
    ),
    "struct path filter": (
        "SELECT eventTime, eventName FROM {s} WHERE userIdentity.sessionContext.sessionIssuer.userName = 'dev-ci-role' LIMIT 1000",
        '[inputs.Records[] | select(.userIdentity.sessionContext.sessionIssuer.userName == "dev-ci-role") '
        "| [.eventTime, .eventName]] | .[:1000]",
    ),
    "map lookup": (
        "SELECT element_at(requestParameters, 'bucketName') AS bucket, count(*) FROM {s} "
        "WHERE eventSource = 's3.amazonaws.com' GROUP BY 1 ORDER BY 2 DESC",
        'reduce (inputs.Records[] | select(.eventSource == "s3.amazonaws.com") | .requestParameters.bucketName // "null") '
        "as $b ({}; .[$b] += 1) | to_entries | sort_by(-.value)",
    ),
}


def first_page_latency(ct: object, sql: str) -> float:
    start = time.perf_counter()
    run = QueryRun(ct, sql)
    run.start()
    state = run.wait()
    assert state.status == "FINISHED", state.error
    run.page()
    return time.perf_counter() - start


def jq_seconds(files: list[Path], program: str) -> float:
    if not shutil.which("jq"):
        return float("nan")
    start = time.perf_counter()
    zcat = subprocess.Popen(["zcat", *map(str, files)], stdout=subprocess.PIPE)
    jq = subprocess.run(["jq", "-n", "-c", program], stdin=zcat.stdout, stdout=subprocess.DEVNULL, check=True)
    zcat.wait()
    assert jq.returncode == 0
    return time.perf_counter() - start


def run(
    questions: list[str] | None = None, repeats: int = 9, home: Path | None = None, with_jq: bool = True
) -> list[tuple[str, float, float]]:
    if home is None:
        home, files = lake_home()
    else:
        files = []
    lake = LocalLake(locations(home))
    store_id = next(s.id for s in lake.engine.stores() if s.name == STORE or s.name == "bench")
    ct = lake.client()
    out = []
    try:
        for name in questions or list(QUESTIONS):
            sql, program = QUESTIONS[name]
            sql = sql.format(s=store_id)
            first_page_latency(ct, sql)  # warm the OS page cache, as a user's second query would be
            median = statistics.median(first_page_latency(ct, sql) for _ in range(repeats))
            jq = jq_seconds(files, program) * 1000 if with_jq else float("nan")
            out.append((name, median * 1000, jq))
    finally:
        lake.close()
    return out


def main() -> None:
    names = sys.argv[1:] or None
    print(f"{'query (1M events), ms':36} {'trailtui':>10} {'jq':>10} {'ratio':>8}")
    for name, ours, jq in run(names):
        print(f"{name:36} {ours:10.0f} {jq:10.0f} {jq / ours:7.0f}x")


if __name__ == "__main__":
    main()
