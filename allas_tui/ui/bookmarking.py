"""The B key: bookmark the place at hand (a bucket, or a folder in one), and
show bookmarks at the top of the tree, shared buckets included."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from allas_tui.bookmarks import Bookmarks
from allas_tui.demo_store import DEMO_PROFILE_NAME
from allas_tui.ui.location import DELIMITER, Location
from allas_tui.ui.safe_text import visible
from allas_tui.ui.widgets.bucket_tree import BucketTree
from allas_tui.ui.widgets.object_rows import RowKind
from allas_tui.ui.widgets.object_table import ObjectTable

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp


def place_of(location: Location) -> str:
    """How a location is kept in the config: `bucket/` or `bucket/folder/`."""
    return f"{location.bucket}{DELIMITER}{location.prefix}"


def location_of(place: str) -> Location:
    """The location a kept place names."""
    bucket, _, prefix = place.partition(DELIMITER)
    return Location(bucket, prefix)


class BookmarkFlow:
    """Keeps the current profile's bookmarks and shows them in the tree."""

    def __init__(self, app: AllasApp, config_path: Path | None) -> None:
        self.app = app
        self.config_path = config_path
        self._bookmarks: Bookmarks | None = None

    def _store(self) -> Bookmarks | None:
        profile = self.app.profile
        if self.config_path is None or profile is None or profile.name == DEMO_PROFILE_NAME:
            return None
        if self._bookmarks is None or self._bookmarks.profile != profile.name:
            self._bookmarks = Bookmarks(self.config_path, profile.name)
        return self._bookmarks

    def locations(self) -> list[Location]:
        """The bookmarked places, in the order they were added."""
        store = self._store()
        return [location_of(p) for p in store.places] if store else []

    def toggle(self) -> None:
        """Bookmark the bucket or folder at hand, or drop its bookmark."""
        app = self.app
        store = self._store()
        if store is None:
            app.notify("Bookmarks need a config file (not the demo store).", severity="warning")
            return
        location = app.location
        row = app.query_one(ObjectTable).current_row
        if location.bucket is None:
            if row is None or row.kind is not RowKind.BUCKET:
                app.notify("Open a bucket, or put the cursor on one, to bookmark it.")
                return
            location = Location(row.key)
        place = place_of(location.parent if location.pattern else location)
        try:
            added = store.toggle(place)
        except OSError as exc:
            app.report_error(exc, "bookmarks")
            return
        word = "Bookmarked" if added else "Removed the bookmark of"
        app.notify(f"{word} {visible(place)} (kept in {store.path})", markup=False)
        app.query_one(BucketTree).show_buckets(app.visible_buckets(), self.locations())
