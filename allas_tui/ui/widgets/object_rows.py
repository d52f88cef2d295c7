"""The rows behind the object table: kept, filtered and sorted in plain Python,
so the widget only ever renders the lines on screen."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from allas_tui.storage.models import BucketInfo, ObjectInfo, ObjectKind
from allas_tui.ui.safe_text import visible

LARGE_LISTING = 20_000
"""Rows from which a finished listing gets the large-listing care: it is
sorted by size and date ahead of time, and kept out of the cyclic GC."""


class RowKind(enum.IntEnum):
    """What a row stands for; folders and buckets sort before objects."""

    BUCKET = 0
    FOLDER = 1
    OBJECT = 2


class SortOrder(enum.StrEnum):
    """The orders `s` cycles through."""

    NAME = "name"
    SIZE = "size"
    DATE = "date"

    def next(self) -> SortOrder:
        """The order after this one."""
        orders = list(SortOrder)
        return orders[(orders.index(self) + 1) % len(orders)]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table."""

    kind: RowKind
    key: str
    """The bucket name, the folder's full prefix, or the object's full key."""
    name: str
    """What the Name column shows: relative to the folder, control characters escaped."""
    size: int | None
    modified: datetime | None
    object_kind: ObjectKind = ObjectKind.PLAIN
    folded: str = field(init=False, repr=False, compare=False)
    """The name case-folded, made once as the row is listed (off the UI thread)
    so that a filter keystroke over 500,000 rows does not fold each again."""

    def __post_init__(self) -> None:
        folded = self.name.casefold()
        # most names fold to themselves: keep one string, not two
        object.__setattr__(self, "folded", self.name if folded == self.name else folded)


def object_row(obj: ObjectInfo, prefix: str) -> Row:
    """A row for an object listed under `prefix`."""
    return Row(
        RowKind.OBJECT,
        obj.key,
        visible(obj.key.removeprefix(prefix)),
        obj.size if obj.size_known else None,
        obj.last_modified,
        obj.kind,
    )


def folder_row(folder: str, prefix: str) -> Row:
    """A row for a pseudo-folder (a full prefix ending in the delimiter)."""
    return Row(RowKind.FOLDER, folder, visible(folder.removeprefix(prefix)), None, None)


def bucket_row(bucket: BucketInfo) -> Row:
    """A row for a bucket in the project's bucket list."""
    return Row(RowKind.BUCKET, bucket.name, visible(bucket.name), bucket.bytes_used, bucket.created)


def _timestamp(row: Row) -> float:
    # timestamps, not datetimes: listings may mix zone-aware and naive times
    return row.modified.timestamp() if row.modified else 0.0


def _size(row: Row) -> int:
    return row.size or 0


def sorted_objects(objects: list[Row], order: SortOrder) -> list[Row]:
    """`objects` (in name order) in `order`, largest or newest first. Safe to
    call from a thread: it reads `objects` once, as `sorted` copies it."""
    if order is SortOrder.SIZE:
        return sorted(objects, key=_size, reverse=True)
    if order is SortOrder.DATE:
        return sorted(objects, key=_timestamp, reverse=True)
    return list(objects)


def _matching(rows: list[Row], needle: str) -> list[Row]:
    return [r for r in rows if needle in r.folded]


