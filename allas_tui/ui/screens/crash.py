"""The screen shown after an unexpected error: where the report is, then quit."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from allas_tui.ui.safe_text import visible


class CrashScreen(ModalScreen[None]):
    """Says what happened and where the report is; any key quits."""

    def __init__(self, notice: str) -> None:
        super().__init__(classes="danger")
        self.notice = notice

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Unexpected error", style="bold"), id="dialog-title")
            body = "\n".join(visible(line) for line in self.notice.splitlines())
            yield Static(Text(body), id="dialog-body")
            yield Static(Text("any key: quit", style="bold"), id="dialog-keys")

    def on_key(self, event: events.Key) -> None:
        """Quit on any key."""
        event.stop()
        self.app.exit(return_code=1)
