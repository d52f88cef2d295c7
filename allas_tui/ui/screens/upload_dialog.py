"""The upload dialog: a path input with completion, and a local file browser
that marks several files or directories at once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import DirectoryTree, Input, Static
from textual.widgets.directory_tree import DirEntry
from textual.widgets.tree import TreeNode

from allas_tui.ui.safe_text import visible


class PathSuggester(Suggester):
    """Completes the last part of a local path from what is on disk (→ accepts)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        folder, _, stem = value.rpartition("/")
        base = Path(folder or ".").expanduser()
        try:
            names = sorted(e.name for e in os.scandir(base) if e.name.startswith(stem))
        except OSError:
            return None
        hidden_wanted = stem.startswith(".")
        names = [n for n in names if hidden_wanted or not n.startswith(".")]
        if not names:
            return None
        suggestion = f"{folder}/{names[0]}" if folder or value.startswith("/") else names[0]
        if (base / names[0]).is_dir():
            suggestion += "/"
        return suggestion


class MarkingDirectoryTree(DirectoryTree):
    """A DirectoryTree where space marks entries; marked ones show a dot."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "mark", "Mark", id="upload-mark", tooltip="Mark or unmark"),
    ]

    def __init__(self, path: Path, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(path, id=id)
        self.marked: list[Path] = []
        """Marked paths, in the order they were marked."""

    def action_mark(self) -> None:
        """Mark or unmark the entry under the cursor."""
        node = self.cursor_node
        if node is None or node.data is None:
            return
        path = node.data.path
        if path in self.marked:
            self.marked.remove(path)
        else:
            self.marked.append(path)
        self._refresh_node(node)
        self.action_cursor_down()
        self.post_message(UploadDialog.MarksChanged())

    def render_label(self, node: TreeNode[DirEntry], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        if node.data is not None and node.data.path in self.marked:
            return Text.assemble(("● ", "bold yellow"), label)
        return label


class UploadDialog(ModalScreen[list[Path] | None]):
    """Returns the paths to upload, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="upload-cancel"),
        Binding("ctrl+s", "upload", "Upload", id="upload-go", tooltip="Upload marked or typed"),
    ]

    class MarksChanged(Message):
        """The browser's marks changed."""

    def __init__(self, destination: str, start: Path) -> None:
        super().__init__()
        self.destination = destination
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="tall"):
            yield Static(Text("Upload", style="bold"), id="dialog-title")
            yield Static(Text(f"into {visible(self.destination)}"), id="dialog-body")
            yield Input(
                f"{self.start}/", suggester=PathSuggester(), id="upload-path", select_on_focus=False
            )
            yield Static("", id="upload-what")
            yield MarkingDirectoryTree(self.start, id="upload-tree")
            yield Static(
                Text(
                    "Enter: upload    →: complete    Tab: browse    space: mark    Esc: cancel",
                    style="bold",
                ),
                id="dialog-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#upload-path", Input).focus()
        self._describe()

    def _marked(self) -> list[Path]:
        return self.query_one(MarkingDirectoryTree).marked

    def _describe(self) -> None:
        marked = self._marked()
        if marked:
            names = ", ".join(visible(p.name) for p in marked[:3])
            more = f" and {len(marked) - 3} more" if len(marked) > 3 else ""
            text = f"Enter uploads {len(marked)} marked: {names}{more}"
        else:
            text = "Enter uploads the path above (a file, or a directory with all in it)"
        self.query_one("#upload-what", Static).update(Text(text, style="italic"))

    def on_upload_dialog_marks_changed(self, _message: UploadDialog.MarksChanged) -> None:
        """Say what Enter will upload."""
        self._describe()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        """Enter on a file puts it in the path input."""
        event.stop()
        path_input = self.query_one("#upload-path", Input)
        path_input.value = str(event.path)
        path_input.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the path input uploads."""
        event.stop()
        self.action_upload()

    def action_upload(self) -> None:
        """Return the marked paths, or else the typed one if it exists."""
        marked = self._marked()
        if marked:
            self.dismiss(list(marked))
            return
        typed = self.query_one("#upload-path", Input).value.strip()
        path = Path(typed).expanduser() if typed else None
        if path is None or not path.exists():
            problem = f"Nothing to upload: {visible(typed)!r} does not exist."
            self.query_one("#upload-what", Static).update(Text(problem, style="bold red"))
            return
        self.dismiss([path])

    def action_cancel(self) -> None:
        """Close without uploading."""
        self.dismiss(None)
