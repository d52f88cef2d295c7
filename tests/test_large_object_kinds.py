"""Large objects, understood: segment storage hidden behind `.`, true sizes
and kind markers for SLO, DLO and multipart objects (a HEAD for just the rows
on screen that need one), and the guard before an S3 download of a Swift
large object.

One bucket per server holds what each kind of tool leaves: an SLO uploaded
over Swift (segments in `<bucket>_segments`), a DLO made by hand with
`X-Object-Manifest`, an S3 multipart upload (on OpenStack Swift its parts go
to `<bucket>+segments`), a Cyberduck-style `.file-segments/` folder, an empty
file and a small plain file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SMALL_CHUNKS, Stack, remove_bucket, unique_name
from test_browser_story import profile_for
from textual.pilot import Pilot
from ui_driver import (
    cursor_to,
    open_row,
    shown_keys,
    table,
    toasts,
    type_text,
    wait_for,
    wait_idle,
)

from allas_tui.storage.models import ObjectKind
from allas_tui.storage.swift import SwiftBackend
from allas_tui.transfers.walking import SEGMENT_SKIPPED
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.confirm import ConfirmScreen
from allas_tui.ui.screens.prompt import PromptScreen
from allas_tui.ui.widgets.object_pane import ObjectPane

pytestmark = pytest.mark.stack

SIZE = 20 * 1000 * 1000
"""Three segments or parts at SMALL_CHUNKS."""
HALF = SIZE // 2


class Shelf:
    """The bucket of large objects on one server, and its content."""

    def __init__(self, server: str, bucket: str, data: bytes) -> None:
        self.server = server
        self.bucket = bucket
        self.data = data
        self.md5 = hashlib.md5(data).hexdigest()


@pytest.fixture(scope="module", params=["rgw", "swift"])
def shelf(request: pytest.FixtureRequest, stack: Stack, tmp_path_factory) -> Iterator[Shelf]:
    server = request.param
    swift = stack.backend(f"{server}-swift")
    s3 = stack.backend(f"{server}-s3")
    assert isinstance(swift, SwiftBackend)
    bucket = unique_name("kinds")
    data = os.urandom(SIZE)
    source = tmp_path_factory.mktemp("kinds") / "data.bin"
    source.write_bytes(data)
    swift.create_bucket(bucket)
    try:
        swift.upload_file(source, bucket, "slo.bin")
        s3.upload_file(source, bucket, "mpu.bin")
        raw = swift.connections.get()
        raw.put_container(f"{bucket}_segments")
        raw.put_object(f"{bucket}_segments", "dlo/0001", data[:HALF])
        raw.put_object(f"{bucket}_segments", "dlo/0002", data[HALF:])
        manifest = {"X-Object-Manifest": f"{bucket}_segments/dlo/"}
        raw.put_object(bucket, "dlo.bin", b"", headers=manifest)
        # a DLO small enough to come down in one GET
        raw.put_object(f"{bucket}_segments", "tiny/1", b"abc")
        raw.put_object(f"{bucket}_segments", "tiny/2", b"def")
        tiny = {"X-Object-Manifest": f"{bucket}_segments/tiny/"}
        raw.put_object(bucket, "tiny-dlo.txt", b"", headers=tiny)
        raw.put_object(bucket, ".file-segments/cyber.bin/1/00000001", b"segment")
        raw.put_object(bucket, "empty.txt", b"")
        raw.put_object(bucket, "plain.txt", b"hello")
        yield Shelf(server, bucket, data)
    finally:
        for name in (f"{bucket}+segments", f"{bucket}_segments", bucket):
            remove_bucket(swift, name)


def _rendered(app: AllasApp) -> dict[str, str]:
    """Each shown row's line as painted, by key."""
    rows = table(app).store.view
    return {row.key: table(app).render_line(i + 1).text for i, row in enumerate(rows)}


async def _open_shelf(pilot: Pilot[int], app: AllasApp, shelf: Shelf) -> None:
    await wait_idle(pilot, app)
    await open_row(pilot, app, shelf.bucket)


def _learned_all(app: AllasApp, keys: set[str]) -> bool:
    return keys <= set(table(app).heads.learned)


