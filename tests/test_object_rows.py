"""The row store behind the object table: a view grown page by page is the
view a fresh build would give, in every order and with any filter."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from allas_tui.ui.widgets import object_rows
from allas_tui.ui.widgets.object_rows import Row, RowKind, RowStore, SortOrder, sorted_objects


@pytest.fixture(params=["real steps", "tiny steps"])
def filter_steps(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the filter's real step sizes, and again with steps so
    small that a few hundred rows are filtered over many steps."""
    if request.param == "tiny steps":
        monkeypatch.setattr(object_rows, "_FILTER_BATCH", 7)
        monkeypatch.setattr(object_rows, "FIRST_SCREEN", 5)
        monkeypatch.setattr(object_rows, "FILTER_STEP", 23)
    return str(request.param)


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
def test_a_view_grown_page_by_page_equals_a_fresh_build(
    order: SortOrder, needle: str, filter_steps: str
) -> None:
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
    assert _shown_then_completed(grown) == _shown_then_completed(fresh)
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
    fresh.complete()
    return fresh.view


def _shown_then_completed(store: RowStore) -> list[Row]:
    """The view as first shown must begin the completed view."""
    shown = list(store.view)
    store.complete()
    assert not store.filtering
    assert store.view[: len(shown)] == shown
    return store.view


@pytest.mark.parametrize("order", list(SortOrder))
def test_typing_narrows_the_shown_rows_and_backspace_widens_them(
    order: SortOrder, filter_steps: str
) -> None:
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
        if step % 3 == 0:
            assert _shown_then_completed(store) == _expected(rows, order, typed), text
        elif step % 3 == 2:
            store.view  # noqa: B018 - shown, but typed on before the filter is done
    assert _shown_then_completed(store) == _expected(rows, order, typed)
    assert len(store.view) > 0
    # rows that come while a narrowed view is shown are filtered too
    more = _page_rows(rng, 600, 100)
    store.extend(more)
    assert _shown_then_completed(store) == _expected(rows + more, order, typed)


def test_a_large_filter_shows_a_screenful_first_and_the_rest_in_steps(
    filter_steps: str,
) -> None:
    rng = random.Random(5)
    count = 60_000 if filter_steps == "real steps" else 3000
    rows = _page_rows(rng, 0, count)
    store = RowStore()
    store.extend(rows)
    store.set_filter("a")  # alpha, beta and Gamma: every row
    expected = _expected(rows, SortOrder.NAME, "a")
    first = list(store.view)
    assert first == expected[: len(first)]
    assert object_rows.FIRST_SCREEN <= len(first) < len(expected)
    steps = 0
    while store.filtering:
        shown = len(store.view)
        store.filter_more()
        steps += 1
        assert store.view[:shown] == expected[:shown]  # rows only ever added after
    assert store.view == expected
    assert steps == 2 if filter_steps == "real steps" else steps > 100  # 50,000 or 23 a step
    # rows listed while a filter is still being applied: it is completed first
    store.set_filter("gamma")
    assert store.filtering
    late = _page_rows(rng, count, 40)
    store.extend(late)
    assert not store.filtering
    assert store.view == _expected(rows + late, SortOrder.NAME, "gamma")
    # marked rows, and moving to the end, need every match
    store.set_filter("beta")
    store.marked.update(r.key for r in rows if "beta" in r.key)
    assert store.filtering
    assert len(store.marked_rows()) == len(store.marked)
    assert not store.filtering


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
    # a page that comes while a sort runs makes it stale: it is sorted again
    by_date_before = sorted_objects(objects, SortOrder.DATE)
    late = Row(RowKind.OBJECT, "zz-late", "zz-late", 10**9, None)
    store.extend([late])
    assert late not in by_size  # a sorted list shown as the view is never grown
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


@pytest.mark.parametrize("order", list(SortOrder))
@pytest.mark.parametrize("needle", ["", "gamma"])
def test_every_row_is_found_where_the_view_shows_it(order: SortOrder, needle: str) -> None:
    rng = random.Random(13)
    rows = sorted(_page_rows(rng, 0, 400), key=lambda r: r.key)
    # ties in size and date, which fall back to name order
    rows += [Row(RowKind.OBJECT, f"tie-{i}", f"tie-{i}", 5, rows[0].modified) for i in range(9)]
    store = RowStore()
    store.extend(rows)
    store.set_sort(order)
    store.set_filter(needle)
    view = _shown_then_completed(store)
    assert [store.index_of(row) for row in view] == list(range(len(view)))
    hidden = [row for row in rows if needle not in row.folded]
    assert len(hidden) > (200 if needle else -1)
    assert all(store.index_of(row) is None for row in hidden)
    # a twin of a shown row (same fields, another object) is not that row
    twin = Row(view[-1].kind, view[-1].key, view[-1].name, view[-1].size, view[-1].modified)
    assert store.index_of(twin) is None


def test_a_row_is_found_when_the_server_lists_in_another_order() -> None:
    rows = [Row(RowKind.OBJECT, k, k, 1, None) for k in ["b", "a", "c"]]
    store = RowStore()
    store.extend(rows)
    assert [store.index_of(row) for row in rows] == [0, 1, 2]
