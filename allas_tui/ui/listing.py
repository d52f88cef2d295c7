"""Listing a location page by page, from a thread worker, into table rows."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.models import BucketInfo
from allas_tui.storage.swift_segments import is_segment_bucket, is_segment_folder
from allas_tui.ui.finding import found_objects
from allas_tui.ui.location import DELIMITER, Location
from allas_tui.ui.widgets.object_rows import (
    LARGE_LISTING,
    Row,
    bucket_row,
    folder_row,
    object_row,
)

FIRST_PAGE = 500
"""Names asked for in the first page, so the first rows paint quickly; later
pages are the protocol's full size."""


@dataclass(frozen=True, slots=True)
class RowPage:
    """Rows from one page of a listing."""

    location: Location
    generation: int
    """Which listing this page belongs to; pages of an older one are dropped."""
    rows: list[Row]
    buckets: list[BucketInfo] | None = None
    """When the location is the bucket list, every bucket, shown or not."""
    hidden: int = 0
    """Segment buckets or folders left out of `rows`."""
    scanned: int = 0
    """For a find, the names the page looked at (`rows` are the matches)."""


def shown_buckets(buckets: list[BucketInfo], show_segments: bool) -> list[BucketInfo]:
    """`buckets`, without the ones that only hold segments unless `show_segments`."""
    if show_segments:
        return buckets
    return [b for b in buckets if not is_segment_bucket(b.name)]


def bucket_page(
    location: Location, generation: int, buckets: list[BucketInfo], show_segments: bool
) -> RowPage:
    """The bucket list as one page of rows."""
    shown = shown_buckets(buckets, show_segments)
    rows = [bucket_row(b) for b in shown]
    return RowPage(location, generation, rows, buckets, len(buckets) - len(shown))


def row_pages(
    backend: StorageBackend,
    location: Location,
    generation: int,
    cancelled: Callable[[], bool],
    show_segments: bool = False,
) -> Iterator[RowPage]:
    """The rows of `location`, a page at a time, built off the UI thread.
    Segment storage is left out unless `show_segments`."""
    if location.bucket is None:
        yield bucket_page(location, generation, backend.list_buckets(), show_segments)
        return
    prefix = location.prefix
    if location.pattern:
        for found, scanned in found_objects(backend, location, cancelled):
            rows = [object_row(o, prefix) for o in found]
            yield RowPage(location, generation, rows, scanned=scanned)
        return
    for page in backend.iter_pages(location.bucket, prefix, DELIMITER, first_page_size=FIRST_PAGE):
        if cancelled():
            return
        folders = page.folders
        if not show_segments:
            folders = [f for f in folders if not is_segment_folder(f)]
        rows = [folder_row(f, prefix) for f in folders]
        # a "folder/" marker object is the folder itself; its own listing hides it
        rows.extend(object_row(o, prefix) for o in page.objects if o.key != prefix)
        yield RowPage(location, generation, rows, hidden=len(page.folders) - len(folders))


def settle_large_listing(loaded: int) -> None:
    """After a listing of `loaded` rows ends: from `LARGE_LISTING` rows on,
    keep what is alive now out of the cyclic GC."""
    if loaded >= LARGE_LISTING:
        # A full GC pass walks every tracked object: with 100,000 rows it
        # stalled the UI ~200 ms every few seconds of keys. Rows hold no
        # cycles (refcounting still frees them), so exempt what is alive now
        # from the cyclic GC, after sweeping the young garbage.
        gc.collect(1)
        gc.freeze()


def empty_text(location: Location) -> str:
    """What the table says where a listing found nothing."""
    if location.bucket is None:
        return "No buckets yet. Press n to create one."
    if location.pattern:
        return f"No names under {location.bucket}/{location.prefix} match {location.pattern!r}."
    if location.prefix:
        return "Folder is empty."
    return "Bucket is empty. Press u to upload."
