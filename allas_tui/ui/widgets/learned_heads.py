"""What HEADs told of rows whose listing left their size or kind in doubt.

Listings cannot tell everything: radosgw lists a Swift SLO by its manifest's
own size, and both protocols list a DLO manifest as 0 bytes (over S3 on
OpenStack Swift, as a plain object too). Only a HEAD tells the real size and
kind, so one runs for such rows as they come on screen, never for a whole
listing of 500,000.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from allas_tui.storage.models import ObjectHead, ObjectKind
from allas_tui.storage.object_heads import refine_by_listing
from allas_tui.ui.widgets.object_rows import Row, RowKind


@dataclass(frozen=True, slots=True)
class Learned:
    """The true size and kind of one object."""

    size: int
    kind: ObjectKind


def needs_head(row: Row) -> bool:
    """True for an object row listed with no size (a manifest's own) or 0
    bytes, which is how a DLO lists."""
    return row.kind is RowKind.OBJECT and not row.size


class LearnedHeads:
    """The rows asked about and what their HEADs told, by key, for one listing."""

    def __init__(self) -> None:
        self.learned: dict[str, Learned] = {}
        self._asked: set[str] = set()
        self.listing = 0
        """Counts listings, so answers meant for an earlier one are dropped."""

    def clear(self) -> None:
        """Forget everything: a new listing begins."""
        self.learned = {}
        self._asked = set()
        self.listing += 1

    def to_ask(self, rows: Iterable[Row]) -> list[Row]:
        """Those of `rows` that need a HEAD and were not asked about yet; they
        count as asked from now on, so a repaint does not ask again."""
        fresh = [r for r in rows if needs_head(r) and r.key not in self._asked]
        self._asked.update(r.key for r in fresh)
        return fresh

    def learn(self, row: Row, head: ObjectHead) -> Learned:
        """Keep what `head` tells of `row`, judged against its listed size."""
        head = refine_by_listing(head, -1 if row.size is None else row.size)
        learned = Learned(head.size, head.kind)
        self.learned[row.key] = learned
        return learned

    def size_and_kind(self, row: Row) -> tuple[int | None, ObjectKind]:
        """The best-known size and kind of `row`."""
        if row.size:  # listed sizes are right but for 0 and unknown
            return row.size, row.object_kind
        learned = self.learned.get(row.key)
        if learned is None:
            return row.size, row.object_kind
        return learned.size, learned.kind
