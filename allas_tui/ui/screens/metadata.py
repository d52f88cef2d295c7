"""The metadata editor: the content type, and user metadata as `name: value` lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from allas_tui.ui.metadata_text import content_type_problem, metadata_lines, parse_metadata
from allas_tui.ui.safe_text import safe_text


@dataclass(frozen=True, slots=True)
class MetadataEdit:
    """What the user saved."""

    content_type: str
    metadata: dict[str, str]


class MetadataScreen(ModalScreen[MetadataEdit | None]):
    """Edits an object's content type and user metadata; ctrl+s saves, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="metadata-save"),
        Binding("escape", "cancel", "Cancel", id="metadata-cancel"),
    ]

    def __init__(self, key: str, content_type: str, metadata: dict[str, str]) -> None:
        super().__init__()
        self.key = key
        self.content_type = content_type
        self.metadata = metadata

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="tall"):
            yield Static(safe_text(f"Metadata of {self.key}", style="bold"), id="dialog-title")
            yield Static("Content type")
            yield Input(self.content_type, id="content-type")
            yield Static("User metadata, one name: value per line")
            yield TextArea(metadata_lines(self.metadata), id="metadata-lines", soft_wrap=False)
            yield Static("", id="metadata-problem")
            yield Static(Text("ctrl+s: save    Esc: cancel", style="bold"), id="dialog-keys")

    def _problem(self, text: str) -> None:
        self.query_one("#metadata-problem", Static).update(Text(text, style="bold red"))

    def action_save(self) -> None:
        """Check both fields; close with them if they pass."""
        content_type = self.query_one("#content-type", Input).value.strip()
        problem = content_type_problem(content_type)
        if problem:
            self._problem(problem)
            return
        try:
            metadata = parse_metadata(self.query_one("#metadata-lines", TextArea).text)
        except ValueError as exc:
            self._problem(str(exc))
            return
        self.dismiss(MetadataEdit(content_type, metadata))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
