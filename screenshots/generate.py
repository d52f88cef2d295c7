"""Regenerate the README's screenshots with Textual's pilot, on the demo store.

Run: .venv/bin/python screenshots/generate.py
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from allas_tui.ui.app import AllasApp

HERE = Path(__file__).parent


async def main() -> None:
    """Open the demo store, move to the genomics bucket, save an SVG."""
    app = AllasApp(profile=None)
    async with app.run_test(size=(110, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("down", "down", "down")
        await pilot.pause()
        app.save_screenshot("browser.svg", path=str(HERE))
    print(HERE / "browser.svg")


if __name__ == "__main__":
    asyncio.run(main())
