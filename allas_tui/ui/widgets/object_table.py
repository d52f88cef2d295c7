"""The object table: a line-API view that renders only the rows on screen.

A bucket may hold 500,000 objects. A DataTable measures every row it is given
and takes ~24 s to first paint at that size; this widget keeps rows in a plain
`RowStore` and turns just the visible ones into strips.
"""

from __future__ import annotations

import operator
from typing import ClassVar

from rich.filesize import decimal
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from allas_tui.storage.models import ObjectKind
from allas_tui.ui.safe_text import visible
from allas_tui.ui.widgets.learned_heads import LearnedHeads
from allas_tui.ui.widgets.object_rows import Row, RowKind, RowStore, SortOrder

KIND_MARKERS = {
    ObjectKind.SLO: "slo",
    ObjectKind.DLO: "dlo",
    ObjectKind.MULTIPART: "mpu",
}
"""The Kind column: how a large object is stored (see the help screen)."""
SIZE_WIDTH = 9
DATE_WIDTH = 16
DATE_FORMAT = "%Y-%m-%d %H:%M"
MARK = "●"
_key_of = operator.attrgetter("key")


class ObjectTable(ScrollView, can_focus=True):
    """Buckets, folders and objects of the current location, one per line."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "object-table--header",
        "object-table--cursor",
        "object-table--marked",
        "object-table--folder",
        "object-table--dim",
    }
    DEFAULT_CSS = """
    ObjectTable { background: $surface; overflow-x: hidden; }
    ObjectTable > .object-table--header { text-style: bold; color: $text-accent; }
    ObjectTable > .object-table--cursor { background: $block-cursor-blurred-background; }
    ObjectTable:focus > .object-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: bold;
    }
    ObjectTable > .object-table--marked { color: $text-warning; text-style: bold; }
    ObjectTable > .object-table--folder { color: $text-primary; text-style: bold; }
    ObjectTable > .object-table--dim { color: $text-muted; text-style: italic; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="cursor-up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="cursor-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page-down"),
        Binding("home", "first", "First", show=False, id="first"),
        Binding("end", "last", "Last", show=False, id="last"),
        Binding("enter,l", "open", "Open", id="open", tooltip="Open a bucket or folder"),
        Binding("space", "mark", "Mark", id="mark", tooltip="Mark or unmark the row"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """Index into the view of the row under the cursor."""

    class Opened(Message):
        """Enter (or a double click) on a row."""

        def __init__(self, table: ObjectTable, row: Row) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> ObjectTable:
            """The table that sent this."""
            return self.table

    class HeadsWanted(Message):
        """Rows came on screen whose listing left their size or kind in doubt."""

        def __init__(self, table: ObjectTable, rows: list[Row]) -> None:
            super().__init__()
            self.table = table
            self.rows = rows

        @property
        def control(self) -> ObjectTable:
            """The table that sent this."""
            return self.table

    class Highlighted(Message):
        """The cursor moved, or the marks changed; `current_row` tells where it is."""

        def __init__(self, table: ObjectTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> ObjectTable:
            """The table that sent this."""
            return self.table

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._paint_style: Style | None = None
        """The widget's style, read once per repaint."""
        self.store = RowStore()
        """Every row, with the filter, sort and marks."""
        self.placeholder = "Loading..."
        """The line shown when there are no rows: loading, empty or error."""
        self.heads = LearnedHeads()
        """True sizes and kinds HEADs told, for rows on screen that need them."""
        self._painted: list[Row] = []
        """Rows painted by the repaint under way."""

    # -- data ---------------------------------------------------------------
    def reset(self, placeholder: str, keep_marks: bool = False) -> None:
        """Forget all rows (and marks, unless `keep_marks`) and show
        `placeholder` until rows come."""
        marks = set(self.store.marked) if keep_marks else set()
        self.store.clear()
        self.store.marked.update(marks)
        self.heads.clear()
        self.placeholder = placeholder
        if not keep_marks:
            self.cursor = 0
            self.scroll_to(0, 0, animate=False)
        self.rows_changed()

    def rows_changed(self) -> None:
        """Rows, sort or filter changed: resize and repaint."""
        rows = len(self.store.view)
        self.virtual_size = Size(self.size.width, rows + 1)
        if rows and self.cursor >= rows:
            self.cursor = rows - 1
        self.refresh()

    def set_placeholder(self, text: str) -> None:
        """Change the line shown when there are no rows."""
        self.placeholder = text
        self.refresh()

    @property
    def current_row(self) -> Row | None:
        """The row under the cursor, if any."""
        view = self.store.view
        return view[self.cursor] if 0 <= self.cursor < len(view) else None

    def selected_rows(self) -> list[Row]:
        """The marked rows, or else the row under the cursor."""
        marked = self.store.marked_rows()
        if marked:
            return marked
        row = self.current_row
        return [row] if row else []

    def move_to_key(self, key: str) -> None:
        """Put the cursor on the row for `key`, if shown."""
        self.store.complete()
        # a search in C: a Python loop costs ~30 ms over 500,000 rows
        try:
            self.cursor = operator.indexOf(map(_key_of, self.store.view), key)
        except ValueError:
            return

    def move_to_row(self, row: Row) -> None:
        """Put the cursor on `row` (this very row object), if shown."""
        index = self.store.index_of(row)
        if index is not None:
            self.cursor = index

    # -- cursor -------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        rows = len(self.store.view)
        if rows and not 0 <= new < rows:
            self.cursor = max(0, min(new, rows - 1))
            return
        visible_rows = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False)
            self.refresh()
        elif new >= top + visible_rows:
            self.scroll_to(y=new - visible_rows + 1, animate=False)
            self.refresh()
        else:
            # only the two rows the cursor left and reached (the header is line 0)
            self.refresh_line(old + 1)
            self.refresh_line(new + 1)
        self.post_message(self.Highlighted(self))

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 2)

    def action_cursor_up(self) -> None:
        """Move up one row."""
        self.cursor = max(0, self.cursor - 1)

    def action_cursor_down(self) -> None:
        """Move down one row."""
        self.cursor = min(max(0, len(self.store.view) - 1), self.cursor + 1)

    def action_page_up(self) -> None:
        """Move up a screenful."""
        self.cursor = max(0, self.cursor - self._page())

    def action_page_down(self) -> None:
        """Move down a screenful."""
        self.cursor = min(max(0, len(self.store.view) - 1), self.cursor + self._page())

    def action_first(self) -> None:
        """Go to the first row."""
        self.cursor = 0

    def action_last(self) -> None:
        """Go to the last row."""
        self.store.complete()
        self.cursor = max(0, len(self.store.view) - 1)

    def action_open(self) -> None:
        """Open the row under the cursor."""
        row = self.current_row
        if row is not None:
            self.post_message(self.Opened(self, row))

    def action_mark(self) -> None:
        """Mark or unmark the row under the cursor, then move down."""
        row = self.current_row
        if row is not None:
            self.store.toggle_mark(row)
            self.action_cursor_down()
            self.refresh()

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self.store.view):
            self.cursor = index
            if event.chain >= 2:
                self.action_open()

    # -- rendering ------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # reading rich_style walks the DOM (half of a repaint's time, per line):
        # read it once per repaint
        self._paint_style = self.rich_style
        self._painted = []
        lines = super().render_lines(crop)
        wanted = self.heads.to_ask(self._painted)
        if wanted:
            # made after the repaint: a message made during it comes from the
            # screen, and stops bubbling there, short of the app
            self.call_later(lambda: self.post_message(self.HeadsWanted(self, wanted)))
        return lines

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._strip(self._header(width), width)
        index = round(self.scroll_y) + y - 1
        view = self.store.view
        if not view:
            if y == 1:
                style = self.get_component_rich_style("object-table--dim")
                note = self.placeholder
                if self.store.filter and self.store.loaded:
                    note = f"No names contain {self.store.filter!r}. Esc clears the filter."
                return self._strip(Text(f"  {visible(note)}", style=style), width)
            return Strip.blank(width, self._base_style())
        if index >= len(view):
            return Strip.blank(width, self._base_style())
        row = view[index]
        self._painted.append(row)
        return self._strip(self._row_text(row, index, width), width)

    def _strip(self, text: Text, width: int) -> Strip:
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = list(text.render(self.app.console))
        # Text.render leaves out the Text's own style; a console would add it on top
        own = text.style if isinstance(text.style, Style) else Style.parse(text.style)
        base = self._base_style() + own
        return Strip([Segment(s.text, base + s.style if s.style else base) for s in segments])

    def _base_style(self) -> Style:
        # `is None`, not `or`: a plain Style() is falsy
        return self.rich_style if self._paint_style is None else self._paint_style

    def _name_width(self, width: int) -> int:
        return max(8, width - 2 - 5 - SIZE_WIDTH - 1 - DATE_WIDTH - 1)

    def _header(self, width: int) -> Text:
        style = self.get_component_rich_style("object-table--header")
        order = self.store.sort
        # name order is A to Z; size and date are largest and newest first
        name = "Name ▲" if order is SortOrder.NAME else "Name"
        size = "▼ Size" if order is SortOrder.SIZE else "Size"
        date = "Modified ▼" if order is SortOrder.DATE else "Modified"
        return Text.assemble(
            "  ",
            "Kind ",
            name.ljust(self._name_width(width)),
            size.rjust(SIZE_WIDTH),
            " ",
            date,
            style=style,
        )

    def _row_text(self, row: Row, index: int, width: int) -> Text:
        marked = row.key in self.store.marked
        style = Style()
        if row.kind is not RowKind.OBJECT:
            style += self.get_component_rich_style("object-table--folder")
        if marked:
            style += self.get_component_rich_style("object-table--marked")
        if index == self.cursor:
            style += self.get_component_rich_style("object-table--cursor")
        size_known, object_kind = self.heads.size_and_kind(row)
        kind = "dir" if row.kind is RowKind.FOLDER else KIND_MARKERS.get(object_kind, "")
        size = "" if size_known is None else decimal(size_known)
        date = "" if row.modified is None else row.modified.astimezone().strftime(DATE_FORMAT)
        name = Text(row.name, no_wrap=True)
        name.truncate(self._name_width(width), overflow="ellipsis", pad=True)
        return Text.assemble(
            MARK + " " if marked else "  ",
            kind.ljust(5),
            name,
            size.rjust(SIZE_WIDTH),
            " ",
            date.ljust(DATE_WIDTH),
            style=style,
        )
