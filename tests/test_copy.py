"""y copies a row's path, key or URL to the clipboard (OSC 52), on the demo store."""

from __future__ import annotations

from urllib.parse import quote

from ui_driver import cursor_to, open_row, toasts, wait_for, wait_idle

from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.confirm import ConfirmScreen


async def _copy(pilot, app: AllasApp, choice: str) -> str:  # type: ignore[no-untyped-def]
    await pilot.press("y")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the copy dialog")
    await pilot.press(choice)
    await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen), "the copy")
    return app.clipboard


async def test_y_copies_the_path_the_key_and_the_url() -> None:
    app = AllasApp(profile=None)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await wait_idle(pilot, app)
        bucket, key = "2001234-puhti-SCRATCH", "README.txt"
        await cursor_to(pilot, app, bucket)
        assert await _copy(pilot, app, "y") == f"s3://{bucket}/"
        await open_row(pilot, app, bucket)
        await cursor_to(pilot, app, key)
        assert await _copy(pilot, app, "p") == f"s3://{bucket}/{key}"
        assert await _copy(pilot, app, "k") == key
        assert app.backend is not None
        url = f"{app.backend.endpoint.rstrip('/')}/{bucket}/{quote(key)}"
        assert await _copy(pilot, app, "u") == url
        assert await _copy(pilot, app, "escape") == url  # Esc copies nothing
        assert "Copied" in toasts(app)
