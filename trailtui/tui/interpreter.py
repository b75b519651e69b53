"""The `:` command interpreter (k9s-style command mode), apart from the views and free of Textual.

`COMMANDS` is the one table of commands: the command line's placeholder, the help screen and the command
palette are made from it. `interpret` turns a line into a typed command (or a `CommandError` that says what
was wrong); the main screen carries it out.
"""

from __future__ import annotations

import argparse
import os
import shlex
from dataclasses import dataclass
from pathlib import Path

from trailtui.lake.connection import ImportRequest


@dataclass(frozen=True)
class CommandSpec:
    name: str
    usage: str  # as typed, for the placeholder and the help screen
    help: str
    aliases: tuple[str, ...] = ()


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("store", ":store NAME", "Make a loaded store current, by name, ID or ARN."),
    CommandSpec("profile", ":profile NAME", "Switch to an AWS profile (a picker if NAME is not one)."),
    CommandSpec(
        "region", ":region NAME", "Switch the current profile's Region (a picker if NAME is not one)."
    ),
    CommandSpec("local", ":local", "Run queries on the local lake again."),
    CommandSpec(
        "import",
        ":import PATH|s3://BUCKET[/PREFIX]",
        "Import trail logs into the local lake (--store NAME, --since/--until YYYY-MM-DD, --accounts, "
        "--regions, --profile, --region).",
    ),
    CommandSpec("create", ":create NAME", "Create a store on the current connection."),
    CommandSpec("edit", ":edit", "Change the current store: name, retention, termination protection."),
    CommandSpec(
        "delete", ":delete", "Delete the current store (after a confirmation; :restore within 7 days)."
    ),
    CommandSpec("restore", ":restore", "Restore the current store from pending deletion."),
    CommandSpec(
        "drop",
        ":drop STORE",
        "Delete a local store for good, with its events (after a confirmation naming it and its events).",
    ),
    CommandSpec(
        "deliver",
        ":deliver s3://BUCKET[/PREFIX]|off",
        "Save each query's whole results as files there too (StartQuery's DeliveryS3Uri; a folder on the "
        "local lake): ctrl+e then exports from them. Per connection, remembered; alone, says where.",
    ),
    CommandSpec("quit", ":q", "Quit (running queries are cancelled).", aliases=("q",)),
)


def placeholder() -> str:
    """The command line's hint: the short commands, as typed."""
    short = ("store", "profile", "region", "local", "quit")
    return "   ".join(c.usage for c in COMMANDS if c.name in short) + "   :import PATH   :create NAME ..."


@dataclass(frozen=True)
class Quit:
    pass


@dataclass(frozen=True)
class UseProfile:
    name: str  # may be partial or empty: then the picker opens with it typed in


@dataclass(frozen=True)
class UseRegion:
    name: str


@dataclass(frozen=True)
class UseLocal:
    pass


@dataclass(frozen=True)
class UseStore:
    name: str


@dataclass(frozen=True)
class ImportLogs:
    request: ImportRequest


@dataclass(frozen=True)
class AdministerStore:
    """`:create NAME`, `:edit`, `:delete`, `:restore`: the current store (tui/storeadmin.py)."""

    verb: str
    arg: str


@dataclass(frozen=True)
class DropStore:
    """`:drop STORE`: a local store, by name or ID, deleted for good (tui/storeadmin.py)."""

    name: str


@dataclass(frozen=True)
class DeliverResults:
    """`:deliver TARGET`: where the current connection's queries save their results ('off', '' to ask)."""

    target: str


@dataclass(frozen=True)
class CommandError:
    message: str


Command = (
    Quit
    | UseProfile
    | UseRegion
    | UseLocal
    | UseStore
    | ImportLogs
    | AdministerStore
    | DropStore
    | DeliverResults
    | CommandError
)
STORE_VERBS = ("create", "edit", "delete", "restore")


def _import_request(arg: str) -> ImportLogs | CommandError:
    # argparse, as `trailtui import` itself: the same options, with errors raised instead of exiting.
    parser = argparse.ArgumentParser(prog=":import", add_help=False, exit_on_error=False)
    parser.add_argument("source")
    parser.add_argument("--store", default="trail-logs")
    for opt in ("--since", "--until", "--accounts", "--regions", "--profile", "--region"):
        parser.add_argument(opt)
    try:
        a = parser.parse_args(shlex.split(arg))
    except (argparse.ArgumentError, ValueError, SystemExit) as exc:
        return CommandError(f":import: {exc}")
    source = a.source
    if not source.startswith("s3://"):
        source = str(Path(source).expanduser())
        problem = unreadable(source)
        if problem:
            return CommandError(f":import: {problem}. Nothing was imported and no store was made.")
    return ImportLogs(
        ImportRequest(source, a.store, a.since, a.until, a.accounts, a.regions, a.profile, a.region)
    )


def unreadable(path: str) -> str | None:
    """Why an import could not read `path`, before anything is made for it (a mistyped path used to make
    an empty store and say only "1 files rejected"); None when it can be read."""
    p = Path(path)
    if not p.exists():
        parent = next((q for q in p.parents if q.exists()), None)
        where = (
            f" ({parent} exists, {p.relative_to(parent)} does not)" if parent and str(parent) != "." else ""
        )
        return f"{path}: no such file or folder{where}"
    if p.is_dir():
        if not os.access(p, os.R_OK | os.X_OK):
            return f"{path}: the folder cannot be read (permission denied)"
    elif not p.is_file():
        return f"{path}: not a file or folder of trail logs"
    elif not os.access(p, os.R_OK):
        return f"{path}: the file cannot be read (permission denied)"
    return None


def interpret(line: str) -> Command | None:
    """A command line, as typed (with or without the leading colon); None for an empty line."""
    line = line.strip().lstrip(":").strip()
    if not line:
        return None
    verb, _, arg = line.partition(" ")
    arg = arg.strip()
    spec = next((c for c in COMMANDS if verb == c.name or verb in c.aliases), None)
    if spec is None:
        return CommandError(f"Unknown command: {line}")
    if spec.name == "quit":
        return Quit()
    if spec.name == "profile":
        return UseProfile(arg)
    if spec.name == "region":
        return UseRegion(arg)
    if spec.name == "local":
        return UseLocal()
    if spec.name in STORE_VERBS:
        return AdministerStore(spec.name, arg)
    if spec.name == "deliver":
        return DeliverResults(arg)
    if not arg:
        return CommandError(f"{spec.usage} needs an argument.")
    if spec.name == "store":
        return UseStore(arg)
    if spec.name == "drop":
        return DropStore(arg)
    return _import_request(arg)