@pytest.mark.parametrize("protocol", ["swift", "s3"])
async def test_true_sizes_and_kind_markers(shelf: Shelf, stack: Stack, protocol: str) -> None:
    """Every large object shows its kind and its real size; only the rows a
    listing leaves in doubt (a manifest's own size, or 0 bytes) get a HEAD."""
    server = shelf.server
    combination = f"{server}-{protocol}"
    app = AllasApp(profile_for(stack, combination), settings=SMALL_CHUNKS)
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_shelf(pilot, app, shelf)
        # radosgw lists a Swift SLO by its manifest's size: it needs a HEAD too
        in_doubt = {"dlo.bin", "empty.txt", "tiny-dlo.txt"} | (
            {"slo.bin"} if server == "rgw" else set()
        )
        await wait_for(pilot, lambda: _learned_all(app, in_doubt), "HEADs of the rows in doubt")
        await pilot.pause(0.2)
        assert set(table(app).heads.learned) == in_doubt, "a HEAD for a row the listing told"
        lines = _rendered(app)
    real = "20.0 MB"
    assert lines["slo.bin"].split()[:1] == ["slo"] and real in lines["slo.bin"], lines
    assert lines["dlo.bin"].split()[:1] == ["dlo"] and real in lines["dlo.bin"], lines
    # what an S3 tool uploaded: multipart over S3; OpenStack Swift's s3api
    # stores it as an SLO, which its Swift side shows
    mpu_kind = "slo" if combination == "swift-swift" else "mpu"
    assert lines["mpu.bin"].split()[:1] == [mpu_kind] and real in lines["mpu.bin"], lines
    assert lines["empty.txt"].split()[:2] == ["empty.txt", "0"], lines
    assert lines["tiny-dlo.txt"].split()[:3] == ["dlo", "tiny-dlo.txt", "6"], lines
    assert lines["plain.txt"].split()[:3] == ["plain.txt", "5", "bytes"], lines


@pytest.mark.parametrize("protocol", ["swift", "s3"])
async def test_segment_storage_is_hidden_until_asked(
    shelf: Shelf, stack: Stack, protocol: str
) -> None:
    """`<bucket>_segments`, `<bucket>+segments` and `.file-segments/` are
    hidden in the table and the tree, and the subtitle says so; `.` shows
    them, and `.` again hides them."""
    server = shelf.server
    app = AllasApp(profile_for(stack, f"{server}-{protocol}"), settings=SMALL_CHUNKS)
    # s3api keeps its multipart parts in a bucket that only Swift lists
    companions = {f"{shelf.bucket}_segments"}
    if (server, protocol) == ("swift", "swift"):
        companions.add(f"{shelf.bucket}+segments")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_idle(pilot, app)
        buckets = set(shown_keys(app))
        assert shelf.bucket in buckets and not companions & buckets
        tree_labels = {str(n.label) for n in app.query_one("#buckets").root.children}  # type: ignore[attr-defined]
        assert shelf.bucket in tree_labels and not companions & tree_labels
        subtitle = str(app.query_one(ObjectPane).border_subtitle)
        assert "segment store" in subtitle and "hidden (. shows)" in subtitle, subtitle

        await pilot.press("full_stop")
        await wait_idle(pilot, app)
        assert companions <= set(shown_keys(app))
        tree_labels = {str(n.label) for n in app.query_one("#buckets").root.children}  # type: ignore[attr-defined]
        assert companions <= tree_labels
        assert "hidden" not in str(app.query_one(ObjectPane).border_subtitle)
        await open_row(pilot, app, shelf.bucket)
        assert ".file-segments/" in shown_keys(app)

        await pilot.press("full_stop")
        await wait_idle(pilot, app)
        assert ".file-segments/" not in shown_keys(app)
        assert "slo.bin" in shown_keys(app)
        subtitle = str(app.query_one(ObjectPane).border_subtitle)
        assert "1 segment store hidden (. shows)" in subtitle, subtitle


async def _mark(pilot: Pilot[int], app: AllasApp, keys: list[str]) -> None:
    for key in keys:
        await cursor_to(pilot, app, key)
        await pilot.press("space")


