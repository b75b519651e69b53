"""`trailtui import PATH...`: trail log files and folders into a local store."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from trailtui.commands.common import human_duration, open_lake
from trailtui.commands.progress import ProgressLine
from trailtui.lake.text import sanitize
from trailtui.local.importer import ImportReport, import_paths


def print_report(report: ImportReport, out: TextIO | None = None, err: TextIO | None = None) -> None:
    out = out or sys.stdout
    err = err or sys.stderr
    for p in report.rejected:
        print(f"rejected: {sanitize(p.path)}: {sanitize(p.reason)}", file=err)
    for p in report.warnings:
        print(f"warning: {sanitize(p.path)}: {sanitize(p.reason)}", file=err)
    rate = report.events_added / report.seconds if report.seconds else 0.0
    verb = "created and imported into" if report.store_created else "imported into"
    print(
        f"{'Interrupted: ' if report.interrupted else ''}{verb} store {report.store.name} ({report.store.id})\n"
        f"  files read:         {report.files_read:,}\n"
        f"  events added:       {report.events_added:,}\n"
        f"  duplicates skipped: {report.duplicates:,}\n"
        f"  records skipped:    {report.invalid_records:,}\n"
        f"  files rejected:     {len(report.rejected):,}\n"
        f"  files skipped:      {len(report.skipped):,} (digests and non-log files)\n"
        f"  store now holds:    {report.store.event_count:,} events\n"
        f"  took:               {human_duration(report.seconds)} ({rate:,.0f} events/s)",
        file=out,
    )
    if report.interrupted:
        print("The import was interrupted; run the same command again to complete it.", file=err)


def run_import(args: Any) -> int:
    lake = open_lake(build_demo_if_empty=False)
    local = [p for p in args.paths if not p.startswith("s3://")]
    remote = [p for p in args.paths if p.startswith("s3://")]
    status = 0
    if local:
        progress = ProgressLine()
        try:
            report = import_paths(lake, local, args.store, progress)
        finally:
            progress.done()
        print_report(report)
        status = 130 if report.interrupted else (0 if report.ok else 1)
    for uri in remote:
        if status == 130:
            break
        status = max(status, _import_s3(lake, uri, args))
    return status


def _import_s3(lake: Any, uri: str, args: Any) -> int:
    from trailtui.aws.session import aws_client, aws_session
    from trailtui.lake.errors import explain
    from trailtui.local.s3import import S3ImportError, import_s3, plan_from_text

    try:
        plan = plan_from_text(uri, args.since, args.until, args.accounts, args.regions)
        s3 = aws_client(aws_session(args.profile, args.region), "s3")
    except S3ImportError as exc:
        print(f"trailtui import: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        print(f"trailtui import: {sanitize(explain(exc, args.profile))}", file=sys.stderr)
        return 1
    progress = ProgressLine(label=f"Importing {sanitize(uri)}", unit="objects")
    try:
        report = import_s3(lake, s3, plan, args.store, progress, scratch=lake.locations.cache)
    except S3ImportError as exc:
        print(f"trailtui import: {sanitize(str(exc))}", file=sys.stderr)
        return 1
    finally:
        progress.done()
    already = sum(1 for p in report.skipped if p.reason.startswith("already imported"))
    report.skipped = [p for p in report.skipped if not p.reason.startswith("already imported")]
    print_report(report)
    print(f"  S3 objects already imported (skipped): {already:,}\n  S3 list calls: {plan.list_calls:,}")
    if report.interrupted:
        return 130
    return 0 if report.ok else 1
