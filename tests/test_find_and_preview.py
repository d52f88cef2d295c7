"""Find (f) and preview (v) against the local Allas, on both servers and protocols.

Find lists every name under the folder, streams the matches into the table,
and Enter on one opens its folder with the cursor on it. Preview fetches the
start of an object in one ranged GET and shows it as highlighted text, made
inert, or as hex.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from conftest import SMALL_CHUNKS, Stack, remove_bucket, unique_name
from test_browser_story import profile_for
from textual.geometry import Region
from textual.pilot import Pilot
from ui_driver import cursor_to, open_row, shown_keys, table, type_text, wait_for, wait_idle

from allas_tui.storage.swift import SwiftBackend
from allas_tui.ui.app import AllasApp
from allas_tui.ui.previewing import PREVIEW_BYTES
from allas_tui.ui.screens.preview import PreviewScreen
from allas_tui.ui.screens.prompt import PromptScreen

pytestmark = pytest.mark.stack

COMBINATIONS = ["rgw-swift", "rgw-s3", "swift-swift", "swift-s3"]
SCRIPT = b'def main():\n    print("\x1b[31mred\x1b[0m")  # an escape sequence in a file\n'
BIG_LOG = b"".join(b"line %06d of a long log\n" % n for n in range(12_000))  # 312 kB
BLOB = os.urandom(100_000)


@pytest.fixture
def tree(stack: Stack, combination: str) -> Iterator[str]:
    server = combination.split("-")[0]
    swift = stack.backend(f"{server}-swift")
    assert isinstance(swift, SwiftBackend)
    bucket = unique_name("find")
    swift.create_bucket(bucket)
    raw = swift.connections.get()
    objects = {
        "runs/run01/a.fastq.gz": b"A" * 10,
        "runs/run02/b.FASTQ.gz": b"B" * 10,
        "runs/run02/notes.txt": b"notes",
        "runs/fastq.gz.md5": b"sums",
        "scripts/tool.py": SCRIPT,
        "logs/big.log": BIG_LOG,
        "data/blob.bin": b"\x00\x01" + BLOB,
    }
    for key, body in objects.items():
        raw.put_object(bucket, key, body)
    try:
        yield bucket
    finally:
        remove_bucket(swift, bucket)


async def _find(pilot: Pilot[int], app: AllasApp, pattern: str) -> None:
    await pilot.press("f")
    await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), "the find prompt")
    await type_text(pilot, pattern)
    await pilot.press("enter")
    await wait_idle(pilot, app)


@pytest.mark.parametrize("combination", COMBINATIONS)
async def test_find_streams_matches_that_open_at_their_folder(
    stack: Stack, combination: str, tree: str
) -> None:
    app = AllasApp(profile_for(stack, combination), settings=SMALL_CHUNKS)
    async with app.run_test(size=(120, 34)) as pilot:
        await wait_idle(pilot, app)
        await cursor_to(pilot, app, tree)
        await _find(pilot, app, "*.fastq.gz")  # from the bucket list: that bucket
        # a glob matches the name's last part, ignoring case; not "fastq.gz.md5"
        assert shown_keys(app) == ["runs/run01/a.fastq.gz", "runs/run02/b.FASTQ.gz"]
        # the Name column shows where each lies under the folder searched
        assert table(app).store.view[0].name == "runs/run01/a.fastq.gz"
        subtitle = str(app.query_one("#object-pane").border_subtitle)
        assert "7 names searched" in subtitle, subtitle

        await cursor_to(pilot, app, "runs/run02/b.FASTQ.gz")
        await pilot.press("enter")
        await wait_idle(pilot, app)
        assert (app.location.bucket, app.location.prefix) == (tree, "runs/run02/")
        assert not app.location.pattern
        current = table(app).current_row
        assert current is not None and current.key == "runs/run02/b.FASTQ.gz"

        # inside a folder, plain text searches only below it
        await pilot.press("backspace")
        await wait_idle(pilot, app)
        assert app.location.prefix == "runs/"
        await _find(pilot, app, "NOTES")
        assert shown_keys(app) == ["runs/run02/notes.txt"]
        await _find(pilot, app, "no-such-name")
        assert shown_keys(app) == []
        assert "match 'no-such-name'" in table(app).placeholder
        await pilot.press("backspace")  # back to the folder searched
        await wait_idle(pilot, app)
        assert app.location.prefix == "runs/" and not app.location.pattern


async def _preview(pilot: Pilot[int], app: AllasApp, key: str) -> PreviewScreen:
    await cursor_to(pilot, app, key)
    await pilot.press("v")
    await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen), f"preview of {key}")
    await pilot.pause(0.2)
    screen = app.screen
    assert isinstance(screen, PreviewScreen)
    return screen


def _shown(screen: PreviewScreen, part: str) -> str:
    return str(screen.query_one(part).render())


def _painted(screen: PreviewScreen) -> list[str]:
    """The preview body's lines as the screen paints them."""
    body = screen.query_one("#preview-body")
    return [strip.text for strip in body.render_lines(Region(0, 0, *body.size))]


@pytest.mark.parametrize("combination", COMBINATIONS)
async def test_preview_text_hex_and_a_ranged_start(
    stack: Stack, combination: str, tree: str
) -> None:
    app = AllasApp(profile_for(stack, combination), settings=SMALL_CHUNKS)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_idle(pilot, app)
        await open_row(pilot, app, tree)

        await open_row(pilot, app, "scripts/")
        screen = await _preview(pilot, app, "scripts/tool.py")
        assert screen.preview.text is not None and screen.preview.data == SCRIPT
        painted = "\n".join(_painted(screen))
        assert "def main():" in painted and "␛[31mred␛[0m" in painted, painted
        assert "\x1b" not in painted
        assert "text, 70 bytes; showing all" in _shown(screen, "#preview-about")
        await pilot.press("x")  # the same bytes in hex
        await pilot.pause(0.1)
        hexed = _painted(screen)
        assert hexed[0].startswith("00000000  64 65 66 20 6d 61 69 6e"), hexed[0]
        await pilot.press("escape", "backspace")
        await wait_idle(pilot, app)

        await open_row(pilot, app, "logs/")
        screen = await _preview(pilot, app, "logs/big.log")
        assert screen.preview.data == BIG_LOG[:PREVIEW_BYTES]  # only the start came
        assert screen.preview.partial
        assert "showing the first 65.5 kB of 312.0 kB" in _shown(screen, "#preview-about")
        await pilot.press("escape", "backspace")
        await wait_idle(pilot, app)

        await open_row(pilot, app, "data/")
        screen = await _preview(pilot, app, "data/blob.bin")
        assert screen.preview.text is None
        assert "binary data" in _shown(screen, "#preview-about")
        first = _painted(screen)[0]
        assert first.startswith("00000000  00 01"), first
        await pilot.press("escape")
