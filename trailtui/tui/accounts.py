"""Accounts on the main screen: the AWS profile and Region in use, switching between them, who we are.

Each profile and Region is its own connection (`ConnectionKey.aws(PROFILE, REGION)`). Switching opens the
new one in a worker and shows its identity and stores when they arrive; the old connection stays open, so
queries already running on it finish there. What was in use with each profile (Region, store, editor
content) comes back when the user returns to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from trailtui.lake.connection import ConnectionKey
from trailtui.tui import events, workers
from trailtui.tui.picker import PickerScreen
from trailtui.tui.state import LOCAL_KEY
from trailtui.tui.stores import StoresPane

if TYPE_CHECKING:
    from textual.screen import Screen

    from trailtui.aws.memory import ProfileMemory
    from trailtui.tui.editor import SqlEditor
    from trailtui.tui.state import ExplorerState

    _Base = Screen[None]
else:
    _Base = object

ORG_HINT = (
    "no event data stores here. Organization stores live in the organization's management account or its "
    "delegated administrator account: switch to that profile (F10) to see them."
)


class AccountsMixin(_Base):
    """The main screen's profile and Region handling (state in `self.state`, see state.py)."""

    if TYPE_CHECKING:  # provided by MainScreen
        state: ExplorerState
        memory: ProfileMemory

        @property
        def editor(self) -> SqlEditor: ...
        def post(self, event: object) -> None: ...
        def start_worker(self, fn: Callable[..., None], *args: Any, group: str) -> None: ...
        def update_context(self) -> None: ...
        def set_editor(self, sql: str) -> None: ...

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
        current = self.state.current_profile()
        recent = [n for n in self.memory.recent() if n in profiles]
        order = recent + sorted(n for n in profiles if n not in recent)
        items = [(n, profiles[n].label + ("   current" if current == n else "")) for n in order]
        self.app.push_screen(
            PickerScreen("Switch to the AWS profile", items, initial),
            lambda name: self.switch_aws(name) if name else None,
        )

    def action_switch_region(self, initial: str = "") -> None:
        from trailtui.aws.profiles import regions

        if self._on_local_lake():
            return
        profile = self.state.current_profile()
        current = self.state.current_region()
        # The current Region first, highlighted: F11 then Enter by reflex stays put, not in af-south-1.
        order = sorted(regions(), key=lambda r: r != current)
        items = [(r, r + ("   current" if r == current else "")) for r in order]
        self.app.push_screen(
            PickerScreen(f"Region for profile {profile or 'default'}", items, initial),
            lambda region: self.switch_aws(profile, region) if region else None,
        )

    def use_profile(self, name: str) -> None:
        """`:profile NAME`: that profile if it is one, else the picker with NAME typed in."""
        from trailtui.aws.profiles import list_profiles

        if name and name in {p.name for p in list_profiles()}:
            self.switch_aws(name)
        else:
            self.action_switch_profile(name)

    def _on_local_lake(self) -> bool:
        """On the local lake, a Region has nothing to switch: say so, rather than quietly moving to the last
        AWS profile used (which may be a read-only production account)."""
        if not self.state.current.is_local:
            return False
        self.notify(
            "Regions belong to AWS profiles: the local lake has none to switch. "
            "Choose a profile first (F10), then its Region (F11).",
            severity="warning",
        )
        return True

    def use_region(self, name: str) -> None:
        from trailtui.aws.profiles import regions

        if self._on_local_lake():
            return
        if name in regions():
            self.switch_aws(self.state.current_profile(), name)
        else:
            self.action_switch_region(name)

    def switch_aws(self, profile: str | None, region: str | None = None, make_current: bool = True) -> None:
        """Open (or return to) a profile in a Region; its identity and stores load in a worker."""
        self.remember_current()
        if region is None and profile:
            region = self.memory.get(profile).region
        key = ConnectionKey.aws(profile, region)  # its Region is filled in when the connection opens
        self.state.aws = key
        self.state.failed.pop(key, None)  # trying again
        if make_current:
            self.state.current = key
            self.state.store = None
            if profile:  # at once, not when its stores arrive: by then the user may have typed
                self.restore_editor(self.memory.get(profile).editor, f"profile {profile}")
        self.query_one(StoresPane).show_loading("aws", key.label)
        self.update_context()
        self.start_worker(workers.open_aws_profile, key, self.post, group="aws")

    def _identity_loaded(self, e: events.IdentityLoaded | events.IdentityFailed) -> None:
        self.state.identities[e.connection] = e.identity if isinstance(e, events.IdentityLoaded) else e.reason
        self.update_context()

    def remember_current(self) -> None:
        """Keep the Region, store and editor of the connection being left."""
        current = self.state.current
        name = "local" if current.is_local else self.state.current_profile()
        if name is None:
            return
        store = self.state.store
        self.memory.remember(
            name,
            region=None if current.is_local else self.state.current_region(),
            store=store.id if store is not None else None,
            editor=self.editor.text,
        )

    def switch_local(self) -> None:
        self.remember_current()
        self.state.current = LOCAL_KEY
        stores = [s for s in self.query_one(StoresPane).all_stores() if s.connection.is_local]
        remembered = self.memory.get("local")
        self.state.store = next(
            (s for s in stores if s.id == remembered.store), stores[0] if stores else None
        )
        self.restore_editor(remembered.editor, "the local lake")
        self.update_context()

    def restore_editor(self, sql: str | None, where: str) -> None:
        """The SQL left in the editor on a connection comes back with it. What the editor had goes (one
        ctrl+z brings it back), which without a word looked like typing lost."""
        if not sql or sql == self.editor.text:
            return
        self.set_editor(sql)
        self.notify(f"The editor has the SQL you left on {where} (ctrl+z brings back what it had).")