class RowStore:
    """Rows in arrival order, and the filtered, sorted view the table shows."""

    def __init__(self) -> None:
        self._containers: list[Row] = []
        self._objects: list[Row] = []
        self._orders: dict[SortOrder, list[Row]] = {}
        """The objects in each other order, once sorted; dropped when rows come."""
        self._view: list[Row] | None = None
        self._view_containers = 0
        """How many of the view's rows are buckets or folders (they come first)."""
        self._narrow_from: tuple[list[Row], int] | None = None
        """A view to filter instead of every row, when the filter text grew."""
        self.sort = SortOrder.NAME
        """The current order; name order is the server's, so it costs nothing."""
        self.filter = ""
        """Case-insensitive text a row's name must contain."""
        self.marked: set[str] = set()
        """Keys of the marked rows."""

    def clear(self) -> None:
        """Forget every row and mark."""
        # new lists, not cleared ones: a thread may be sorting the old ones
        self._containers = []
        self._objects = []
        self._orders = {}
        self.marked.clear()
        self._view = None
        self._narrow_from = None

    def extend(self, rows: list[Row]) -> None:
        """Add rows from a new listing page. In name order the view grows by
        the page alone, so a long listing costs the UI O(page), not O(rows),
        per page; other orders rebuild the view when it is next shown."""
        if not rows:
            return
        view = self._view if self.sort is SortOrder.NAME else None
        needle = self.filter.casefold()
        self._orders = {}
        self._narrow_from = None
        for row in rows:
            is_object = row.kind is RowKind.OBJECT
            (self._objects if is_object else self._containers).append(row)
            if view is None or needle not in row.folded:
                continue
            if is_object:
                view.append(row)
            else:
                view.insert(self._view_containers, row)
                self._view_containers += 1
        if view is None:
            self._view = None

    def set_sort(self, order: SortOrder) -> None:
        """Show rows in `order`."""
        self.sort = order
        self._view = None
        self._narrow_from = None

    def set_filter(self, text: str) -> None:
        """Show only rows whose name contains `text` (any case). Typing on
        narrows the rows shown now, not every row listed."""
        old, new = self.filter.casefold(), text.casefold()
        if old not in new:
            self._narrow_from = None
        elif self._view is not None:
            self._narrow_from = (self._view, self._view_containers)
        # else: a view kept from an earlier, shorter text still holds every match
        self.filter = text
        self._view = None

    def objects_to_presort(self) -> list[Row]:
        """The objects, in name order, for `sorted_objects` to sort ahead of
        time on a thread; hand the results to `add_presorted`."""
        return self._objects

    def add_presorted(self, objects: list[Row], order: SortOrder, rows: list[Row]) -> None:
        """Keep `rows`, sorted ahead of time from `objects`, unless the rows
        changed since."""
        if objects is self._objects and len(rows) == len(objects):
            self._orders[order] = rows

    @property
    def loaded(self) -> int:
        """Rows listed so far, before filtering."""
        return len(self._containers) + len(self._objects)

    @property
    def view(self) -> list[Row]:
        """The rows to show, in order."""
        if self._view is None:
            self._view = self._build_view()
        return self._view

    def _ordered_objects(self) -> list[Row]:
        if self.sort is SortOrder.NAME:
            return self._objects
        if self.sort not in self._orders:
            self._orders[self.sort] = sorted_objects(self._objects, self.sort)
        return self._orders[self.sort]

    def _build_view(self) -> list[Row]:
        if self._narrow_from is not None:
            view, count = self._narrow_from
            containers, objects = view[:count], view[count:]
        else:
            containers, objects = self._containers, self._ordered_objects()
        if self.filter:
            needle = self.filter.casefold()
            containers, objects = _matching(containers, needle), _matching(objects, needle)
        self._view_containers = len(containers)
        return [*containers, *objects]

    def toggle_mark(self, row: Row) -> None:
        """Mark `row`, or unmark it if marked."""
        if row.key in self.marked:
            self.marked.discard(row.key)
        else:
            self.marked.add(row.key)

    def prune_marks(self) -> None:
        """Drop marks of rows that are no longer listed."""
        if self.marked:
            keys = {r.key for r in self._containers} | {r.key for r in self._objects}
            self.marked &= keys

    def marked_rows(self) -> list[Row]:
        """The marked rows, in view order (filtered-out marks included, after)."""
        if not self.marked:
            return []
        shown = [r for r in self.view if r.key in self.marked]
        hidden_keys = self.marked - {r.key for r in shown}
        hidden = [r for r in (*self._containers, *self._objects) if r.key in hidden_keys]
        return shown + hidden
