"""A 20,000-object folder in the browser: the first rows show before the listing
ends, the count loaded is shown as it grows, and the filter narrows it."""

from __future__ import annotations

import gc
import io
import tarfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from conftest import Stack, remove_bucket, unique_name
from test_browser_story import profile_for
from ui_driver import cursor_to, listing_done, open_row, shown_keys, table, wait_for, wait_idle

from allas_tui.storage.profiles import open_backend
from allas_tui.ui.app import AllasApp

COUNT = 20_000
FOLDER = "big/"
PARTS = 4
"""Tar archives sent at once; radosgw unpacks each into objects."""


def _names(part: int) -> list[str]:
    return [f"{FOLDER}obj-{i:06d}.dat" for i in range(part, COUNT, PARTS)]


def _fill(stack: Stack, bucket: str) -> None:
    """Make 20,000 empty objects fast with Swift's bulk upload (extract-archive)."""
    backend = stack.backend("rgw-swift")

    def send(part: int) -> None:
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w") as tar:
            for name in _names(part):
                tar.addfile(tarfile.TarInfo(name), io.BytesIO(b""))
        conn = backend.connections.get()  # type: ignore[attr-defined]
        conn.put_object(bucket, "", archive.getvalue(), query_string="extract-archive=tar")

    backend.connections.get().put_container(bucket)  # type: ignore[attr-defined]
    with ThreadPoolExecutor(PARTS) as pool:
        list(pool.map(send, range(PARTS)))


@pytest.fixture(scope="module")
def big_bucket(stack: Stack) -> Iterator[str]:
    """A bucket on radosgw holding `big/` with 20,000 objects and one small file."""
    name = unique_name("big")
    _fill(stack, name)
    stack.backend("rgw-s3").client.put_object(Bucket=name, Key="hello.txt", Body=b"hi")  # type: ignore[attr-defined]
    yield name
    remove_bucket(stack.backend("rgw-s3"), name)


class GatedListing:
    """Holds every listing page after the first until released, so a test can
    look at the screen while the listing is provably unfinished."""

    def __init__(self, backend: Any) -> None:
        self.release = threading.Event()
        self.pages = 0
        self._list_page = backend.list_page
        backend.list_page = self.list_page

    def list_page(self, *args: Any, **kwargs: Any) -> Any:
        self.pages += 1  # counted when asked for, before any wait
        if self.pages >= 2:
            self.release.wait(60)
        return self._list_page(*args, **kwargs)


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_first_rows_show_before_the_listing_completes(
    stack: Stack, big_bucket: str, combination: str
) -> None:
    app = AllasApp(profile_for(stack, combination))
    backend = open_backend(app.profile, app.settings)  # type: ignore[arg-type]
    app.backend = backend
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_idle(pilot, app)
        await open_row(pilot, app, big_bucket)
        gate = GatedListing(backend)
        await cursor_to(pilot, app, FOLDER)
        started = time.perf_counter()
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(shown_keys(app)) > 0, "the first rows")
        first_rows = time.perf_counter() - started
        # the first page is on screen, and the listing is still going
        await wait_for(pilot, lambda: gate.pages >= 2, "the second page to be asked for")
        loaded = table(app).store.loaded
        assert 0 < loaded < COUNT
        assert table(app).render_line(1).text.strip().startswith("obj-000000.dat")
        assert f"listing... {loaded:,} so far" in str(app.query_one("#object-pane").border_subtitle)
        assert not listing_done(app)
        gate.release.set()
        await wait_for(pilot, lambda: listing_done(app), "the listing to finish")
        assert table(app).store.loaded == COUNT
        assert "20,000 loaded" in str(app.query_one("#object-pane").border_subtitle)
        print(
            f"\n{combination}: Enter to first rows of a {COUNT:,}-object folder: {first_rows:.3f} s"
        )


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_the_filter_narrows_a_20000_object_listing(
    stack: Stack, big_bucket: str, combination: str
) -> None:
    app = AllasApp(profile_for(stack, combination))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_idle(pilot, app)
        await open_row(pilot, app, big_bucket)
        frozen_before = gc.get_freeze_count()
        await open_row(pilot, app, FOLDER)
        assert table(app).store.loaded == COUNT
        # the listed rows are kept out of the cyclic GC's full passes (which
        # stalled keys ~200 ms every few seconds at 100,000 rows)
        assert gc.get_freeze_count() >= frozen_before + COUNT
        await pilot.press("slash", "1", "2", "3", "4")
        # obj-001234, obj-012340..012349 and obj-X1234X...: every name holding "1234"
        expected = [k for k in _all_keys() if "1234" in k.removeprefix(FOLDER)]
        assert shown_keys(app) == expected
        subtitle = str(app.query_one("#object-pane").border_subtitle)
        assert f"{len(expected):,} of 20,000" in subtitle
        await pilot.press("enter")  # keep the filter, back to the table
        assert app.focused is table(app)
        await pilot.press("down", "space")
        assert table(app).store.marked == {expected[1]}
        await pilot.press("escape")  # clears the filter
        assert len(shown_keys(app)) == COUNT
        # s cycles the sort: name, size, date; the marked row stays marked
        await pilot.press("s")
        assert table(app).store.sort.value == "size"
        assert table(app).store.marked == {expected[1]}


def _all_keys() -> list[str]:
    return sorted(name for part in range(PARTS) for name in _names(part))
