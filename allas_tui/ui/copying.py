"""The y key: copy an object's key, its s3:// or swift:// path, or its URL to
the clipboard. Textual writes it with OSC 52, which reaches the user's own
terminal through SSH and tmux (with `set-clipboard on`)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from rich.text import Text

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.models import Protocol
from allas_tui.ui.safe_text import visible
from allas_tui.ui.screens.confirm import Choice, ConfirmScreen
from allas_tui.ui.selection import Selection

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp

CHOICES = [
    Choice(("p", "y"), "p / y: the path", "path"),
    Choice(("k",), "k: the key", "key"),
    Choice(("u",), "u: the URL", "url"),
]


def copy_targets(backend: StorageBackend, bucket: str, key: str) -> dict[str, str]:
    """What `bucket`/`key` can be copied as: the key, a path in the protocol's
    scheme (as rclone and the aws CLI take them), and the HTTPS URL (to use
    with a login, or without one once the bucket is public)."""
    scheme = "s3" if backend.protocol is Protocol.S3 else "swift"
    base = backend.endpoint.rstrip("/")  # S3: the endpoint; Swift: the storage URL
    return {
        "path": f"{scheme}://{bucket}/{key}",
        "key": key,
        "url": f"{base}/{quote(bucket, safe='')}/{quote(key, safe='/')}",
    }


async def copy_flow(app: AllasApp, selection: Selection) -> None:
    """Offer the cursor row's key, path and URL; copy the one chosen."""
    row = selection.cursor
    if app.backend is None or row is None:
        app.notify("Nothing to copy here.", severity="warning")
        return
    bucket = selection.location.bucket
    bucket, key = (row.key, "") if bucket is None else (bucket, row.key)
    targets = copy_targets(app.backend, bucket, key)
    body = Text("\n".join(f"{name:>5}: {visible(value)}" for name, value in targets.items()))
    choices = [c for c in CHOICES if targets[c.value]]
    answer = await app.push_screen_wait(
        ConfirmScreen("Copy to the clipboard", body, choices, danger=False)
    )
    if answer in targets:
        app.copy_to_clipboard(targets[answer])
        app.notify(f"Copied {visible(targets[answer])}", markup=False)
