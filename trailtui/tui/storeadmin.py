"""The explorer's store screens: create a store; change its name, retention and termination protection;
delete it (after a confirmation, and never while termination protection is on) and restore it; import into
a Lake store from S3. The same for the local lake and for CloudTrail Lake on a profile: every change goes
through the connection's CloudTrail client (trailtui.lake.storeadmin).

Screens take their data and return typed results (`StoreForm`, `LakeImportForm`, or None when cancelled);
`StoreCommands` turns the command line's `:create`, `:edit`, `:delete`, `:restore` and, on an AWS profile,
`:import` into those screens and the calls behind them, in worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static

from trailtui.tui.dialogs import ConfirmScreen
from trailtui.tui.events import Notice
from trailtui.tui.safe import safe_text
from trailtui.tui.workers import load_stores

VERBS = ("create", "edit", "delete", "restore")


@dataclass(frozen=True)
class StoreForm:
    name: str
    retention_days: int | None
    termination_protection: bool


@dataclass(frozen=True)
class LakeImportForm:
    source: str
    bucket_region: str
    role_arn: str


class _Form(ModalScreen[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    _Form { align: center middle; }
    _Form > Vertical { width: 72; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    _Form .error { color: $error; }
    """

    def _error(self, text: str) -> None:
        self.query_one("#form-error", Static).update(safe_text(text))


class StoreFormScreen(_Form):
    """Name, retention (days) and termination protection; enter in any field saves."""

    def __init__(self, title: str, form: StoreForm) -> None:
        super().__init__()
        self.title_text = title
        self.form = form

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(self.title_text, style="bold"))
            yield Input(self.form.name, placeholder="name: 3-128 letters, digits, . _ -", id="store-name")
            retention = "" if self.form.retention_days is None else str(self.form.retention_days)
            yield Input(
                retention, placeholder="retention in days (empty: Lake's default)", id="store-retention"
            )
            yield Checkbox("termination protection", self.form.termination_protection, id="store-protection")
            yield Static("", id="form-error", classes="error")
            yield Static(Text("enter: save      Esc: cancel", style="dim"))

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        name = self.query_one("#store-name", Input).value.strip()
        text = self.query_one("#store-retention", Input).value.strip()
        if not text.isdigit() and text:
            self._error("Retention is a number of days.")
            return
        if not name:
            self._error("A store needs a name.")
            return
        protection = self.query_one("#store-protection", Checkbox).value
        self.dismiss(StoreForm(name, int(text) if text else None, protection))


class LakeImportScreen(_Form):
    """StartImport's source: the S3 address, the bucket's Region and the role Lake reads it with."""

    def __init__(self, store_name: str, form: LakeImportForm) -> None:
        super().__init__()
        self.store_name = store_name
        self.form = form

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(f"Import trail logs into {self.store_name}", style="bold"))
            yield Input(self.form.source, placeholder="s3://BUCKET/PREFIX", id="import-source")
            yield Input(self.form.bucket_region, placeholder="the bucket's Region", id="import-region")
            yield Input(
                self.form.role_arn, placeholder="role ARN Lake reads the bucket with", id="import-role"
            )
            yield Static("", id="form-error", classes="error")
            yield Static(Text("enter: start      Esc: cancel", style="dim"))

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        values = [self.query_one(f"#import-{k}", Input).value.strip() for k in ("source", "region", "role")]
        if not all(values):
            self._error("Lake needs all three: the S3 address, the bucket's Region and a role ARN.")
            return
        self.dismiss(LakeImportForm(*values))


