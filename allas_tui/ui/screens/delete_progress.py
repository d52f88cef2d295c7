"""The screen a running delete shows: what has gone so far, and Esc to stop."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static


class DeleteProgressScreen(ModalScreen[None]):
    """Shows `describe()` and a bar from `fraction()` five times a second;
    Esc calls `stop` (the delete ends after the request in flight). The flow
    that runs the delete closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop", "Stop", id="delete-stop"),
    ]

    def __init__(
        self,
        title: str,
        describe: Callable[[], str],
        fraction: Callable[[], float],
        stop: Callable[[], None],
    ) -> None:
        super().__init__(classes="danger")
        self.title_text = title
        self.describe = describe
        self.fraction = fraction
        self.stop = stop
        self.stopping = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.title_text, style="bold"), id="dialog-title")
            yield Static("", id="dialog-body")
            yield ProgressBar(total=1000, show_eta=False, id="delete-bar")
            yield Static(Text("Esc: stop", style="bold"), id="dialog-keys")

    def on_mount(self) -> None:
        self.set_interval(0.2, self.refresh_counts)
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Read the delete's counters; no message per deleted object."""
        self.query_one("#dialog-body", Static).update(Text(self.describe()))
        self.query_one(ProgressBar).update(progress=round(self.fraction() * 1000))

    def action_stop(self) -> None:
        """Stop after the request in flight; what went and what stayed is reported."""
        if not self.stopping:
            self.stopping = True
            self.stop()
            keys = "Stopping after the request in flight..."
            self.query_one("#dialog-keys", Static).update(Text(keys, style="bold"))
