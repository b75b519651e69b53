"""`trailtui import PATH...`: trail log files, folders and S3 buckets into a local store.

Each run is an import of the lake (the same records as StartImport's), so `aws cloudtrail list-imports`
against `trailtui serve` and the explorer show it too; it runs here, in the foreground, with progress.
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from trailtui.commands.common import human_duration, open_lake
from trailtui.commands.progress import ProgressLine
from trailtui.lake.text import sanitize
from trailtui.local.catalog import StoreRecord
from trailtui.local.importer import ImportReport
from trailtui.local.imports import ImportRecord, Imports, StoreInactiveError, local_store
from trailtui.local.s3import import S3ImportError, plan_from_text


def print_report(report: ImportReport, out: TextIO | None = None, err: TextIO | None = None) -> None:
    out = out or sys.stdout
    err = err or sys.stderr
    for p in report.rejected:
        print(f"rejected: {sanitize(p.path)}: {sanitize(p.reason)}", file=err)
    for p in report.warnings:
        print(f"warning: {sanitize(p.path)}: {sanitize(p.reason)}", file=err)
    rate = report.events_added / report.seconds if report.seconds else 0.0
    why = [
        f"{n:,} {what}"
        for n, what in (
            (report.invalid_records, "without a valid eventTime"),
            (report.malformed_lines, "malformed JSON line(s)"),
        )
        if n
    ]
    skipped = f" ({', '.join(why)}; in files read, see the warnings)" if why else ""
    verb = "created and imported into" if report.store_created else "imported into"
    print(
        f"{'Interrupted: ' if report.interrupted else ''}{verb} store {report.store.name} ({report.store.id})\n"
        f"  files read:         {report.files_read:,}\n"
        f"  events added:       {report.events_added:,}\n"
        f"  duplicates skipped: {report.duplicates:,}\n"
        f"  records skipped:    {report.records_skipped:,}{skipped}\n"
        f"  files rejected:     {len(report.rejected):,}\n"
        f"  files skipped:      {len(report.skipped):,} (digests and non-log files)\n"
        f"  store now holds:    {report.store.event_count:,} events\n"
        f"  took:               {human_duration(report.seconds)} ({rate:,.0f} events/s)",
        file=out,
    )
    if report.interrupted:
        print("The import was interrupted; run the same command again to complete it.", file=err)
    elif report.rejected:
        n = len(report.rejected)
        print(
            f"{n} file{'s' if n > 1 else ''} rejected (named above, with the reason): nothing of "
            f"{'them' if n > 1 else 'it'} was imported, every other file was. Fix or replace "
            f"{'them' if n > 1 else 'it'} and run the same command again: events already in the store are "
            "not added twice.",
            file=err,
        )


def _missing(paths: list[str]) -> list[str]:
    """Local paths that name nothing (a typo): refused before a store is created for them."""
    return [p for p in paths if not os.path.lexists(os.path.expanduser(p.removeprefix("file://")))]


def run_import(args: Any) -> int:
    lake = open_lake(build_demo_if_empty=False)
    local = [p for p in args.paths if not p.startswith("s3://")]
    remote = [p for p in args.paths if p.startswith("s3://")]
    imports = Imports(lake)
    try:
        for uri in remote:  # bad S3 flags are refused before anything is created
            plan_from_text(uri, args.since, args.until, args.accounts, args.regions)
    except S3ImportError as exc:
        print(f"trailtui import: {exc}", file=sys.stderr)
        return 2
    s3 = _s3_client(args) if remote else None
    if remote and s3 is None:
        return 1
    missing = _missing(local)
    if missing:
        for path in missing:
            print(f"trailtui import: {sanitize(path)}: no such file or folder", file=sys.stderr)
        print("trailtui import: nothing was imported; check the paths and run it again", file=sys.stderr)
        return 2
    try:
        store, created = local_store(lake, args.store)  # a store pending deletion takes no imports
    except StoreInactiveError as exc:
        print(f"trailtui import: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # a name Lake would refuse (catalog.create_store says which rule)
        print(f"trailtui import: --store: {sanitize(str(exc))}", file=sys.stderr)
        return 2
    status = 0
    if local:
        record = imports.begin(store, local)
        report = _run(imports, record, ProgressLine(), created)
        if report is None:
            return _failed(imports, record.import_id)
        print_report(report)
        status = _status(report)
    for uri in remote:
        if status == 130:
            break
        status = max(status, _import_s3(imports, uri, args, store, created and not local, s3))
    return status


def _run(
    imports: Imports, record: ImportRecord, progress: ProgressLine, created: bool
) -> ImportReport | None:
    """Run an import under its progress line: its report, saying whether its store was created by this
    command, or None when it failed as a whole (_failed says why)."""
    try:
        report = imports.run(record, progress)
    finally:
        progress.done()
    if report is not None:
        report.store_created = created
    return report


def _status(report: ImportReport) -> int:
    """The command's exit status for an import's report: 130 interrupted, 1 with files rejected, else 0."""
    return 130 if report.interrupted else (0 if report.ok else 1)


def _failed(imports: Imports, import_id: str) -> int:
    record = imports.log.get(import_id)
    if record is not None and record.status == "STOPPED":
        print("The import was interrupted; run the same command again to complete it.", file=sys.stderr)
        return 130
    message = record.message if record is not None else "the import failed"
    print(f"trailtui import: {sanitize(message or 'the import failed')}", file=sys.stderr)
    return 1


def _s3_client(args: Any) -> Any:
    """The S3 client of the import's profile, or None after saying why there is none (an unknown profile, no
    credentials): checked before a store is created, since nothing could be read without them."""
    from botocore.exceptions import NoCredentialsError

    from trailtui.aws.session import aws_client, aws_session
    from trailtui.lake.errors import explain

    try:
        session = aws_session(args.profile, args.region)
        if session.get_credentials() is None:
            raise NoCredentialsError()
        return aws_client(session, "s3")
    except Exception as exc:
        print(f"trailtui import: {sanitize(explain(exc, args.profile))}", file=sys.stderr)
        return None


def _import_s3(imports: Imports, uri: str, args: Any, store: StoreRecord, created: bool, s3: Any) -> int:
    from trailtui.local.s3import import parse_list

    imports.s3_client = lambda _region: s3
    filters = {
        "since": args.since,
        "until": args.until,
        "accounts": ",".join(sorted(parse_list(args.accounts) or [])) or None,
        "regions": ",".join(sorted(parse_list(args.regions) or [])) or None,
    }
    record = imports.begin(store, [uri], args.region, None, filters={k: v for k, v in filters.items() if v})
    report = _run(imports, record, ProgressLine(label=f"Importing {sanitize(uri)}", unit="objects"), created)
    if report is None:
        return _failed(imports, record.import_id)
    already = sum(1 for p in report.skipped if p.reason.startswith("already imported"))
    report.skipped = [p for p in report.skipped if not p.reason.startswith("already imported")]
    print_report(report)
    plan = imports.last_plan
    print(
        f"  S3 objects already imported (skipped): {already:,}\n"
        f"  S3 list calls: {plan.list_calls if plan else 0:,}"
    )
    return _status(report)
