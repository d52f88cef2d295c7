"""Deleting safely: a bucket's `_segments` companion is named and deleted
only if the user says so; a large delete shows progress, ends with a count,
and can be stopped; a fault part-way is reported exactly (checked against
the server), with every name in a report file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SMALL_CHUNKS, Stack, remove_bucket, unique_name
from fault_proxy import INTERNAL_ERROR, FaultProxy
from relay_backends import backend_via, object_port, relay_tls
from rich.filesize import decimal
from test_browser_story import profile_for
from textual.pilot import Pilot
from transfer_helpers import bulk_fill
from ui_driver import cursor_to, open_row, shown_keys, toasts, wait_for, wait_idle

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.settings import MiB
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.confirm import ConfirmScreen
from allas_tui.ui.screens.delete_progress import DeleteProgressScreen

pytestmark = pytest.mark.stack


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A HOME (and state folder) of the test's own, where reports go."""
    for name, sub in [("HOME", ""), ("XDG_STATE_HOME", ".local/state")]:
        monkeypatch.setenv(name, str(tmp_path / sub))
    return tmp_path


def _keys(backend: StorageBackend, bucket: str) -> list[str]:
    return [o.key for page in backend.iter_pages(bucket) for o in page.objects]


def _bucket_names(backend: StorageBackend) -> set[str]:
    return {b.name for b in backend.list_buckets()}


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_the_segment_bucket_goes_only_when_asked(
    stack: Stack, combination: str, random_file
) -> None:
    """Two buckets, each with a large object uploaded over Swift (segments in
    `<bucket>_segments`) and a leftover segment there. The confirmation names
    the segment bucket and its contents; `a` keeps it, `b` deletes it too."""
    swift = stack.backend("rgw-swift")
    source = random_file(20 * MiB, "big.bin")  # three segments at SMALL_CHUNKS
    keep, both = unique_name("seg-keep"), unique_name("seg-both")
    for name in (keep, both):
        swift.create_bucket(name)
        swift.upload_file(source, name, "big.bin")
        swift.connections.get().put_object(f"{name}_segments", "leftover", b"x" * 10)  # type: ignore[attr-defined]
    app = AllasApp(profile_for(stack, combination), settings=SMALL_CHUNKS)
    try:
        async with app.run_test(size=(140, 40), notifications=True) as pilot:
            await wait_idle(pilot, app)
            for name, answer in ((keep, "a"), (both, "b")):
                await cursor_to(pilot, app, name)
                await pilot.press("x")
                await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirm")
                body = str(app.screen.query_one("#dialog-body").render())
                assert f"bucket {name}: 1 object, 21.0 MB" in body, body
                assert f"bucket {name}_segments: 4 objects" in body, body
                assert "Press b to delete them too; otherwise they are kept" in body
                await pilot.press(answer)
                await wait_idle(pilot, app)
            shown = toasts(app)
        names = _bucket_names(swift)
        assert keep not in names and f"{keep}_segments" in names
        assert _keys(swift, f"{keep}_segments") == ["leftover"]  # its segments went with it
        assert both not in names and f"{both}_segments" not in names
        assert f"bucket {both}, bucket {both}_segments" in shown, shown
    finally:
        for name in (keep, both):
            remove_bucket(swift, name)


COUNT = 3_000


@pytest.fixture
def many(stack: Stack) -> Iterator[str]:
    """A bucket with 3,000 empty objects under `many/` and one beside it."""
    swift = stack.backend("rgw-swift")
    bucket = unique_name("many")
    swift.create_bucket(bucket)
    bulk_fill(swift, bucket, [f"many/obj-{i:05d}" for i in range(COUNT)] + ["beside.txt"])  # type: ignore[arg-type]
    yield bucket
    remove_bucket(swift, bucket)


async def _ask_to_delete(pilot: Pilot[int], app: AllasApp, bucket: str, *rows: str) -> str:
    """Open `bucket`, mark `rows` (or put the cursor on the one), press x and
    wait for the confirmation; its text."""
    await wait_idle(pilot, app)
    await open_row(pilot, app, bucket)
    for row in rows:
        await cursor_to(pilot, app, row)
        if len(rows) > 1:
            await pilot.press("space")
    await pilot.press("x")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirm")
    return str(app.screen.query_one("#dialog-body").render())


def _numbers(text: str) -> tuple[int, int]:
    """Deleted and not-deleted counts from the early-end message."""
    match = re.search(r"Deleted ([\d,]+) objects? .*not deleted: ([\d,]+) objects?", text)
    assert match, text
    return int(match[1].replace(",", "")), int(match[2].replace(",", ""))


