"""Regenerate the README's screenshots with Textual's pilot, on the demo store.
The SVG snapshot tests run the same scenes (tests/test_snapshots.py).

Run: .venv/bin/python screenshots/generate.py
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from scenes import SCENES, SIZE, demo_app

HERE = Path(__file__).parent


async def main() -> None:
    """Run each scene and save what it shows as an SVG."""
    for name, scene in SCENES.items():
        app = demo_app()
        async with app.run_test(size=SIZE) as pilot:
            await scene(pilot)
            app.save_screenshot(f"{name}.svg", path=str(HERE))
        print(HERE / f"{name}.svg")


if __name__ == "__main__":
    asyncio.run(main())
