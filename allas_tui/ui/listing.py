"""Listing a location page by page, from a thread worker, into table rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.models import BucketInfo
from allas_tui.ui.location import DELIMITER, Location
from allas_tui.ui.widgets.object_rows import Row, bucket_row, folder_row, object_row

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
    """When the location is the bucket list, the buckets themselves."""


def row_pages(
    backend: StorageBackend,
    location: Location,
    generation: int,
    cancelled: Callable[[], bool],
) -> Iterator[RowPage]:
    """The rows of `location`, a page at a time, built off the UI thread."""
    if location.bucket is None:
        buckets = backend.list_buckets()
        yield RowPage(location, generation, [bucket_row(b) for b in buckets], buckets)
        return
    prefix = location.prefix
    for page in backend.iter_pages(location.bucket, prefix, DELIMITER, first_page_size=FIRST_PAGE):
        if cancelled():
            return
        rows = [folder_row(f, prefix) for f in page.folders]
        # a "folder/" marker object is the folder itself; its own listing hides it
        rows.extend(object_row(o, prefix) for o in page.objects if o.key != prefix)
        yield RowPage(location, generation, rows)


def empty_text(location: Location) -> str:
    """What the table says where a listing found nothing."""
    if location.bucket is None:
        return "No buckets yet. Press n to create one."
    if location.prefix:
        return "Folder is empty."
    return "Bucket is empty. Press u to upload."
