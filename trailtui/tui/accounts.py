"""Accounts in the explorer: the AWS profile and Region in use, switching between them, who we are.

Each profile and Region is its own connection (`aws:PROFILE@REGION`). Switching opens the new one in a worker
and shows its identity and stores when they arrive; the old connection stays open, so queries already
running on it finish there. What was in use with each profile (Region, store, editor content) comes back
when the user returns to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.widgets import TextArea

from trailtui.tui.messages import ConnectionOpened, IdentityFailed, IdentityLoaded, StoresFailed
from trailtui.tui.picker import PickerScreen
from trailtui.tui.stores import StoresPane

if TYPE_CHECKING:
    from textual.app import App

    from trailtui.aws.memory import ProfileMemory
    from trailtui.settings import Settings
    from trailtui.tui.messages import StoreInfo
    from trailtui.tui.status import RunView

    _AppBase = App[None]
else:
    _AppBase = object

LOCAL = "local"
ORG_HINT = (
    "no event data stores here. Organization stores live in the organization's management account or its "
    "delegated administrator account: switch to that profile (F10) to see them."
)


def aws_key(profile: str | None, region: str | None) -> str:
    return f"aws:{profile or 'default'}@{region or '?'}"


class AccountsMixin(_AppBase):
    """Methods of TrailApp that deal with AWS profiles and Regions (see app.py for the rest)."""

    # The app's state this mixin uses (set in TrailApp.__init__).
    connections: dict[str, Any]
    identities: dict[str, Any]
    aws_key_current: str | None
    current_conn: str
    current_store: StoreInfo | None
    memory: ProfileMemory
    settings: Settings
    runs: dict[int, RunView]
    run_when_open: str | None

    if TYPE_CHECKING:  # provided by TrailApp

        def _update_context(self) -> None: ...
        def run_if_waiting(self, opened: str) -> None: ...
        def _load_stores(self, name: str) -> None: ...
        def _set_editor(self, sql: str) -> None: ...

    def action_switch_profile(self, initial: str = "") -> None:
        from trailtui.aws.profiles import list_profiles

        try:
            profiles = {p.name: p for p in list_profiles()}
        except Exception as exc:
            self.notify(f"Cannot read the AWS config: {exc}", severity="error")
            return
        if not profiles:
            self.notify(
                "No AWS profiles are configured (aws configure, or aws configure sso).", severity="warning"
            )
            return
        recent = [n for n in self.memory.recent() if n in profiles]
        order = recent + sorted(n for n in profiles if n not in recent)
        items = [
            (n, profiles[n].label + ("   current" if self._current_profile() == n else "")) for n in order
        ]
        self.push_screen(
            PickerScreen("Switch to the AWS profile", items, initial),
            lambda name: self.switch_aws(name) if name else None,
        )

    def action_switch_region(self, initial: str = "") -> None:
        from trailtui.aws.profiles import regions

        profile = self._current_profile()
        current = self._current_region()
        items = [(r, r + ("   current" if r == current else "")) for r in regions()]
        title = f"Region for profile {profile or 'default'}"
        self.push_screen(
            PickerScreen(title, items, initial),
            lambda region: self.switch_aws(profile, region) if region else None,
        )

    def _current_profile(self) -> str | None:
        key = self.aws_key_current
        return key[4:].rsplit("@", 1)[0] if key else None

    def _current_region(self) -> str | None:
        key = self.aws_key_current
        return key.rsplit("@", 1)[1] if key else None

    def switch_aws(self, profile: str | None, region: str | None = None, make_current: bool = True) -> None:
        """Open (or return to) a profile in a Region; its identity and stores load in a worker."""
        self._remember_current()
        if region is None and profile:
            region = self.memory.get(profile).region
        key = aws_key(profile, region or "…")  # renamed when the worker knows the profile's Region
        self.aws_key_current = key
        if make_current:
            self.current_conn = key
            self.current_store = None
        label = f"AWS {profile or 'default'} ({region or 'its Region'})"
        self.query_one(StoresPane).show_loading("aws", label)
        self._update_context()
        self._open_aws(key, profile, region)

    @work(thread=True, group="aws", exit_on_error=False)
    def _open_aws(self, key: str, profile: str | None, region: str | None) -> None:
        from trailtui.aws.identity import fetch_identity
        from trailtui.aws.session import aws_session
        from trailtui.connections import open_aws
        from trailtui.lake.errors import explain

        try:
            session = aws_session(profile, region)
            # Credentials first: with no AWS set-up at all, "no credentials" is the news, not "no Region".
            if profile is None and session.get_credentials() is None:
                raise RuntimeError(
                    "no AWS profile or credentials found\n(aws configure / aws sso login;\n"
                    "the local lake needs none)"
                )
            conn = open_aws(profile, region, session=session)
        except Exception as exc:
            self.post_message(StoresFailed(key, explain(exc, profile)))
            self.post_message(IdentityFailed(key, explain(exc, profile)))
            return
        real_key = str(conn.key)
        self.connections[real_key] = conn
        self.post_message(ConnectionOpened(key, real_key))
        key = real_key
        try:
            sts, iam = conn.identity_clients()
            self.post_message(IdentityLoaded(key, fetch_identity(sts, iam)))
        except Exception as exc:
            self.post_message(IdentityFailed(key, explain(exc, profile)))
        self._load_stores(key)

    def on_connection_opened(self, message: ConnectionOpened) -> None:
        if self.aws_key_current == message.placeholder:
            self.aws_key_current = message.key
        if self.current_conn == message.placeholder:
            self.current_conn = message.key
        if self.run_when_open == message.placeholder:
            self.run_when_open = message.key
        self._update_context()
        self.run_if_waiting(message.key)

    def on_identity_loaded(self, message: IdentityLoaded) -> None:
        self.identities[message.connection] = message.identity
        self._update_context()

    def on_identity_failed(self, message: IdentityFailed) -> None:
        self.identities[message.connection] = message.reason
        self._update_context()

    def _remember_current(self) -> None:
        """Keep the Region, store and editor of the connection being left."""
        profile_name = LOCAL if self.current_conn == LOCAL else self._current_profile()
        if profile_name is None:
            return
        store = self.current_store
        editor = self.query_one("#editor", TextArea).text
        self.memory.remember(
            profile_name,
            region=None if profile_name == LOCAL else self._current_region(),
            store=store.id if store is not None else None,
            editor=editor,
        )

    def switch_local(self) -> None:
        self._remember_current()
        self.current_conn = LOCAL
        stores = [s for s in self.query_one(StoresPane).all_stores() if s.connection == LOCAL]
        remembered = self.memory.get(LOCAL).store
        self.current_store = next((s for s in stores if s.id == remembered), stores[0] if stores else None)
        editor = self.memory.get(LOCAL).editor
        if editor:
            self._set_editor(editor)
        self._update_context()

    def context_text(self) -> Text:
        """The context line: where queries go, unmistakably."""
        from trailtui.tui.safe import safe_text

        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" trailtui ", style="bold reverse")
        key = self.current_conn
        conn = self.connections.get(key)
        store = self.current_store
        text.append("  ")
        if key == LOCAL:
            text.append("local lake", style="bold")
            if conn is not None:
                text.append(f"  account {conn.account_id}  {conn.region}")
        else:
            profile = key[4:].rsplit("@", 1)[0]
            look = self.settings.profiles.get(profile)
            style = f"bold on {look.color}" if look and look.color else "bold"
            text.append_text(safe_text(f" profile {profile} ", style))
            if look and look.read_only:
                text.append(" READ-ONLY", style="bold red")
            identity = self.identities.get(key)
            if identity is None:
                text.append("  identity…", style="dim")
            elif isinstance(identity, str):
                text.append_text(safe_text(f"  {identity}", "red"))
            else:
                text.append_text(safe_text(f"  account {identity.account}"))
                if identity.alias:
                    text.append_text(safe_text(f" ({identity.alias})", "bold"))
            region = conn.region if conn is not None else key.rsplit("@", 1)[1]
            text.append_text(safe_text(f"  {region}"))
        if store is not None:
            text.append("  store ")
            text.append_text(safe_text(store.name, "bold cyan"))
        running = sum(1 for r in self.runs.values() if r.active)
        if running:
            text.append(f"  {running} running", style="yellow")
        identity = self.identities.get(key)
        if key != LOCAL and identity is not None and not isinstance(identity, str):
            text.append_text(safe_text(f"  {identity.arn}", "dim"))  # last: the line may cut it short
        return text
