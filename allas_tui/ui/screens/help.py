"""The help screen: every key, as the user's keymap has them, and what the Kind column means."""

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

KEY_NAMES = {
    "up": "↑",
    "down": "↓",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "enter": "Enter",
    "backspace": "Backspace",
    "delete": "Delete",
    "escape": "Esc",
    "space": "space",
    "slash": "/",
    "full_stop": ".",
    "question_mark": "?",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
}

FIXED_KEYS = [
    ("Tab / Shift+Tab", "next or previous pane"),
    ("ctrl+p", "command palette: every action by name"),
    ("Esc", "clear the filter; close a dialog"),
]

DIALOG_KEYS = [
    ("→", "upload / download path: accept the suggested completion"),
    ("Tab", "upload: move between the path and the file browser"),
    ("space", "upload file browser: mark a file or directory"),
    ("ctrl+s / Enter", "upload: send the marked entries, or else the typed path"),
    ("y / Enter", "confirm a delete or quit"),
    ("a", "delete all objects of a non-empty bucket, then the bucket"),
    ("o / s", "replace existing files or objects / skip them"),
    ("c", "download Swift large objects over S3, checking sizes only; create a missing bucket"),
    ("m / Enter", "confirm a move or rename"),
    ("l", "copy or move over S3: leave Swift large objects out, go on with the rest"),
    ("n / Esc", "cancel"),
]

KIND_LEGEND = [
    ("dir", "pseudo-folder: a common prefix of keys ending in /"),
    ("slo", "Swift static large object: a manifest over segments in <bucket>_segments"),
    ("dlo", "Swift dynamic large object: a manifest naming a prefix of segments"),
    ("mpu", "S3 multipart upload: its ETag is not the MD5 of the data"),
    ("", "Sizes of slo and dlo rows are their data's, read by HEAD as they come on screen."),
    ("", "Over S3, a download of slo or dlo can check only the size: use a Swift login."),
]


def key_text(keys: str) -> str:
    """`up,k` as `↑ k`."""
    return " ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def binding_rows(keymap: Mapping[str, str], classes: list[type]) -> list[tuple[str, str, str]]:
    """(keys, description, id) for every binding of `classes`, after the user's keymap."""
    rows = []
    for cls in classes:
        for binding in getattr(cls, "BINDINGS", []):
            if not isinstance(binding, Binding):
                continue
            keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
            what = binding.tooltip or binding.description
            rows.append((key_text(keys), what, binding.id or ""))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists every key; Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help-close"),
    ]

    def compose(self) -> ComposeResult:
        from allas_tui.ui.app import AllasApp
        from allas_tui.ui.widgets.bucket_tree import BucketTree
        from allas_tui.ui.widgets.object_pane import ObjectPane
        from allas_tui.ui.widgets.object_table import ObjectTable
        from allas_tui.ui.widgets.transfer_panel import TransferPanel

        keymap = self.app.user_keymap if isinstance(self.app, AllasApp) else {}
        sections: list[tuple[str, list[type]]] = [
            ("Anywhere", [AllasApp]),
            ("Object table", [ObjectTable, ObjectPane]),
            ("Bucket tree", [BucketTree]),
            ("Transfer panel", [TransferPanel]),
        ]
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        table.add_column(style="dim", no_wrap=True)
        for title, classes in sections:
            table.add_row(Text(title, style="bold underline"), "", "id for [keys]")
            for keys, what, binding_id in binding_rows(keymap, classes):
                table.add_row(keys, what, binding_id)
            if title == "Anywhere":
                for keys, what in FIXED_KEYS:
                    table.add_row(keys, what, "")
            table.add_row("", "", "")
        table.add_row(Text("Dialogs", style="bold underline"), "", "")
        for keys, what in DIALOG_KEYS:
            table.add_row(keys, what, "")
        table.add_row("", "", "")
        table.add_row(Text("Kind column", style="bold underline"), "")
        for marker, meaning in KIND_LEGEND:
            table.add_row(marker, meaning)
        with VerticalScroll(id="dialog", classes="tall"):
            yield Static(Text("allas-tui keys", style="bold"), id="dialog-title")
            yield Static(table)
            yield Static(
                Text("Keys can be remapped in [keys] of the config file. Esc closes."),
                id="dialog-keys",
            )
