"""Helpers for driving the real app with Textual's pilot, the way a user types."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

from allas_tui.ui.app import AllasApp
from allas_tui.ui.widgets.object_table import ObjectTable

TIMEOUT = 60.0
"""Seconds any one step may take against the local servers."""


async def wait_for(
    pilot: Pilot[int], condition: Callable[[], bool], what: str, timeout: float = TIMEOUT
) -> None:
    """Let the app run until `condition` holds; fail saying `what` never happened."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {what}")
        await pilot.pause(0.05)


def table(app: AllasApp) -> ObjectTable:
    """The object table."""
    return app.query_one(ObjectTable)


def shown_keys(app: AllasApp) -> list[str]:
    """Keys (or bucket names, or folder prefixes) of the rows the table shows."""
    return [row.key for row in table(app).store.view]


def listing_done(app: AllasApp) -> bool:
    """No listing is running and the table says what it shows."""
    busy = any(w.group == "listing" and not w.is_finished for w in app.workers)
    return not busy and "listing" not in str(app.query_one("#object-pane").border_subtitle)


async def wait_idle(pilot: Pilot[int], app: AllasApp) -> None:
    """Wait for listings, flows' thread work and transfers to finish."""

    def idle() -> bool:
        running = [w for w in app.workers if not w.is_finished and w.group != "flows"]
        queue_busy = app.queue is not None and app.queue.active_count > 0
        return not running and not queue_busy and listing_done(app)

    await wait_for(pilot, idle, "the app to be idle")
    await pilot.pause(0.3)  # the transfer poll may start one more listing
    await wait_for(pilot, idle, "the app to be idle again")


async def cursor_to(pilot: Pilot[int], app: AllasApp, key: str) -> None:
    """Move the table's cursor onto `key` with Home and Down, as a user would."""
    keys = shown_keys(app)
    assert key in keys, f"{key!r} is not shown; rows: {keys[:20]}"
    await pilot.press("home", *(["down"] * keys.index(key)))
    current = table(app).current_row
    assert current is not None and current.key == key


async def open_row(pilot: Pilot[int], app: AllasApp, key: str) -> None:
    """Move onto `key`, press Enter, and wait for its listing to finish."""
    await cursor_to(pilot, app, key)
    await pilot.press("enter")
    await wait_idle(pilot, app)


async def type_text(pilot: Pilot[int], text: str) -> None:
    """Type `text` into the focused input, replacing what was there (ctrl+u)."""
    await pilot.press("end", "ctrl+u", *_keys_for(text))


def _keys_for(text: str) -> list[str]:
    names = {"/": "slash", ".": "full_stop", "-": "minus", "_": "underscore", " ": "space"}
    return [names.get(c, c) for c in text]


def toasts(app: AllasApp) -> str:
    """Every notification the app has shown and still keeps, one per line."""
    return "\n".join(str(n.message) for n in app._notifications)
