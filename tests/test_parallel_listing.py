"""Key ranges and the ranged listing, on keys held in memory: every key comes
once and in order, whatever the keys look like and however the ranges split."""

from __future__ import annotations

import random
import threading
import time

import pytest

from allas_tui.storage.key_ranges import key_between
from allas_tui.storage.models import ListPage, ObjectInfo
from allas_tui.storage.parallel_listing import list_in_ranges

ALPHABET = "ab/\x01\x7f\x80é\ud7ff\ue000\U0010ffff09"


def test_key_between_lands_inside_the_range() -> None:
    rng = random.Random(5)
    for _ in range(20_000):
        low, high = sorted("".join(rng.choices(ALPHABET, k=rng.randint(0, 5))) for _ in "lh")
        for end in (high, None):
            middle = key_between(low, end)
            if middle is None:
                assert end is not None  # an open range can always be split
                continue
            assert low < middle
            assert end is None or middle <= end
            assert not any(0xD800 <= ord(c) < 0xE000 for c in middle)


def test_key_between_halves_the_space() -> None:
    assert key_between("d", "f") == "e"
    assert key_between("d00/o1", "d:") == "d5"
    assert key_between("ab", "ab\x00") is None
    assert key_between("zz", "zz") is None


class SortedKeys:
    """Sorted keys listed like a server would: after a marker, a page at a time,
    folders rolled up under a delimiter."""

    def __init__(self, keys: list[str], page: int, delimiter: str | None = None) -> None:
        self.keys = sorted(keys)
        self.page = page
        self.delimiter = delimiter
        self.fetches = 0
        self.threads: set[str] = set()
        self.lock = threading.Lock()

    def fetch(self, after: str | None, token: str | None, limit: int | None) -> ListPage:
        with self.lock:
            self.fetches += 1
            self.threads.add(threading.current_thread().name)
        start = token if token is not None else after
        objects: list[ObjectInfo] = []
        folders: list[str] = []
        last = ""
        for key in self.keys:
            if start is not None and key <= start:
                continue
            if len(objects) + len(folders) == (limit or self.page):
                return ListPage(objects, folders, last)
            cut = key.find(self.delimiter) if self.delimiter else -1
            if cut >= 0:
                folder = key[: cut + 1]
                if folders and folders[-1] == folder:
                    continue
                folders.append(folder)
                # after a folder, skip what is in it, as Swift's marker does
                last = start = folder + "\U0010ffff"
            else:
                objects.append(ObjectInfo(key, 0, None, None))
                last = key
        return ListPage(objects, folders, None)


KEY_SETS = {
    "numbered": [f"d{i % 100:02d}/o{i:07d}" for i in range(3000)],
    "one letter": [chr(c) for c in range(0x21, 0x7F)],
    "unicode": [f"ä{chr(0x4E00 + i)}{i}" for i in range(700)] + ["\U0010fffd", "zz"],
    "control": ["\x01", "\x01\x01", "a\x01", "a", "a\x7f", "b"],
    "shared prefix": [f"project/run-{i:05d}.dat" for i in range(1500)],
    "random": ["".join(random.Random(i).choices(ALPHABET, k=6)) for i in range(1200)],
}


@pytest.mark.parametrize("name", list(KEY_SETS))
@pytest.mark.parametrize("streams", [1, 2, 5])
def test_every_key_once_and_in_order(name: str, streams: int) -> None:
    keys = sorted(set(KEY_SETS[name]))
    store = SortedKeys(keys, page=13)
    pages = list(list_in_ranges(store.fetch, "", streams, first_limit=5))
    assert [o.key for p in pages for o in p.objects] == keys
    if streams > 1 and len(keys) > 200:
        assert len(store.threads) > 1  # the ranges really ran at once


def test_under_a_prefix_and_a_delimiter() -> None:
    keys = [f"top/d{i % 9}/x{i:04d}" for i in range(900)] + [f"top/f{i:04d}" for i in range(900)]
    store = SortedKeys([k.removeprefix("top/") for k in keys], page=11, delimiter="/")
    pages = list(list_in_ranges(store.fetch, "", 4))
    assert [f for p in pages for f in p.folders] == [f"d{i}/" for i in range(9)]
    assert [o.key for p in pages for o in p.objects] == [f"f{i:04d}" for i in range(900)]


def test_a_failing_page_is_raised_to_the_caller() -> None:
    store = SortedKeys([f"k{i:05d}" for i in range(2000)], page=10)
    calls = 0

    def fetch(after: str | None, token: str | None, limit: int | None) -> ListPage:
        nonlocal calls
        calls += 1
        if calls == 30:
            raise RuntimeError("the network went away")
        return store.fetch(after, token, limit)

    with pytest.raises(RuntimeError, match="network went away"):
        list(list_in_ranges(fetch, "", 4))


def test_a_small_listing_is_one_request_on_the_callers_thread() -> None:
    store = SortedKeys([f"k{i}" for i in range(5)], page=10)
    assert [o.key for p in list_in_ranges(store.fetch, "", 4) for o in p.objects] == store.keys
    assert (store.fetches, store.threads) == (1, {threading.current_thread().name})


def test_a_listing_left_early_stops_its_threads() -> None:
    store = SortedKeys([f"k{i:05d}" for i in range(5000)], page=10)

    def slow_fetch(after: str | None, token: str | None, limit: int | None) -> ListPage:
        time.sleep(0.005)  # as a server would take, so that leaving early leaves work undone
        return store.fetch(after, token, limit)

    pages = list_in_ranges(slow_fetch, "", 4)
    next(pages), next(pages), next(pages)
    pages.close()
    deadline = time.monotonic() + 5
    while any(t.name.startswith("allas-list-") for t in threading.enumerate()):
        assert time.monotonic() < deadline, "listing threads still running"
        time.sleep(0.01)
    assert store.fetches < 100  # of the 500 pages the whole listing takes
