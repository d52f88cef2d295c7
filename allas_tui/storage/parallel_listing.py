"""One listing over several connections, its pages still handed on in key order.

A listing is a chain of requests, each for the names after the last one seen,
so one connection spends most of its time waiting on the server, and the
client's parsing waits on each answer. Here the keys still to come are split
into ranges (see `key_ranges`), and a thread per connection lists a range
while the others list theirs. A split is made only when a thread is idle, so a
small listing stays one request on the caller's own thread. Pages come back
in key order: the first range's as they arrive, a later range's once every
range before it is done.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from allas_tui.storage.key_ranges import key_between
from allas_tui.storage.models import ListPage

PageFetch = Callable[[str | None, str | None, int | None], ListPage]
"""`fetch(after, token, limit)`: the page of names after `after` (the first page
of a range), or the page `token` continues to; at most `limit` names."""


@dataclass(eq=False)
class _Range:
    """The keys after `after`, up to and including `through` (None: no end)."""

    after: str | None
    through: str | None
    token: str | None = None
    """Where the next page starts; None before the range's first page."""
    last: str = ""
    """The last name listed, where the next split starts."""
    pages: deque[ListPage] = field(default_factory=deque)
    done: bool = False


def list_in_ranges(
    fetch: PageFetch, prefix: str, streams: int, first_limit: int | None = None
) -> Iterator[ListPage]:
    """Every page of a listing in key order, listed over up to `streams` connections.
    The first page (of at most `first_limit` names) is fetched on the caller's thread."""
    first = fetch(None, None, first_limit)
    if first.objects or first.folders:
        yield first
    if first.next_token is None:
        return
    head = _Range(None, None, first.next_token, _last_name(first))
    if streams <= 1:
        yield from _one_range(fetch, head)
        return
    listing = _RangeListing(fetch, prefix, head)
    try:
        listing.start(streams)
        yield from listing.pages()
    finally:
        listing.close()


def _one_range(fetch: PageFetch, whole: _Range) -> Iterator[ListPage]:
    token = whole.token
    while token is not None:
        page = fetch(None, token, None)
        if page.objects or page.folders:
            yield page
        token = page.next_token


def _last_name(page: ListPage) -> str:
    names = [*(o.key for o in page.objects[-1:]), *page.folders[-1:]]
    return max(names, default="")


def _clip(page: ListPage, keys: _Range) -> tuple[ListPage, bool]:
    """The part of `page` inside `keys`, and whether the range goes on after it."""
    objects, folders = page.objects, page.folders
    if keys.after is not None:
        # a folder at or before `after` began in an earlier range, which lists it
        folders = [f for f in folders if f > keys.after]
    if keys.through is None:
        return replace(page, folders=folders), page.next_token is not None
    through = keys.through
    kept_objects = [o for o in objects if o.key <= through]
    kept_folders = [f for f in folders if f <= through]
    went_past = len(kept_objects) < len(objects) or len(kept_folders) < len(folders)
    more = page.next_token is not None and not went_past
    return ListPage(kept_objects, kept_folders, page.next_token if more else None), more


class _RangeListing:
    """Ranges in key order, threads listing them, and the pages between them."""

    def __init__(self, fetch: PageFetch, prefix: str, head: _Range) -> None:
        self._fetch = fetch
        self._prefix = prefix
        self._ranges: list[_Range] = [head]
        """Ranges not yet handed on, in key order."""
        self._ready: deque[_Range] = deque([head])
        """Ranges with a page to fetch and no thread fetching it."""
        self._idle = 0
        self._error: BaseException | None = None
        self._closed = False
        self._changed = threading.Condition()

    def start(self, streams: int) -> None:
        with self._changed:
            self._split(self._ranges[0])
        for number in range(streams):
            name = f"allas-list-{number + 1}"
            threading.Thread(target=self._work, name=name, daemon=True).start()

    def close(self) -> None:
        """Stop: threads finish the request they are in and end."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def pages(self) -> Iterator[ListPage]:
        """The pages of each range in turn, each as soon as it may be handed on."""
        while True:
            with self._changed:
                while not self._head_has_news():
                    self._changed.wait()
                if self._error is not None:
                    raise self._error
                if not self._ranges:
                    return
                head = self._ranges[0]
                pages = list(head.pages)
                head.pages.clear()
                if head.done:
                    self._ranges.pop(0)
            yield from pages

    def _head_has_news(self) -> bool:
        if self._error is not None or not self._ranges:
            return True
        head = self._ranges[0]
        return bool(head.pages) or head.done

    def _work(self) -> None:
        while (keys := self._next_range()) is not None:
            try:
                page = self._fetch(keys.after if keys.token is None else None, keys.token, None)
            except BaseException as exc:
                with self._changed:
                    self._error = self._error or exc
                    self._changed.notify_all()
                return
            page, more = _clip(page, keys)
            with self._changed:
                if page.objects or page.folders:
                    keys.pages.append(page)
                    keys.last = max(keys.last, _last_name(page))
                keys.done = not more
                if more:
                    keys.token = page.next_token
                    if self._idle and not self._ready:
                        self._split(keys)
                    self._ready.append(keys)
                self._changed.notify_all()

    def _next_range(self) -> _Range | None:
        with self._changed:
            while not self._ready and not self._closed and self._error is None:
                self._idle += 1
                self._changed.wait()
                self._idle -= 1
            if self._closed or self._error is not None:
                return None
            return self._ready.popleft()

    def _split(self, keys: _Range) -> None:
        """Give the upper half of what `keys` has left to a new range."""
        if keys.through is None:
            # keys under a prefix end where the prefix does, not at the top of all keys
            rest = key_between(keys.last.removeprefix(self._prefix), None)
            middle = None if rest is None else self._prefix + rest
        else:
            middle = key_between(keys.last, keys.through)
        if middle is None:
            return
        upper = _Range(middle, keys.through, last=middle)
        keys.through = middle
        self._ranges.insert(self._ranges.index(keys) + 1, upper)
        self._ready.append(upper)
