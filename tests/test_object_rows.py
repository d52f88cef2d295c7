"""The row store behind the object table: a view grown page by page is the
view a fresh build would give, in every order and with any filter."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from allas_tui.ui.widgets.object_rows import Row, RowKind, RowStore, SortOrder, sorted_objects


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


def _expected(rows: list[Row], order: SortOrder, needle: str) -> list[Row]:
    fresh = RowStore()
    fresh.extend(rows)
    fresh.set_sort(order)
    fresh.set_filter(needle)
    return fresh.view


@pytest.mark.parametrize("order", list(SortOrder))
def test_typing_narrows_the_shown_rows_and_backspace_widens_them(order: SortOrder) -> None:
    rng = random.Random(11)
    rows = _page_rows(rng, 0, 600)
    store = RowStore()
    store.extend(rows)
    store.set_sort(order)
    typed = ""
    # keystrokes, some with the view shown between them and some not
    for step, text in enumerate(["g", "ga", "gam", "gamma-00", "gamma-001", "gamma-00", "a", "A"]):
        store.set_filter(text)
        typed = text
        if step % 3 != 1:
            assert store.view == _expected(rows, order, typed), text
    assert store.view == _expected(rows, order, typed)
    assert len(store.view) > 0
    # rows that come while a narrowed view is shown are filtered too
    more = _page_rows(rng, 600, 100)
    store.extend(more)
    assert store.view == _expected(rows + more, order, typed)


def test_rows_sorted_ahead_of_time_are_used_only_while_no_rows_came_since() -> None:
    rng = random.Random(3)
    rows = [r for r in _page_rows(rng, 0, 300) if r.kind is RowKind.OBJECT]
    store = RowStore()
    store.extend(rows)
    objects = store.objects_to_presort()
    by_size = sorted_objects(objects, SortOrder.SIZE)
    assert [r.size for r in by_size] == sorted((r.size or 0 for r in rows), reverse=True)
    store.add_presorted(objects, SortOrder.SIZE, by_size)
    store.set_sort(SortOrder.SIZE)
    assert store.view == by_size
    assert store.view is not by_size  # the view is a copy the store may grow
    # a page that comes while a sort runs makes it stale: it is sorted again
    by_date_before = sorted_objects(objects, SortOrder.DATE)
    late = Row(RowKind.OBJECT, "zz-late", "zz-late", 10**9, None)
    store.extend([late])
    store.add_presorted(objects, SortOrder.DATE, by_date_before)
    store.set_sort(SortOrder.DATE)
    store.set_sort(SortOrder.SIZE)
    assert store.view[0] is late
    store.set_sort(SortOrder.DATE)
    assert store.view == _expected([*rows, late], SortOrder.DATE, "")
    assert store.view[-1] is late  # no date sorts last
    # a listing started again drops what was sorted for the old one
    store.clear()
    store.add_presorted(objects, SortOrder.SIZE, by_size)
    assert store.view == []
