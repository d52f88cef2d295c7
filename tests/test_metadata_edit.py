"""e edits an object's content type and user metadata, in place, on both
servers and protocols; the bytes stay as they were, and a Swift large object
stays one. Over S3 a Swift large object is refused before any editing, with
what to do instead."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SMALL_CHUNKS, Stack, remove_bucket, unique_name
from test_browser_story import profile_for
from textual.pilot import Pilot
from textual.widgets import TextArea
from ui_driver import cursor_to, open_row, toasts, type_text, wait_for, wait_idle

from allas_tui.storage.models import ObjectKind
from allas_tui.storage.swift import SwiftBackend
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.metadata import MetadataScreen

pytestmark = pytest.mark.stack

COMBINATIONS = ["rgw-swift", "rgw-s3", "swift-swift", "swift-s3"]
CSV = b"run,value\n1,0.5\n2,0.7\n"


@pytest.fixture
def shelf(stack: Stack, combination: str, tmp_path: Path) -> Iterator[tuple[str, bytes]]:
    """A bucket with a small CSV (with metadata) and an SLO uploaded over Swift."""
    server = combination.split("-")[0]
    swift = stack.backend(f"{server}-swift")
    assert isinstance(swift, SwiftBackend)
    bucket = unique_name("meta")
    swift.create_bucket(bucket)
    raw = swift.connections.get()
    headers = {"X-Object-Meta-Project": "old", "Content-Type": "text/plain"}
    raw.put_object(bucket, "notes.csv", CSV, headers=headers)
    big = os.urandom(20 * 1000 * 1000)
    source = tmp_path / "big.bin"
    source.write_bytes(big)
    swift.upload_file(source, bucket, "big.bin")
    try:
        yield bucket, big
    finally:
        remove_bucket(swift, f"{bucket}_segments")
        remove_bucket(swift, bucket)


async def _edit(pilot: Pilot[int], app: AllasApp, content_type: str, lines: str) -> None:
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, MetadataScreen), "the editor")
    await type_text(pilot, content_type)  # the content type has focus
    app.screen.query_one(TextArea).load_text(lines)
    await pilot.press("ctrl+s")
    await wait_idle(pilot, app)


@pytest.mark.parametrize("combination", COMBINATIONS)
async def test_metadata_edit_in_place(
    stack: Stack, combination: str, shelf: tuple[str, bytes], tmp_path: Path
) -> None:
    bucket, big = shelf
    server, protocol = combination.split("-")
    app = AllasApp(profile_for(stack, combination), settings=SMALL_CHUNKS)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_idle(pilot, app)
        await open_row(pilot, app, bucket)
        await cursor_to(pilot, app, "notes.csv")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, MetadataScreen), "the editor")
        assert app.screen.query_one(TextArea).text == "project: old"
        await pilot.press("escape")  # nothing changes
        await _edit(pilot, app, "text/plain", "not a line")
        assert isinstance(app.screen, MetadataScreen), "a bad line was saved"
        problem = str(app.screen.query_one("#metadata-problem").render())
        assert "Line 1: write name: value" in problem
        await pilot.press("escape")

        await _edit(pilot, app, "text/csv", "owner: alice\nRun: 42\n")
        assert "Saved the metadata of notes.csv" in toasts(app)

        await cursor_to(pilot, app, "big.bin")
        await pilot.press("e")
        if protocol == "s3":
            await wait_for(pilot, lambda: "Log in over Swift" in toasts(app), "the refusal")
            assert not isinstance(app.screen, MetadataScreen)
            assert "a Swift SLO: over S3, changing it in place" in toasts(app)
        else:
            await wait_for(pilot, lambda: isinstance(app.screen, MetadataScreen), "editor")
            app.screen.query_one(TextArea).load_text("checked: yes")
            await pilot.press("ctrl+s")
            await wait_idle(pilot, app)

    # read back over the other protocol: the same store
    other = stack.backend(f"{server}-{'s3' if protocol == 'swift' else 'swift'}")
    head = other.head_object(bucket, "notes.csv")
    assert dict(head.metadata) == {"owner": "alice", "run": "42"}, head.metadata
    assert (head.content_type or "").startswith("text/csv")
    out = tmp_path / "back.csv"
    other.download_file(bucket, "notes.csv", out, overwrite=True)
    assert out.read_bytes() == CSV

    swift = stack.backend(f"{server}-swift")
    slo = swift.head_object(bucket, "big.bin")
    assert slo.kind is ObjectKind.SLO, "the large object is no longer one"
    if protocol == "swift":
        assert slo.metadata.get("checked") == "yes"
    else:
        assert "checked" not in slo.metadata
    back = tmp_path / "back.bin"
    swift.download_file(bucket, "big.bin", back, overwrite=True)
    assert hashlib.md5(back.read_bytes()).hexdigest() == hashlib.md5(big).hexdigest()
