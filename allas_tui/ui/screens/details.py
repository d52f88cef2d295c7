"""Every header and metadata item of one object or bucket."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from allas_tui.ui.safe_text import safe_text, visible


class DetailsScreen(ModalScreen[None]):
    """A scrollable table of names and values; any of Esc, q, i or Enter closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,i,enter", "dismiss", "Close", id="details-close"),
    ]

    def __init__(self, title: str, sections: Mapping[str, Mapping[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.sections = sections

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        for section, items in self.sections.items():
            table.add_row(Text(section, style="bold underline"), "")
            for name, value in items.items():
                table.add_row(safe_text(name), Text(visible(value)))
            table.add_row("", "")
        with VerticalScroll(id="dialog", classes="tall"):
            yield Static(safe_text(self.title_text, style="bold"), id="dialog-title")
            yield Static(table)
            yield Static(Text("Esc: close", style="bold"), id="dialog-keys")