def _report_counts(home: Path) -> tuple[int, int, list[str]]:
    [report] = (home / ".local/state/allas-tui/delete-reports").iterdir()
    text = report.read_text()
    deleted = int(re.search(r"deleted \(([\d,]+)\)", text)[1].replace(",", ""))  # type: ignore[index]
    kept = int(re.search(r"not deleted \(([\d,]+)\)", text)[1].replace(",", ""))  # type: ignore[index]
    return deleted, kept, text.splitlines()


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_a_large_delete_shows_progress_and_can_be_stopped(
    stack: Stack, combination: str, many: str, home: Path
) -> None:
    direct = stack.backend(combination)
    app = AllasApp(profile_for(stack, combination))
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        body = await _ask_to_delete(pilot, app, many, "many/")
        assert f"Delete {COUNT:,} objects" in body
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteProgressScreen), "progress")
        progress = app.operations.deleting.progress
        await wait_for(pilot, lambda: progress.done >= 1000, "the first batch")
        shown = str(app.screen.query_one("#dialog-body").render())
        assert f"of {COUNT:,} objects" in shown, shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: "ended early" in toasts(app), "the early-end report")
        deleted, kept = _numbers(toasts(app))
        assert "because you stopped it" in toasts(app)
        left = [k for k in _keys(direct, many) if k.startswith("many/")]
        assert kept == len(left) and deleted == COUNT - len(left) and 0 < kept < COUNT
        assert _report_counts(home)[:2] == (deleted, kept)

        await wait_idle(pilot, app)  # the rest, to the end: the final count
        await cursor_to(pilot, app, "many/")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: f"Deleted {kept:,} objects, 0 bytes" in toasts(app), "count")
        await wait_idle(pilot, app)
        assert shown_keys(app) == ["beside.txt"]
    assert _keys(direct, many) == ["beside.txt"]


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_a_fault_part_way_is_reported_exactly(
    stack: Stack, combination: str, many: str, home: Path
) -> None:
    """The relay lets the first delete request through and fails every retry
    of the second: the app says how many went and how many stayed, matching
    the server, and the report file names each."""
    direct = stack.backend(combination)
    proxy = FaultProxy("127.0.0.1", object_port(stack, combination), *relay_tls(stack, combination))
    app = AllasApp(profile_for(stack, combination))
    app.backend = backend_via(stack, combination, proxy.port, SMALL_CHUNKS)
    try:
        async with app.run_test(size=(140, 40), notifications=True) as pilot:
            await _ask_to_delete(pilot, app, many, "many/")
            proxy.methods = {"POST"}  # S3's DeleteObjects and Swift's bulk delete
            proxy.faults = [None, *[INTERNAL_ERROR] * 10]
            await pilot.press("y")
            await wait_for(pilot, lambda: "ended early" in toasts(app), "the report", timeout=120)
            shown = toasts(app)
            proxy.faults = []
        assert "because of an error" in shown, shown
        deleted, kept = _numbers(shown)
        left = [k for k in _keys(direct, many) if k.startswith("many/")]
        assert (deleted, kept) == (1000, COUNT - 1000) and kept == len(left)
        report_deleted, report_kept, lines = _report_counts(home)
        assert (report_deleted, report_kept) == (deleted, kept)
        listed = [line.strip() for line in lines if line.startswith("    ")]
        assert sorted(listed) == sorted(f"many/obj-{i:05d}" for i in range(COUNT))
    finally:
        proxy.close()


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_large_objects_take_their_segments_and_say_so_first(
    stack: Stack, combination: str, random_file
) -> None:
    """An SLO and a DLO (X-Object-Manifest, as older swift CLIs wrote them),
    both made over Swift, deleted together: the confirmation says their
    segments go (over S3, how many, since S3 cannot read a manifest), and
    afterwards only an unrelated object is left in the segment bucket."""
    swift = stack.backend("rgw-swift")
    bucket = unique_name("manifests")
    swift.create_bucket(bucket)
    conn = swift.connections.get()  # type: ignore[attr-defined]
    swift.upload_file(random_file(20 * MiB, "slo.bin"), bucket, "slo.bin")  # 3 segments
    for index in range(2):
        conn.put_object(f"{bucket}_segments", f"dlo.bin/{index:08d}", b"d" * 1000)
    conn.put_object(
        bucket, "dlo.bin", b"", headers={"X-Object-Manifest": f"{bucket}_segments/dlo.bin/"}
    )
    conn.put_object(f"{bucket}_segments", "unrelated", b"u")
    app = AllasApp(profile_for(stack, combination), settings=SMALL_CHUNKS)
    try:
        async with app.run_test(size=(140, 40), notifications=True) as pilot:
            body = await _ask_to_delete(pilot, app, bucket, "dlo.bin", "slo.bin")
            assert "Segments of large objects go with them" in body, body
            if combination.endswith("s3"):
                size = decimal(20 * MiB + 2 * 1000)
                assert f"5 segments ({size}) in {bucket}_segments" in body, body
            await pilot.press("y")
            await wait_idle(pilot, app)
        assert _keys(swift, bucket) == []
        assert _keys(swift, f"{bucket}_segments") == ["unrelated"]
    finally:
        remove_bucket(swift, bucket)
