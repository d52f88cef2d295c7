"""The right pane: the object table, with a filter line that opens on `/`."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input
from textual.worker import get_current_worker

from allas_tui.ui.widgets.object_rows import LARGE_LISTING, Row, SortOrder, sorted_objects
from allas_tui.ui.widgets.object_table import ObjectTable
from allas_tui.wording import count


class ObjectPane(Vertical):
    """The table and its filter; the border shows where we are and how much is loaded."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="filter", tooltip="Filter the list as you type"),
        Binding(
            "s", "cycle_sort", "Sort", id="sort", show=False, tooltip="Sort by name, size or date"
        ),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear-filter"),
    ]

    _listing_note: str | None = None
    hidden_segments = 0
    """Segment buckets or folders the listing left out (`.` shows them)."""
    scanned_names = 0
    """For a find, the names looked at so far."""
    _filter_pending = False
    """A step of the filter is scheduled (after a refresh, or after queued messages)."""

    def compose(self) -> ComposeResult:
        yield ObjectTable(id="objects")
        filter_input = Input(placeholder="filter: type to narrow, Enter keeps, Esc clears")
        filter_input.id = "filter"
        filter_input.display = False
        yield filter_input

    @property
    def table(self) -> ObjectTable:
        """The object table."""
        return self.query_one(ObjectTable)

    @property
    def filter_input(self) -> Input:
        """The filter line."""
        return self.query_one("#filter", Input)

    def action_filter(self) -> None:
        """Open the filter line."""
        self.filter_input.display = True
        self.filter_input.focus()

    def action_clear_filter(self) -> None:
        """Empty and close the filter line."""
        self.forget_filter()
        self.table.focus()

    def forget_filter(self) -> None:
        """Empty and close the filter line: a filter belongs to one location."""
        if self.filter_input.value or self.table.store.filter:
            with self.filter_input.prevent(Input.Changed):
                self.filter_input.value = ""
            self._apply_filter("")
        self.filter_input.display = False

    def action_cycle_sort(self) -> None:
        """Sort by the next order: name, size, date."""
        store = self.table.store
        current = self.table.current_row
        store.set_sort(store.sort.next())
        self.table.rows_changed()
        if current is not None:
            self.table.move_to_row(current)
        # the header's arrow and the subtitle say which order: a toast would
        # cost a re-layout (~25 ms at 500,000 rows)
        self.update_subtitle()

    def presort(self) -> None:
        """Sort a large listing that has just finished by the other orders,
        off the UI thread, ready for `s` (sorting ~100 ms or more on it)."""
        objects = self.table.store.objects_to_presort()
        if len(objects) >= LARGE_LISTING:
            self._presort(objects)

    @work(thread=True, group="presort", name="presort", exclusive=True, exit_on_error=False)
    def _presort(self, objects: list[Row]) -> None:
        worker = get_current_worker()
        for order in (SortOrder.SIZE, SortOrder.DATE):
            rows = sorted_objects(objects, order)
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self.table.store.add_presorted, objects, order, rows)

    def on_object_table_highlighted(self, _message: ObjectTable.Highlighted) -> None:
        """Keep the marked count current."""
        self.update_subtitle(self._listing_note)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Narrow the rows as the user types."""
        event.stop()
        self._apply_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Keep the filter and go back to the table."""
        event.stop()
        if not event.value:
            self.filter_input.display = False
        self.table.focus()

    def _apply_filter(self, text: str) -> None:
        self.table.store.set_filter(text)
        self.table.cursor = 0
        self._show_filtered(self.call_after_refresh)

    def _show_filtered(self, then: Callable[[Callable[[], None]], object]) -> None:
        # the first screenful of matches is painted first; the rest of a large
        # listing is filtered in steps of a few ms, with keys handled between
        self.table.rows_changed()
        self.update_subtitle()
        if self.table.store.filtering and not self._filter_pending:
            self._filter_pending = True
            then(self._filter_more)

    def _filter_more(self) -> None:
        self._filter_pending = False
        self.table.store.filter_more()
        self._show_filtered(self.call_later)

    def update_subtitle(self, listing: str | None = None) -> None:
        """Show the rows loaded, shown and marked, the sort, and any listing state."""
        self._listing_note = listing
        store = self.table.store
        parts = []
        if listing:
            parts.append(listing)
        shown = len(store.view)
        if not store.filter:
            parts.append(f"{store.loaded:,} loaded")
        elif store.filtering:
            parts.append(f"{shown:,}+ of {store.loaded:,}, filtering")
        else:
            parts.append(f"{shown:,} of {store.loaded:,}")
        if store.marked:
            parts.append(f"{len(store.marked):,} marked")
        if store.sort is not SortOrder.NAME:
            parts.append(f"by {store.sort.value}")
        if self.hidden_segments:
            parts.append(f"{count(self.hidden_segments, 'segment store')} hidden (. shows)")
        self.border_subtitle = " · ".join(parts)
