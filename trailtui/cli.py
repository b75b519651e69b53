"""The command line: `trailtui` and its subcommands. Heavy modules are imported only by the command
that needs them, so `--help` and the TUI's first paint stay quick."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from trailtui import __version__


def _port(text: str) -> int:
    """A TCP port number, refused by argparse (with the usage line) when it is not one."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0 to 65535; 0 picks a free one)")
    return port


def _day(text: str) -> str:
    """A YYYY-MM-DD date, refused by argparse (with the usage line) when it is not one."""
    from datetime import datetime

    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    return text


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="trailtui",
        description="A keyboard-driven explorer for AWS CloudTrail Lake and trail logs. With no command, "
        "opens the explorer on the local lake (building a demo organization on first run).",
    )
    p.add_argument("--version", action="version", version=f"trailtui {__version__}")
    p.add_argument("--profile", help="open the explorer on this AWS profile (as botocore resolves it)")
    p.add_argument("--region", help="and this Region (default: the profile's)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    imp = sub.add_parser(
        "import", help="import trail logs (files, folders, or s3://BUCKET[/PREFIX]) into a local store"
    )
    imp.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="log files, folders (walked recursively), or s3://BUCKET[/PREFIX]",
    )
    imp.add_argument("--since", metavar="YYYY-MM-DD", help="S3: only log folders of this day and later")
    imp.add_argument("--until", metavar="YYYY-MM-DD", help="S3: only log folders of this day and earlier")
    imp.add_argument("--accounts", metavar="ID,...", help="S3: only these accounts")
    imp.add_argument("--regions", metavar="NAME,...", help="S3: only these Regions")
    imp.add_argument("--profile", help="S3: the AWS profile to read the bucket with")
    imp.add_argument("--region", help="S3: the bucket's Region (default: the profile's)")
    imp.add_argument(
        "--store", default="trail-logs", help="store name, created if missing (default: %(default)s)"
    )

    st = sub.add_parser(
        "stores", help="list the local lake's event data stores (or, with --profile, Lake's and Athena's)"
    )
    st.add_argument("--format", choices=("table", "json"), default="table", help="default: %(default)s")
    st.add_argument("--profile", help="list this AWS profile's Lake stores and Athena CloudTrail tables")
    st.add_argument("--region", help="AWS Region (with --profile, or the default credential chain)")

    ath = sub.add_parser("athena", help="Amazon Athena over the trail's S3 bucket (see docs/athena.md)")
    ath_sub = ath.add_subparsers(dest="athena_command", metavar="ACTION", required=True)
    ct = ath_sub.add_parser(
        "create-table",
        help="create (or update) a partition-projected CloudTrail table over s3://BUCKET[/PREFIX]",
    )
    ct.add_argument("location", metavar="s3://BUCKET[/PREFIX]", help="where the trail writes its logs")
    ct.add_argument("--database", required=True, help="Glue database (created if missing)")
    ct.add_argument("--table", required=True, help="table name")
    ct.add_argument("--profile", help="the AWS profile to use")
    ct.add_argument("--region", help="the Region of Glue and Athena (default: the profile's)")
    ct.add_argument("--workgroup", help="the Athena workgroup the table's queries run in (remembered)")

    demo = sub.add_parser("demo", help="build the demo organization store (org-events)")
    demo.add_argument("--reset", action="store_true", help="delete and rebuild the demo store")
    demo.add_argument(
        "--anchor",
        metavar="YYYY-MM-DD",
        type=_day,
        help="the demo covers the 30 days before this one (default: today, UTC)",
    )
    demo.add_argument("--keep-logs", metavar="DIR", help="also keep the generated trail log files in DIR")
    demo.add_argument("--events", type=int, default=None, help=argparse.SUPPRESS)

    q = sub.add_parser("query", help="run a CloudTrail Lake query and print its results")
    q.add_argument("sql", nargs="?", help="the query; '-' or omitted reads standard input")
    q.add_argument("--file", "-f", metavar="FILE", help="read the query from FILE ('-' for standard input)")
    q.add_argument(
        "--format",
        choices=("table", "csv", "json", "jsonl"),
        help="default: table, or with --output the file's extension (.csv, .jsonl/.ndjson, else json)",
    )
    q.add_argument(
        "--output", "-o", metavar="FILE", help="write the results to FILE instead of standard output"
    )
    q.add_argument(
        "--delivery-uri",
        metavar="URI",
        help="also have the results delivered as files (StartQuery's DeliveryS3Uri): s3://BUCKET[/PREFIX], "
        "or file:///DIR on the local lake; with --output FILE.csv the export is made from them",
    )
    q.add_argument("--profile", help="query AWS CloudTrail Lake with this AWS profile")
    q.add_argument("--region", help="AWS Region (with --profile, or the default credential chain)")
    q.add_argument(
        "--endpoint-url", metavar="URL", help="any CloudTrail endpoint, e.g. a `trailtui serve` URL"
    )

    sv = sub.add_parser(
        "serve", help="serve the local lake as a CloudTrail endpoint for the AWS CLI and SDKs"
    )
    sv.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s, loopback only)"
    )
    sv.add_argument(
        "--port", type=_port, default=8743, help="port (default: %(default)s; 0 picks a free one)"
    )
    sv.add_argument("--account-id", default="111122223333", help="the AWS account the endpoint answers as")
    sv.add_argument("--region", default="us-east-1", help="the Region the endpoint answers as")
    sv.add_argument(
        "--access-key-id", help="the access key ID clients must sign with (or $TRAILTUI_SERVE_ACCESS_KEY_ID)"
    )
    sv.add_argument("--secret-access-key", help="its secret (or $TRAILTUI_SERVE_SECRET_ACCESS_KEY)")
    sv.add_argument(
        "--faults",
        metavar="PLAN",
        help="inject faults for clients' tests, e.g. throttle=0.2,seed=1 (see docs/serve.md)",
    )
    sv.add_argument(
        "--max-memory",
        default="3GB",
        metavar="SIZE",
        help="the most memory serve may take, queries included (default: %(default)s; 'none' for no cap)",
    )
    sv.add_argument(
        "--max-connections",
        type=int,
        default=64,
        metavar="N",
        help="connections served at once (default: 64)",
    )
    sv.add_argument(
        "--allow-path",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder, or s3://BUCKET[/PREFIX] (s3:// for any bucket), clients may import logs from and "
        "deliver results to; repeatable; default: none",
    )
    sv.add_argument("--verbose", "-v", action="store_true", help="log each request to stderr")
    sv.add_argument(
        "--no-demo", action="store_true", help="serve an empty lake as it is (no demo on first run)"
    )

    hi = sub.add_parser("history", help="show the query history")
    hi.add_argument("--format", choices=("table", "json"), default="table", help="default: %(default)s")
    hi.add_argument(
        "--search", default="", metavar="TEXT", help="only queries whose SQL, store, ID or error contain TEXT"
    )
    hi.add_argument(
        "--limit", type=int, default=200, help="at most this many, newest first (default: %(default)s)"
    )

    sub.add_parser("paths", help="show where trailtui keeps its files")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from trailtui.paths import private_files

    private_files()  # every file trailtui writes (lake, results, history, exports) is the user's alone
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        # botocore's own errors (a profile that does not exist, no Region, no credentials) are the user's
        # setup, not a bug: say what is wrong and what to do, as the explorer does, instead of a traceback.
        if not type(exc).__module__.startswith("botocore."):
            raise
        from trailtui.lake.errors import explain
        from trailtui.lake.text import sanitize

        print(f"trailtui: {sanitize(explain(exc, getattr(args, 'profile', None)))}", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    from trailtui.local.lakefile import LakeBusyError

    try:
        if args.command == "import":
            from trailtui.commands.importing import run_import

            return run_import(args)
        if args.command == "demo":
            from trailtui.commands.demo import run_demo
            from trailtui.local.demo import DEFAULT_EVENTS

            return run_demo(args.reset, args.anchor, args.keep_logs, args.events or DEFAULT_EVENTS)
        if args.command == "query":
            from trailtui.commands.query import connect, read_sql, run_query

            if not args.file and args.sql in (None, "-") and sys.stdin.isatty():
                print(
                    "trailtui query: reading the query from standard input (end it with ctrl+d)",
                    file=sys.stderr,
                )
            try:
                sql = read_sql(args.sql, args.file)
            except OSError as exc:
                print(f"trailtui query: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
                return 2
            if not sql.strip():
                print(
                    "trailtui query: no query given: pass it as an argument, with --file FILE, or on standard input",
                    file=sys.stderr,
                )
                return 2
            # A file holds csv, json or json lines: without --format, its extension says which.
            if args.format in (None, "table") and args.output:
                suffix = Path(args.output).suffix.lower()
                args.format = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix, "json")
            args.format = args.format or "table"
            conn = connect(args.profile, args.region, args.endpoint_url)
            try:
                return run_query(sql, args.format, args.output, conn, delivery_uri=args.delivery_uri)
            finally:
                conn.close()
        if args.command == "serve":
            from trailtui.commands.serve import run_serve

            return run_serve(args)
        if args.command == "history":
            from trailtui.commands.history import run_history

            return run_history(args.format, args.search, args.limit)
        if args.command == "paths":
            from trailtui.paths import locations

            where = locations()
            for name in ("data", "state", "config", "cache"):
                print(f"{name:7} {getattr(where, name)}")
            return 0
        if args.command is None:
            from trailtui.local import firstrun
            from trailtui.paths import locations

            firstrun.start(
                locations()
            )  # a fresh machine: the demo's newest day is built while the explorer loads
            from trailtui.tui.app import run_app

            return run_app(profile=args.profile, region=args.region)
        if args.command == "stores":
            if args.profile or args.region:
                from trailtui.commands.athena import run_aws_stores

                return run_aws_stores(args.profile, args.region, args.format)
            from trailtui.commands.stores import run_stores

            return run_stores(getattr(args, "format", "table"))
        if args.command == "athena":
            from trailtui.commands.athena import run_create_table

            return run_create_table(
                args.location, args.database, args.table, args.profile, args.region, args.workgroup
            )
    except LakeBusyError as exc:
        print(f"trailtui: {exc}", file=sys.stderr)
        return 75
    return 2
