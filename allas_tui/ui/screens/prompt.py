"""A one-line question: a text input, checked as the user types."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

Check = Callable[[str], str | None]
"""Returns why a value cannot be used, or None when it can."""


class PromptScreen(ModalScreen[str | None]):
    """Asks for one value; Enter returns it when the check passes, Esc returns None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt-cancel"),
    ]

    def __init__(
        self,
        title: str,
        explanation: Text | str,
        value: str = "",
        check: Check | None = None,
        placeholder: str = "",
        suggester: Suggester | None = None,
        secret: bool = False,
    ) -> None:
        super().__init__()
        self.secret = secret
        """A password: typed masked, and returned exactly as typed (spaces too)."""
        self.title_text = title
        self.explanation = explanation if isinstance(explanation, Text) else Text(explanation)
        self.initial = value
        self.check = check
        self.placeholder = placeholder
        self.suggester = suggester

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.title_text, style="bold"), id="dialog-title")
            yield Static(self.explanation, id="dialog-body")
            yield Input(
                self.initial,
                placeholder=self.placeholder,
                suggester=self.suggester,
                id="prompt-input",
                select_on_focus=False,
                password=self.secret,
            )
            yield Static("", id="prompt-problem")
            yield Static(Text("Enter: OK    Esc: cancel", style="bold"), id="dialog-keys")

    def on_mount(self) -> None:
        self._show_problem(self.initial if self.initial else None)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Check the value on every keystroke."""
        self._show_problem(event.value)

    def _show_problem(self, value: str | None) -> str | None:
        problem = self.check(value) if self.check and value is not None else None
        widget = self.query_one("#prompt-problem", Static)
        widget.update(Text(problem or "", style="bold red"))
        return problem

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the value if it passes the check."""
        event.stop()
        if self._show_problem(event.value) is None and event.value.strip():
            self.dismiss(event.value if self.secret else event.value.strip())

    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)
