"""The rows behind the object table: kept, filtered and sorted in plain Python,
so the widget only ever renders the lines on screen."""

from __future__ import annotations

import enum
import sys
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from allas_tui.storage.models import BucketInfo, ObjectInfo, ObjectKind
from allas_tui.ui.safe_text import visible

LARGE_LISTING = 20_000
"""Rows from which a finished listing gets the large-listing care: it is
sorted by size and date ahead of time, and kept out of the cyclic GC."""
FIRST_SCREEN = 200
"""Matches a filter finds before the first paint: more than a screen holds."""
FILTER_STEP = 50_000
"""Rows a filter looks at in one go (~5-10 ms) after the first screenful."""
_FILTER_BATCH = 4_096
"""Rows filtered per list comprehension, so a step can stop at `FIRST_SCREEN`."""


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


@dataclass(frozen=True, slots=True, eq=False)
class Row:
    """One line of the table. Rows compare by identity, so that a search for
    one among 500,000 compares pointers, not every field in Python."""

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


def _name_key(row: Row) -> str:
    return row.key


def _size_key(row: Row) -> tuple[int, str]:
    return -_size(row), row.key


def _date_key(row: Row) -> tuple[float, str]:
    return -_timestamp(row), row.key


_POSITION_KEYS: dict[SortOrder, Callable[[Row], Any]] = {
    SortOrder.NAME: _name_key,
    SortOrder.SIZE: _size_key,
    SortOrder.DATE: _date_key,
}
"""What each order sorts objects by, in full: the sorts are stable and start
from name order, which is key order (servers list in UTF-8 byte order, which
is code point order), so ties fall back to the key."""


def sorted_objects(objects: list[Row], order: SortOrder) -> list[Row]:
    """`objects` (in name order) in `order`, largest or newest first. Safe to
    call from a thread: it reads `objects` once, as `sorted` copies it."""
    if order is SortOrder.SIZE:
        return sorted(objects, key=_size, reverse=True)
    if order is SortOrder.DATE:
        return sorted(objects, key=_timestamp, reverse=True)
    return list(objects)


_Span = tuple[list[Row], int, int]


def _matching(rows: list[Row], needle: str) -> list[Row]:
    return [r for r in rows if needle in r.folded]


class _FilterScan:
    """A filter applied a batch of rows at a time, so that the first
    screenful of matches shows before every one of 500,000 rows is read."""

    def __init__(self, containers: _Span, objects: _Span, needle: str) -> None:
        self._needle = needle
        self._spans = [containers, objects]
        """What to look at: (rows, start, end); rows listed later are not."""
        self._span = 0
        self.found: list[Row] = []
        """The matches so far, in view order."""
        self.found_containers = 0
        """How many of `found` are buckets or folders (they come first)."""

    @property
    def done(self) -> bool:
        """True when every row has been looked at."""
        return self._span >= len(self._spans)

    def advance(self, rows: int, enough: int | None = None) -> None:
        """Look at up to `rows` more rows; stop early once `enough` match."""
        while rows > 0 and not self.done:
            if enough is not None and len(self.found) >= enough:
                return
            part, start, end = self._spans[self._span]
            stop = min(end, start + min(rows, _FILTER_BATCH))
            matches = _matching(part[start:stop], self._needle)
            self.found += matches
            if self._span == 0:
                self.found_containers += len(matches)
            rows -= stop - start
            if stop < end:
                self._spans[self._span] = (part, stop, end)
            else:
                self._span += 1


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
        self._scan: _FilterScan | None = None
        """The filter being applied; its matches so far are the view."""
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
        self._scan = None

    def extend(self, rows: list[Row]) -> None:
        """Add rows from a new listing page. In name order the view grows by
        the page alone, so a long listing costs the UI O(page), not O(rows),
        per page; other orders rebuild the view when it is next shown."""
        if not rows:
            return
        self.complete()
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
        self._scan = None

    def set_filter(self, text: str) -> None:
        """Show only rows whose name contains `text` (any case). Typing on
        narrows the rows shown now, not every row listed."""
        old, new = self.filter.casefold(), text.casefold()
        if old not in new:
            self._narrow_from = None
        elif self._view is not None:
            self._narrow_from = (self._view, self._view_containers)
        # else: the view being filtered (or one kept from an earlier, shorter
        # text) holds every match; a scan's partial matches are never kept
        self.filter = text
        self._view = None
        self._scan = None

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
        """The rows to show, in order. While a filter is being applied (see
        `filtering`) these are its matches so far, at least a screenful."""
        scan = self._current_scan()
        if scan is not None:
            return scan.found
        assert self._view is not None
        return self._view

    @property
    def filtering(self) -> bool:
        """True while a filter has rows left to look at (`filter_more`)."""
        return self._current_scan() is not None

    def filter_more(self, rows: int | None = None) -> None:
        """Apply the filter to the next `rows` rows (`FILTER_STEP` by default)."""
        scan = self._current_scan()
        if scan is not None:
            scan.advance(FILTER_STEP if rows is None else rows)
            self._end_scan_if_done()

    def complete(self) -> None:
        """Apply the filter to every row left, for what needs the whole view."""
        self.filter_more(sys.maxsize)

    def _current_scan(self) -> _FilterScan | None:
        """The filter still being applied, after starting the view if it is due."""
        if self._view is None and self._scan is None:
            self._start_view()
        return self._scan

    def _end_scan_if_done(self) -> None:
        if self._scan is not None and self._scan.done:
            self._view, self._view_containers = self._scan.found, self._scan.found_containers
            self._scan = None

    def _ordered_objects(self) -> list[Row]:
        if self.sort is SortOrder.NAME:
            return self._objects
        if self.sort not in self._orders:
            self._orders[self.sort] = sorted_objects(self._objects, self.sort)
        return self._orders[self.sort]

    def _start_view(self) -> None:
        if not self.filter:
            ordered = self._ordered_objects()
            if self.sort is not SortOrder.NAME and not self._containers:
                # the sorted list itself: `extend` never appends to a view in
                # these orders, and a re-sort then copies nothing
                self._view = ordered
            else:
                self._view = [*self._containers, *ordered]
            self._view_containers = len(self._containers)
            return
        spans: tuple[_Span, _Span]
        if self._narrow_from is not None:
            view, count = self._narrow_from
            spans = (view, 0, count), (view, count, len(view))
        else:
            ordered = self._ordered_objects()
            spans = (self._containers, 0, len(self._containers)), (ordered, 0, len(ordered))
        self._scan = _FilterScan(*spans, self.filter.casefold())
        # enough matches for any screen; the rest come in `filter_more` steps
        self._scan.advance(FILTER_STEP, enough=FIRST_SCREEN)
        self._end_scan_if_done()

    def index_of(self, row: Row) -> int | None:
        """Where `row` (this very row object) is in the view, if it is. Found
        by bisection, not a pass over 500,000 rows (~30 ms)."""
        self.complete()
        view = self.view
        if row.kind is RowKind.OBJECT:
            low, high, key = self._view_containers, len(view), _POSITION_KEYS[self.sort]
        else:  # buckets and folders stay in name order
            low, high, key = 0, self._view_containers, _name_key
        at = bisect_left(view, key(row), low, high, key=key)
        if at < high and view[at] is row:
            return at
        try:  # a server that lists in some other order
            return view.index(row)
        except ValueError:
            return None

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
        self.complete()
        shown = [r for r in self.view if r.key in self.marked]
        hidden_keys = self.marked - {r.key for r in shown}
        hidden = [r for r in (*self._containers, *self._objects) if r.key in hidden_keys]
        return shown + hidden
