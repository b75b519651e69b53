"""`trailtui import PATH...`: trail log files and folders into a local store."""

from __future__ import annotations

import sys
from typing import TextIO

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


def run_import(paths: list[str], store: str) -> int:
    lake = open_lake(build_demo_if_empty=False)
    progress = ProgressLine()
    try:
        report = import_paths(lake, paths, store, progress)
    finally:
        progress.done()
    print_report(report)
    if report.interrupted:
        return 130
    return 0 if report.ok else 1