@pytest.mark.parametrize("protocol", ["swift", "s3"])
async def test_the_mixing_guard(shelf: Shelf, stack: Stack, protocol: str, tmp_path: Path) -> None:
    """Over S3, downloading Swift large objects first says that only their
    sizes can be checked and how to have them checked; Esc downloads nothing,
    `c` downloads them byte-exact and each says it was not checked. Over
    Swift no guard is needed: each segment's MD5 is checked."""
    server = shelf.server
    app = AllasApp(profile_for(stack, f"{server}-{protocol}"), settings=SMALL_CHUNKS)
    wanted = ["dlo.bin", "plain.txt", "slo.bin", "tiny-dlo.txt"]
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_shelf(pilot, app, shelf)
        await _mark(pilot, app, wanted)
        await pilot.press("d")
        if protocol == "s3":
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the guard")
            body = str(app.screen.query_one("#dialog-body").render())
            assert "3 objects here were split into segments by a Swift tool" in body, body
            assert "DLO  dlo.bin" in body and "SLO  slo.bin" in body, body
            assert "DLO  tiny-dlo.txt" in body, body
            assert "plain.txt" not in body
            assert "only the size is checked" in body and "Swift login" in body, body
            await pilot.press("escape")
            await pilot.pause(0.2)
            assert not isinstance(app.screen, (ConfirmScreen, PromptScreen))
            assert app.queue is not None and not app.queue.jobs, "Esc still downloaded"
            await pilot.press("d")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the guard")
            await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), "where to")
        await type_text(pilot, str(tmp_path) + "/")
        await pilot.press("enter")
        await wait_idle(pilot, app)
        assert app.queue is not None
        notes = {job.key: job.note for job in app.queue.jobs}
        sizes = {job.key: (job.done_bytes, job.size) for job in app.queue.jobs}
        assert app.queue.snapshot().done_bytes == 2 * SIZE + 5 + 6
    for key in ("slo.bin", "dlo.bin"):
        got = hashlib.md5((tmp_path / key).read_bytes()).hexdigest()
        assert got == shelf.md5, f"{key} downloaded wrong over {protocol}"
        if protocol == "s3":
            assert notes[key].startswith("not checked: it is a Swift"), notes
        else:
            assert notes[key] == "verified (segment MD5s)", notes
        # the panel counts a DLO's real bytes, not the 0 its listing gave
        assert sizes[key] == (SIZE, SIZE), sizes
    assert (tmp_path / "plain.txt").read_bytes() == b"hello"
    assert (tmp_path / "tiny-dlo.txt").read_bytes() == b"abcdef"
    assert sizes["tiny-dlo.txt"] == (6, 6), sizes
    check = "not checked: it is a Swift" if protocol == "s3" else "verified (segment MD5s)"
    assert notes["tiny-dlo.txt"].startswith(check), notes
    assert notes["plain.txt"] == "verified (MD5)", notes


def test_kinds_seen_by_the_storage_layer(shelf: Shelf, stack: Stack) -> None:
    """What each protocol's listing and HEAD say of each kind, on each server."""
    server = shelf.server
    for protocol in ("swift", "s3"):
        backend = stack.backend(f"{server}-{protocol}")
        heads = {k: backend.head_object(shelf.bucket, k).kind for k in ("slo.bin", "mpu.bin")}
        assert heads["slo.bin"] is ObjectKind.SLO, (protocol, heads)
        made_by_s3 = ObjectKind.SLO if (server, protocol) == ("swift", "swift") else None
        assert heads["mpu.bin"] is (made_by_s3 or ObjectKind.MULTIPART), (protocol, heads)
        dlo = backend.head_object(shelf.bucket, "dlo.bin")
        # s3api on OpenStack Swift says nothing of a DLO: the listing's 0 bytes tell
        hidden_dlo = (server, protocol) == ("swift", "s3")
        assert dlo.kind is (ObjectKind.PLAIN if hidden_dlo else ObjectKind.DLO), protocol
        assert dlo.size == SIZE


async def test_a_folder_download_leaves_out_segment_folders(
    shelf: Shelf, stack: Stack, tmp_path: Path
) -> None:
    """The whole bucket, over Swift: each large object comes down whole, and
    Cyberduck's `.file-segments/` is left out (saying so), not saved twice."""
    app = AllasApp(profile_for(stack, f"{shelf.server}-swift"), settings=SMALL_CHUNKS)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await wait_idle(pilot, app)
        await cursor_to(pilot, app, shelf.bucket)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), "where to")
        await type_text(pilot, str(tmp_path) + "/")
        await pilot.press("enter")
        await wait_idle(pilot, app)
        assert app.queue is not None
        (batch,) = app.queue.batches
        shown = toasts(app)
    saved = tmp_path / shelf.bucket
    assert not (saved / ".file-segments").exists()
    assert batch.skipped == {".file-segments/cyber.bin/1/00000001": SEGMENT_SKIPPED}
    assert "1 left out" in shown and ".file-segments/cyber.bin/1/00000001" in shown
    for key in ("slo.bin", "dlo.bin", "mpu.bin"):
        assert hashlib.md5((saved / key).read_bytes()).hexdigest() == shelf.md5, key
