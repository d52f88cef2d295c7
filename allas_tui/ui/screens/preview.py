"""The preview of an object's first bytes, as highlighted text or hex."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.filesize import decimal
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from allas_tui.ui.previewing import Preview, hex_dump, highlighted
from allas_tui.ui.safe_text import safe_text


class PreviewScreen(ModalScreen[None]):
    """Text with syntax highlighting, or a hex dump; `x` switches, Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,v", "dismiss", "Close", id="preview-close"),
        Binding("x", "toggle_hex", "Hex/text", id="preview-hex"),
    ]

    def __init__(self, title: str, preview: Preview) -> None:
        super().__init__()
        self.title_text = title
        self.preview = preview
        self.show_hex = preview.text is None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="tall"):
            yield Static(safe_text(self.title_text, style="bold"), id="dialog-title")
            yield Static(self._about(), id="preview-about")
            yield Static(self._body(), id="preview-body")
            keys = "x: hex or text    Esc: close" if self.preview.text is not None else "Esc: close"
            yield Static(Text(keys, style="bold"), id="dialog-keys")

    def _about(self) -> Text:
        p = self.preview
        what = "text" if p.text is not None else "binary data"
        shown = f"the first {decimal(len(p.data))} of {decimal(p.size)}" if p.partial else "all"
        return Text(f"{what}, {decimal(p.size)}; showing {shown}", style="italic")

    def _body(self) -> RenderableType:
        if self.show_hex or self.preview.text is None:
            return hex_dump(self.preview.data)
        return highlighted(self.preview.text, self.title_text)

    def action_toggle_hex(self) -> None:
        """Switch between the text and its bytes."""
        if self.preview.text is None:
            return
        self.show_hex = not self.show_hex
        self.query_one("#preview-body", Static).update(self._body())
