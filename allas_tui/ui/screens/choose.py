"""A list to pick one entry from, with the arrow keys and Enter."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from allas_tui.ui.safe_text import visible


class ChooseScreen(ModalScreen[int | None]):
    """Returns the index of the entry chosen, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choose-cancel"),
    ]

    def __init__(self, title: str, explanation: str, entries: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.explanation = explanation
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.title_text, style="bold"), id="dialog-title")
            yield Static(Text(self.explanation), id="dialog-body")
            options = [Option(Text(visible(e)), id=str(i)) for i, e in enumerate(self.entries)]
            yield OptionList(*options, id="choices")
            yield Static(
                Text("↑ ↓: pick    Enter: choose    Esc: cancel", style="bold"), id="dialog-keys"
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Close with the chosen entry's index."""
        event.stop()
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)
