"""c and m in the real app, on both servers and protocols: a folder copied
to a bucket that does not exist yet (created on a yes), asked about before
anything is replaced, then renamed in place, and one object renamed; every
byte checked from outside. Over S3 a Swift large object is refused with why,
and a move leaves it where it was."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SMALL_CHUNKS, Stack, remove_bucket, unique_name
from test_browser_story import other_protocol, profile_for
from textual.pilot import Pilot
from ui_driver import cursor_to, open_row, toasts, type_text, wait_for, wait_idle

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.models import ObjectKind
from allas_tui.storage.settings import MiB
from allas_tui.storage.swift_segments import segment_container
from allas_tui.transfers.jobs import Direction, JobState
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.confirm import ConfirmScreen
from allas_tui.ui.screens.prompt import PromptScreen
from allas_tui.ui.widgets.transfer_panel import TransferPanel

pytestmark = pytest.mark.stack

SETTINGS = dataclasses.replace(
    SMALL_CHUNKS, chunk_threshold=5 * MiB, chunk_size=5 * MiB, copy_threshold=6 * MiB
)
COMBINATIONS = ["rgw-swift", "rgw-s3", "swift-swift", "swift-s3"]


@dataclasses.dataclass
class Shelf:
    source: str
    target: str
    digests: dict[str, str]
    """MD5 of each object under runs/, by name."""


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


@pytest.fixture
def shelf(stack: Stack, combination: str, tmp_path: Path) -> Iterator[Shelf]:
    """runs/ holds a small file and a 13 MiB one uploaded over the protocol
    under test (S3 multipart or Swift SLO), and an SLO made over Swift."""
    server = combination.split("-")[0]
    backend = stack.backend(combination, SETTINGS)
    swift = stack.backend(f"{server}-swift", SETTINGS)
    source, target = unique_name("cmsrc"), unique_name("cmdst")
    backend.create_bucket(source)
    files = {
        "small.txt": b"a small file\n",
        "chunked.bin": os.urandom(13 * MiB),
        "swift-slo.bin": os.urandom(11 * MiB),
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        uploader = swift if name == "swift-slo.bin" else backend
        uploader.upload_file(path, source, f"runs/{name}")
    assert swift.head_object(source, "runs/swift-slo.bin").kind is ObjectKind.SLO
    try:
        yield Shelf(source, target, {name: _md5(data) for name, data in files.items()})
    finally:
        for bucket in (source, target):
            remove_bucket(swift, bucket)
            remove_bucket(swift, segment_container(bucket))


def _digest(backend: StorageBackend, bucket: str, key: str, tmp_path: Path) -> str:
    out = tmp_path / "check" / key
    out.parent.mkdir(parents=True, exist_ok=True)
    backend.download_file(bucket, key, out, overwrite=True)
    return _md5(out.read_bytes())


def _keys(backend: StorageBackend, bucket: str, prefix: str) -> set[str]:
    return {o.key for page in backend.iter_pages(bucket, prefix) for o in page.objects}


async def _answer_prompt(pilot: Pilot[int], app: AllasApp, destination: str) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), "the destination prompt")
    await type_text(pilot, destination)
    await pilot.press("enter")


async def _confirm(pilot: Pilot[int], app: AllasApp, title: str, key: str) -> str:
    """Wait for the confirmation called `title`, press `key`; its body."""
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, ConfirmScreen) and app.screen.title_text.startswith(title),
        f"the confirmation {title!r}",
    )
    body = str(app.screen.query_one("#dialog-body").render())
    await pilot.press(key)
    return body


@pytest.mark.parametrize("combination", COMBINATIONS)
async def test_copy_move_and_rename_a_folder(
    stack: Stack, combination: str, shelf: Shelf, tmp_path: Path
) -> None:
    server, protocol = combination.split("-")
    source, target = shelf.source, shelf.target
    # checked over the other protocol: what one wrote, the other reads
    outside = stack.backend(other_protocol(combination), SETTINGS)
    swift = stack.backend(f"{server}-swift", SETTINGS)
    names = set(shelf.digests) if protocol == "swift" else {"small.txt", "chunked.bin"}
    app = AllasApp(profile_for(stack, combination), settings=SETTINGS)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_idle(pilot, app)
        await open_row(pilot, app, source)
        queue = app.queue
        assert queue is not None

        # copy runs/ into a bucket that does not exist yet
        await cursor_to(pilot, app, "runs/")
        await pilot.press("c")
        await _answer_prompt(pilot, app, f"{target}/archive/")
        body = await _confirm(pilot, app, "No such bucket", "c")
        assert f"There is no bucket {target}" in body
        await wait_idle(pilot, app)
        assert app.query_one(TransferPanel).display
        copies = [j for j in queue.jobs if j.direction is Direction.COPY]
        assert len(copies) == 3
        for job in copies:
            if job.key.endswith("swift-slo.bin") and protocol == "s3":
                assert job.state is JobState.FAILED
                assert "S3 cannot copy its segments" in str(job.error)
            else:
                assert job.state is JobState.DONE, (job.key, job.error)
                assert job.done_bytes == job.size > 0 and job.note.startswith("copied: ")
        if protocol == "s3":
            assert "Copy or move it with a Swift login" in toasts(app)
        assert _keys(outside, target, "") == {f"archive/runs/{n}" for n in names}
        for name in names:
            got = _digest(outside, target, f"archive/runs/{name}", tmp_path)
            assert got == shelf.digests[name], name

        # the same again: asked first, and s skips every one
        before = {k: outside.head_object(target, k).etag for k in _keys(outside, target, "")}
        await cursor_to(pilot, app, "runs/")
        await pilot.press("c")
        await _answer_prompt(pilot, app, f"{target}/archive/")
        body = await _confirm(pilot, app, "copy from", "s")
        # asked as soon as one target is found to exist; the answer holds for all
        assert "already exist" in body
        assert any(f"{target}/archive/runs/{name}" in body for name in names), body
        await wait_idle(pilot, app)
        again = [j for j in queue.jobs if j.direction is Direction.COPY][3:]
        assert {j.state for j in again if not j.key.endswith("swift-slo.bin")} == {JobState.SKIPPED}
        after = {k: outside.head_object(target, k).etag for k in _keys(outside, target, "")}
        assert after == before

        # rename runs/ to old-runs/ in its bucket
        await cursor_to(pilot, app, "runs/")
        await pilot.press("m")
        await _answer_prompt(pilot, app, f"{source}/old-runs")
        body = await _confirm(pilot, app, "Rename?", "m")
        assert f"Rename runs/ (every object in it)\nto old-runs/ in bucket {source}." in body
        assert "only then is the source deleted" in body
        await wait_idle(pilot, app)
        assert _keys(outside, source, "old-runs/") == {f"old-runs/{n}" for n in names}
        # over S3 the Swift large object stays where it was, whole
        left = set(shelf.digests) - names
        assert _keys(outside, source, "runs/") == {f"runs/{n}" for n in left}
        for name in names:
            got = _digest(outside, source, f"old-runs/{name}", tmp_path)
            assert got == shelf.digests[name], name
        if protocol == "swift":  # the moved SLOs took their old segments with them
            segments = _keys(swift, segment_container(source), "")
            assert not [s for s in segments if s.startswith("runs/")], segments

        # rename one object
        await open_row(pilot, app, "old-runs/")
        await cursor_to(pilot, app, "old-runs/small.txt")
        await pilot.press("m")
        await _answer_prompt(pilot, app, f"{source}/old-runs/small-renamed.txt")
        await _confirm(pilot, app, "Rename?", "enter")
        await wait_idle(pilot, app)
        assert "old-runs/small-renamed.txt" in _keys(outside, source, "old-runs/")
        assert "old-runs/small.txt" not in _keys(outside, source, "old-runs/")
        got = _digest(outside, source, "old-runs/small-renamed.txt", tmp_path)
        assert got == shelf.digests["small.txt"]


@pytest.mark.parametrize("combination", ["rgw-s3", "swift-s3"])
async def test_the_guard_names_swift_large_objects_before_an_s3_copy(
    stack: Stack, combination: str, shelf: Shelf
) -> None:
    app = AllasApp(profile_for(stack, combination), settings=SETTINGS)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_idle(pilot, app)
        await open_row(pilot, app, shelf.source)
        await open_row(pilot, app, "runs/")
        await cursor_to(pilot, app, "runs/swift-slo.bin")
        await pilot.press("m")
        body = await _confirm(pilot, app, "Large objects made by a Swift tool", "l")
        assert "SLO  swift-slo.bin" in body
        assert "deleting either one would\nbreak the other" in body
        await wait_for(pilot, lambda: "Nothing left to move." in toasts(app), "the end")
        assert not isinstance(app.screen, PromptScreen)
        assert app.queue is not None and not app.queue.jobs
