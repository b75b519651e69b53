"""The context line, always visible: where queries go (connection, account, Region, store), unmistakably,
with a profile's colour and a READ-ONLY marker from config.toml."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from trailtui.settings import Settings
from trailtui.tui.safe import safe_text
from trailtui.tui.state import ExplorerState


def context_text(state: ExplorerState, settings: Settings) -> Text:
    """Connection and store first (they decide where a query goes and who pays), then what runs, then the
    account and Region; the caller's ARN last, where a narrow terminal cuts the line short."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(" trailtui ", style="bold reverse")
    key = state.current
    conn = state.connections.get(key)
    text.append("  ")
    identity = state.identities.get(key)
    if key.is_local:
        text.append("local lake", style="bold")
    else:
        profile = key.profile or "default"
        look = settings.profiles.get(profile)
        style = f"bold on {look.color}" if look and look.color else "bold"
        text.append_text(safe_text(f" profile {profile} ", style))
        if look and look.read_only:
            text.append(" READ-ONLY", style="bold red")
    if state.store is not None:
        text.append("  store ")
        text.append_text(safe_text(state.store.name, "bold cyan"))
    running = len(state.running())
    if running:
        text.append(f"  {running} running", style="yellow")
    if key.is_local:
        if conn is not None:
            text.append(f"  account {conn.account_id}  {conn.region}")
    else:
        if identity is None:
            text.append("  identity…", style="dim")
        elif isinstance(identity, str):
            text.append_text(safe_text(f"  {identity}", "red"))
        else:
            text.append_text(safe_text(f"  account {identity.account}"))
            if identity.alias:
                text.append_text(safe_text(f" ({identity.alias})", "bold"))
        region = conn.region if conn is not None else (key.region or "?")
        text.append_text(safe_text(f"  {region}"))
    if not key.is_local and identity is not None and not isinstance(identity, str):
        text.append_text(safe_text(f"  {identity.arn}", "dim"))  # last: the line may cut it short
    return text


class ContextBar(Static):
    DEFAULT_CSS = """
    ContextBar { height: 1; background: $primary-darken-3; color: $text; padding: 0 1; }
    """

    def show(self, state: ExplorerState, settings: Settings) -> None:
        self.update(context_text(state, settings))
