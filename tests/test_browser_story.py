"""A researcher's session, typed key by key, on Swift and on S3, on both servers:
see a bucket the other protocol made, create a bucket, upload a file and a
directory, download two objects, delete them, and delete the bucket."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import COMBINATIONS, SMALL_CHUNKS, Stack, remove_bucket, unique_name
from ui_driver import cursor_to, open_row, shown_keys, table, type_text, wait_for, wait_idle

from allas_tui.storage.models import Protocol
from allas_tui.storage.profiles import ConnectionProfile
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.confirm import ConfirmScreen
from allas_tui.ui.screens.prompt import PromptScreen
from allas_tui.ui.screens.upload_dialog import UploadDialog


def profile_for(stack: Stack, combination: str) -> ConnectionProfile:
    """A profile for allasuser's project on one server and protocol."""
    server, protocol = combination.split("-")
    if protocol == Protocol.SWIFT:
        return ConnectionProfile("test", "tests", swift=stack.swift_login(server))
    return ConnectionProfile("test", "tests", s3=stack.s3_login(server))


def other_protocol(combination: str) -> str:
    server, protocol = combination.split("-")
    return f"{server}-{'s3' if protocol == 'swift' else 'swift'}"


@pytest.mark.parametrize("combination", COMBINATIONS)
async def test_a_whole_session_with_the_keyboard(
    stack: Stack, combination: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the dialogs start in the current directory
    other = stack.backend(other_protocol(combination))
    shared = unique_name("made-by-other")
    other.create_bucket(shared)
    created = unique_name("story")
    local = tmp_path / "local"
    (local / "results" / "deep").mkdir(parents=True)
    (local / "notes.txt").write_bytes(b"first notes\n" * 1000)
    first = local / "results" / "run1.csv"
    second = local / "results" / "deep" / "run2.bin"
    first.write_bytes(b"a,b,c\n1,2,3\n" * 5000)
    second.write_bytes(bytes(range(256)) * 4096)
    downloads = tmp_path / "downloads"
    app = AllasApp(profile_for(stack, combination), settings=SMALL_CHUNKS)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_idle(pilot, app)
            # a bucket made over the other protocol is listed
            assert shared in shown_keys(app)

            # n: create a bucket, the name checked as typed
            await pilot.press("n")
            assert isinstance(app.screen, PromptScreen)
            await type_text(pilot, "x")
            problem = str(app.screen.query_one("#prompt-problem").render())
            assert "at least 3 characters" in problem
            await type_text(pilot, created)
            await pilot.press("enter")
            await wait_for(pilot, lambda: created in shown_keys(app), "the new bucket")
            await wait_idle(pilot, app)
            assert created in [b.name for b in other.list_buckets()]

            # open it: an empty bucket says so
            await open_row(pilot, app, created)
            assert table(app).placeholder.startswith("Bucket is empty")

            # u: a file, typed into the path input
            await pilot.press("u")
            assert isinstance(app.screen, UploadDialog)
            await type_text(pilot, "local/notes.txt")
            await pilot.press("enter")
            await wait_for(pilot, lambda: "notes.txt" in shown_keys(app), "notes.txt listed")
            # u: a directory, everything in it
            await pilot.press("u")
            await type_text(pilot, "local/results")
            await pilot.press("enter")
            await wait_for(pilot, lambda: "results/" in shown_keys(app), "results/ listed")
            await wait_idle(pilot, app)
            assert set(shown_keys(app)) == {"notes.txt", "results/"}

            # into the folder: mark two objects with space, d downloads them
            await open_row(pilot, app, "results/")
            assert shown_keys(app) == ["results/deep/", "results/run1.csv"]
            await pilot.press("l")  # l opens, like Enter
            await wait_idle(pilot, app)
            assert shown_keys(app) == ["results/deep/run2.bin"]
            await pilot.press("h")  # h goes up, like Backspace
            await wait_idle(pilot, app)
            await cursor_to(pilot, app, "results/deep/")
            await pilot.press("space", "space")
            assert table(app).store.marked == {"results/deep/", "results/run1.csv"}
            await pilot.press("d")
            assert isinstance(app.screen, PromptScreen)
            await type_text(pilot, "downloads")
            await pilot.press("enter")
            await wait_idle(pilot, app)
            assert (downloads / "run1.csv").read_bytes() == first.read_bytes()
            assert (downloads / "deep" / "run2.bin").read_bytes() == second.read_bytes()

            # x deletes the marked two, after saying exactly what goes
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirm")
            body = str(app.screen.query_one("#dialog-body").render())
            size = first.stat().st_size + second.stat().st_size
            assert f"Delete 2 objects ({_decimal(size)}) from bucket {created}" in body
            assert "results/run1.csv" in body and "results/deep/run2.bin" in body
            await pilot.press("y")
            await wait_idle(pilot, app)
            assert shown_keys(app) == []

            # up to the bucket, delete the last file, then the empty bucket
            await pilot.press("backspace")
            await wait_idle(pilot, app)
            assert shown_keys(app) == ["notes.txt"]
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirm")
            await pilot.press("enter")
            await wait_idle(pilot, app)
            await pilot.press("backspace")
            await wait_idle(pilot, app)
            await cursor_to(pilot, app, created)
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirm")
            body = str(app.screen.query_one("#dialog-body").render())
            assert f"bucket {created}: empty" in body
            await pilot.press("y")
            await wait_idle(pilot, app)
            assert created not in shown_keys(app)
            assert created not in [b.name for b in other.list_buckets()]
    finally:
        remove_bucket(other, shared)
        remove_bucket(other, created)


def _decimal(size: int) -> str:
    from rich.filesize import decimal

    return decimal(size)
