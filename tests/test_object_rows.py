"""The row store behind the object table: a view grown page by page is the
view a fresh build would give, in every order and with any filter."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from allas_tui.ui.widgets.object_rows import Row, RowKind, RowStore, SortOrder


def _page_rows(rng: random.Random, start: int, count: int) -> list[Row]:
    rows = []
    for i in range(start, start + count):
        kind = RowKind.FOLDER if rng.random() < 0.1 else RowKind.OBJECT
        name = f"{rng.choice(['alpha', 'beta', 'Gamma'])}-{i:05d}" + ("/" if kind else "")
        size = None if kind is RowKind.FOLDER else rng.randint(0, 10_000)
        modified = datetime.fromtimestamp(rng.randint(0, 2**31), UTC)
        rows.append(Row(kind, name, name, size, modified))
    return rows


@pytest.mark.parametrize("order", list(SortOrder))
@pytest.mark.parametrize("needle", ["", "gamma", "nothing-matches"])
def test_a_view_grown_page_by_page_equals_a_fresh_build(order: SortOrder, needle: str) -> None:
    rng = random.Random(7)
    pages = [_page_rows(rng, n * 50, 50) for n in range(8)]
    grown = RowStore()
    grown.set_sort(order)
    grown.set_filter(needle)
    for page in pages:
        grown.extend(page)
        assert len(grown.view) <= grown.loaded  # the view is built between pages
    fresh = RowStore()
    fresh.extend([row for page in pages for row in page])
    fresh.set_sort(order)
    fresh.set_filter(needle)
    assert grown.view == fresh.view
    if needle == "nothing-matches":
        assert grown.view == []
    else:
        kinds = [row.kind for row in grown.view]
        assert kinds == sorted(kinds)  # folders before objects
        assert len(grown.view) > 0