class StoreCommands:
    """The store commands of the main screen (`screen`: its state, its workers' `post`, its dialogs)."""

    def __init__(self, screen: Any) -> None:
        self.screen = screen
        self.app = screen.app
        self.state = screen.state

    def run(self, verb: str, arg: str) -> None:
        store = self.state.store
        if verb != "create" and store is None:
            self.app.notify("Choose a store first (in the stores pane).", severity="error")
            return
        if verb == "create":
            form = StoreForm(arg, None, True)
            self.app.push_screen(StoreFormScreen(f"New store on {self._label()}", form), self._create)
        elif verb == "edit":
            d = store.details
            form = StoreForm(
                store.name, d.get("RetentionPeriod"), bool(d.get("TerminationProtectionEnabled"))
            )
            self.app.push_screen(StoreFormScreen(f"Change {store.name}", form), self._edit)
        elif verb == "delete":
            if store.details.get("TerminationProtectionEnabled"):
                self.app.notify(
                    f"{store.name} has termination protection: turn it off with :edit first.",
                    severity="error",
                )
                return
            question = (
                f"Delete store {store.name}? It stays PENDING_DELETION for 7 days (restore it with :restore), "
                "then it is gone with its events."
            )
            self.app.push_screen(ConfirmScreen(question), self._delete)
        elif verb == "restore":
            self._work(lambda ct: self._admin().restore_store(ct, store.arn), f"Restored {store.name}.")

    def drop(self, name: str) -> None:
        """`:drop STORE`: a local store deleted for good, after a confirmation naming it and its events."""
        from trailtui.tui.stores import StoresPane

        stores = self.screen.query_one(StoresPane).all_stores()
        store = next((s for s in stores if name in (s.id, s.name, s.arn) and s.connection.is_local), None)
        if store is None:
            other = next((s for s in stores if name in (s.id, s.name, s.arn)), None)
            self.app.notify(
                f":drop deletes local stores only; {name} is on {other.connection.label}: use :delete there "
                "(it can be restored for 7 days)."
                if other is not None
                else f"No local store {name}: :drop takes a local store's name or ID (see the stores pane).",
                severity="error",
            )
            return
        if store.details.get("TerminationProtectionEnabled"):
            self.app.notify(
                f"{store.name} has termination protection (on by default for a new or imported store): "
                f":store {store.name}, then :edit to turn it off, then :drop {store.name} again.",
                severity="error",
            )
            return
        events = f"{store.event_count:,} events" if store.event_count is not None else "all its events"
        question = (
            f"Drop the local store {store.name} ({store.id}) with {events}? It is deleted for good: "
            "no :restore, no waiting period."
        )
        self.app.push_screen(
            ConfirmScreen(question, yes=f"yes, delete {store.name}"), lambda yes: self._drop(store, yes)
        )

    def _drop(self, store: Any, yes: bool | None) -> None:
        conn = self.state.connections.get(store.connection)
        if not yes or conn is None:
            return
        if self.state.store is not None and self.state.store.id == store.id:
            self.state.store = None  # the stores' next load makes another one current
            self.screen.update_context()

        def body() -> None:
            try:
                conn.drop_store(store.id)
            except Exception as exc:
                self.screen.post(Notice(f"{store.name} was not dropped: {conn.explain(exc)}", "error"))
                return
            self.screen.post(Notice(f"Dropped the local store {store.name} and its events."))
            load_stores(conn, self.screen.post)

        self.screen.run_worker(body, thread=True, group="store-admin", exit_on_error=False)

    def lake_import(self, source: str) -> None:
        """`:import s3://...` on an AWS profile: StartImport into the current store, then follow it."""
        store = self.state.store
        if store is None:
            self.app.notify("Choose the store to import into first.", severity="error")
            return
        conn = self.state.connections[self.state.current]
        form = LakeImportForm(source, conn.region, "")
        self.app.push_screen(LakeImportScreen(store.name, form), self._start_import)

    # -- results of the screens -----------------------------------------------------------------------
    def _create(self, form: StoreForm | None) -> None:
        if form is None:
            return
        self._work(
            lambda ct: self._admin().create_store(
                ct, form.name, form.retention_days, form.termination_protection
            ),
            f"Created store {form.name}.",
        )

    def _edit(self, form: StoreForm | None) -> None:
        store = self.state.store
        if form is None or store is None:
            return
        d = store.details
        changes: dict[str, Any] = {}
        if form.name != store.name:
            changes["name"] = form.name
        if form.retention_days is not None and form.retention_days != d.get("RetentionPeriod"):
            changes["retention_days"] = form.retention_days
        if form.termination_protection != bool(d.get("TerminationProtectionEnabled")):
            changes["termination_protection"] = form.termination_protection
        if not changes:
            self.app.notify("Nothing changed.")
            return
        self._work(lambda ct: self._admin().update_store(ct, store.arn, **changes), f"Updated {form.name}.")

    def _delete(self, yes: bool | None) -> None:
        store = self.state.store
        if not yes or store is None:
            return
        self._work(
            lambda ct: self._admin().delete_store(ct, store.arn),
            f"{store.name} is pending deletion (:restore within 7 days brings it back).",
        )

    def _start_import(self, form: LakeImportForm | None) -> None:
        store = self.state.store
        if form is None or store is None:
            return
        admin = self._admin()

        def start_and_follow(ct: Any) -> Any:
            state = admin.start_import(ct, store.arn, form.source, form.bucket_region, form.role_arn)
            self.screen.post(Notice(f"Import {state.import_id} started into {store.name}."))

            seen: list[str] = []

            def report(s: Any) -> None:
                if not seen or seen[-1] != s.status:  # say each new status once
                    seen.append(s.status)
                    self.screen.post(Notice(f"Import {s.status}: {s.files:,} files, {s.events:,} events"))

            return admin.follow_import(ct, state.import_id, report, interval=5.0)

        self._work(start_and_follow, f"Import into {store.name} ended.")

    # -- plumbing -------------------------------------------------------------------------------------------
    @staticmethod
    def _admin() -> Any:
        from trailtui.lake import storeadmin

        return storeadmin

    def _label(self) -> str:
        return self.state.current.label

    def _work(self, call: Any, done: str) -> None:
        conn = self.state.connections.get(self.state.current)
        if conn is None:
            self.app.notify("That connection is not open yet.", severity="warning")
            return

        def body() -> None:
            from trailtui.lake.storeadmin import StoreAdminError

            try:
                call(conn.cloudtrail)
            except StoreAdminError as exc:
                self.screen.post(Notice(str(exc), "error"))
                return
            except Exception as exc:
                self.screen.post(Notice(conn.explain(exc), "error"))
                return
            self.screen.post(Notice(done))
            conn.stores_changed()
            load_stores(conn, self.screen.post)

        self.screen.run_worker(body, thread=True, group="store-admin", exit_on_error=False)
