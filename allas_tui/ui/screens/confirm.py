"""A confirmation that says exactly what will happen, with a key per choice."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer: the keys that pick it, its label, and the value returned."""

    keys: tuple[str, ...]
    label: str
    value: str


CANCEL = Choice(("n", "escape"), "n / Esc: cancel", "cancel")
"""The answer that does nothing; every confirmation offers it."""


class ConfirmScreen(ModalScreen[str]):
    """Shows what will happen and returns the value of the choice taken."""

    def __init__(
        self,
        title: str,
        body: Text,
        choices: list[Choice],
        danger: bool = True,
        cancel_label: str = "cancel",
    ) -> None:
        super().__init__(classes="danger" if danger else "")
        self.title_text = title
        self.body = body
        cancel = (
            CANCEL
            if cancel_label == "cancel"
            else Choice(CANCEL.keys, f"n / Esc: {cancel_label}", CANCEL.value)
        )
        self.choices = [*choices, cancel]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.title_text, style="bold"), id="dialog-title")
            yield Static(self.body, id="dialog-body")
            keys = Text("    ").join(Text(c.label, style="bold") for c in self.choices)
            yield Static(keys, id="dialog-keys")

    def on_key(self, event: events.Key) -> None:
        """Take the choice whose key was pressed; other keys do nothing."""
        for choice in self.choices:
            if event.key in choice.keys:
                event.stop()
                self.dismiss(choice.value)
                return
