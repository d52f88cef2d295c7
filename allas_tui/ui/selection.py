"""What an action applies to: the marked rows, or else the one under the cursor,
in whichever pane has focus."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.filesize import decimal

from allas_tui.ui.location import Location
from allas_tui.ui.safe_text import visible
from allas_tui.ui.widgets.bucket_tree import BucketTree
from allas_tui.ui.widgets.object_rows import Row, RowKind
from allas_tui.ui.widgets.object_table import ObjectTable

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp

NAMES_SHOWN = 8
"""Names a confirmation lists before it says "and N more"."""

DownloadSource = tuple[str, str, list[tuple[str, int]], list[str], Path]
"""bucket, base prefix, (key, size) objects, folder prefixes, and the target directory."""


@dataclass(frozen=True, slots=True)
class Selection:
    """Rows an action applies to, and the location they were listed in."""

    location: Location
    rows: list[Row]
    cursor: Row | None
    true_sizes: Mapping[str, int] = field(default_factory=dict)
    """Sizes HEADs told of rows listed with none or 0 bytes (large objects), by key."""

    def describe(self) -> str:
        """`3 objects (1.2 MB) and 1 folder from bucket/prefix/`."""
        objects = [r for r in self.rows if r.kind is RowKind.OBJECT]
        folders = [r for r in self.rows if r.kind is RowKind.FOLDER]
        buckets = [r for r in self.rows if r.kind is RowKind.BUCKET]
        parts = []
        if objects:
            size = decimal(sum(self.true_sizes.get(r.key, r.size or 0) for r in objects))
            parts.append(f"{_count(len(objects), 'object')} ({size})")
        if folders:
            parts.append(_count(len(folders), "folder"))
        if buckets:
            parts.append(_count(len(buckets), "bucket") + ": " + _names(buckets))
            return " and ".join(parts)
        return " and ".join(parts) + f" from {visible(self.location.label)}"

    def download_sources(self, dest: Path) -> list[DownloadSource]:
        """Where each selected thing comes from and goes to. A folder keeps its
        name under `dest`; a bucket becomes a directory named after it."""
        bucket = self.location.bucket
        if bucket is None:
            return [(r.key, "", [], [""], dest / r.key) for r in self.rows]
        # a size of -1 asks the planner to HEAD the object (its listing did not tell)
        keys = [
            (r.key, -1 if r.size is None else r.size) for r in self.rows if r.kind is RowKind.OBJECT
        ]
        folders = [r.key for r in self.rows if r.kind is RowKind.FOLDER]
        return [(bucket, self.location.prefix, keys, folders, dest)]


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _names(rows: Sequence[Row]) -> str:
    return ", ".join(r.name for r in rows)


def name_list(names: Sequence[str]) -> str:
    """Up to NAMES_SHOWN names, one per indented line, then how many more."""
    lines = [f"  {visible(name)}" for name in names[:NAMES_SHOWN]]
    if len(names) > NAMES_SHOWN:
        lines.append(f"  ... and {len(names) - NAMES_SHOWN:,} more")
    return "\n".join(lines)


def current_selection(app: AllasApp) -> Selection:
    """The marked rows or cursor row of the table, or the tree's cursor node
    when the tree has focus."""
    tree = app.query_one(BucketTree)
    if app.focused is tree:
        node = tree.cursor_node
        location = node.data if node is not None else None
        if location is None or location.bucket is None:
            return Selection(Location(), [], None)
        bucket = location.bucket
        if not location.prefix:
            row = Row(RowKind.BUCKET, bucket, visible(bucket), None, None)
            return Selection(Location(), [row], row)
        parent = location.parent
        name = visible(location.prefix.removeprefix(parent.prefix))
        row = Row(RowKind.FOLDER, location.prefix, name, None, None)
        return Selection(parent, [row], row)
    table = app.query_one(ObjectTable)
    learned = {key: head.size for key, head in table.heads.learned.items()}
    return Selection(app.location, table.selected_rows(), table.current_row, learned)
